import { describe, expect, it } from "vitest";
import { InputError } from "../src/core/errors.ts";
import { numberFlag, optionalNumberFlag } from "../src/cli/number-flag.ts";

describe("numeric command-line flags", () => {
  const wholeFromZero = (x: number) => Number.isInteger(x) && x >= 0;

  it("accepts a whole string that is a finite number meeting the check", () => {
    expect(numberFlag("--warmup", "0", "a whole number >= 0", wholeFromZero)).toBe(0);
    expect(numberFlag("--peak", " 3e-4 ", "an LR > 0", (x) => x > 0)).toBe(3e-4);
    expect(optionalNumberFlag("--every", undefined, "a whole number >= 1", (x) => x >= 1)).toBeUndefined();
  });

  it("rejects an empty value even where 0 is allowed (Number('') is 0)", () => {
    expect(() => numberFlag("--warmup", "", "a whole number >= 0", wholeFromZero)).toThrow('--warmup: "" is not allowed; expected a whole number >= 0');
  });

  it("rejects non-numbers, non-finite values and values failing the check, naming the option and the value", () => {
    for (const raw of ["abc", "NaN", "Infinity", "1e400", "2.5", "-1", "12abc"]) {
      expect(() => numberFlag("--warmup", raw, "a whole number >= 0", wholeFromZero)).toThrow(InputError);
    }
    expect(() => numberFlag("--cooldown", "2", "a fraction in (0, 1]", (x) => x > 0 && x <= 1)).toThrow('--cooldown: "2" is not allowed; expected a fraction in (0, 1]');
  });
});
