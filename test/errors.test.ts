import { describe, expect, it } from "vitest";
import { InputError, requireInRange, requireInteger, requirePositive } from "../src/core/errors.ts";

describe("input validation", () => {
  it("names the field, the value and what is allowed", () => {
    expect(() => requirePositive("--months", -3)).toThrow("--months: -3 is not allowed; expected a finite number > 0");
    expect(() => requirePositive("--months", Number.NaN)).toThrow(InputError);
    expect(() => requireInteger("parallelism.tp", 2.5)).toThrow("parallelism.tp: 2.5 is not allowed; expected a whole number >= 1");
    expect(() => requireInRange("cooldown", 0, 0, 1, true)).toThrow("expected a number in (0, 1]");
  });

  it("passes valid values through unchanged", () => {
    expect(requirePositive("x", 3)).toBe(3);
    expect(requireInteger("x", 0, 0)).toBe(0);
    expect(requireInRange("x", 1, 0, 1, true)).toBe(1);
  });
});
