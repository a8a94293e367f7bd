// describeRule writes whole bounds below 1e7 with thousands separators without Intl (src/core/format.ts
// formatExact): the text must be exactly what toLocaleString("en-US") wrote before.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeRule } from "../../src/core/config/number.ts";

const before = (x: number) => `a whole number in [${x.toLocaleString("en-US")}, 9,999,999]`;

describe("bound texts", () => {
  it("group whole numbers below 1e7 exactly as toLocaleString('en-US') does", () => {
    for (const x of [0, -0, 1, -1, 999, 1000, -1000, 9999, 12345, 999999, 1000000, -1048576, 9999999, -9999999]) {
      expect(describeRule({ integer: true, min: x, max: 9999999 }), String(x)).toBe(before(x));
    }
    fc.assert(
      fc.property(fc.integer({ min: -9999999, max: 9999999 }), (x) => describeRule({ integer: true, min: x, max: 9999999 }) === before(x)),
      { numRuns: 2000 },
    );
  });

  it("keep the exponent form from 1e7 and plain text for fractions", () => {
    expect(describeRule({ min: 0.5, max: 1e12 })).toBe("a finite number in [0.5, 1e12]");
  });
});
