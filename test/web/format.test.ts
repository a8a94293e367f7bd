import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCount, formatDuration } from "../../src/core/format.ts";

describe("human units (issue 13: 2,048 GPUs, not 2.05e+3; 31 days, not 2.7M s)", () => {
  it("writes counts with digit grouping", () => {
    expect(formatCount(2048)).toBe("2,048");
    expect(formatCount(1048576)).toBe("1,048,576");
    expect(formatCount(8)).toBe("8");
  });

  it("writes counts exactly as toLocaleString('en-US') of the rounded value, without Intl below 1e21", () => {
    const intl = (x: number) => Math.round(x).toLocaleString("en-US");
    for (const x of [0, -0, -0.4, 0.5, -0.5, 999.5, 1e20, 999999999999999999999, 1e21, -1e21, 1.5e300, 2 ** 53 + 2, -1234567.49]) {
      expect(formatCount(x), String(x)).toBe(intl(x));
    }
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: -1e22, max: 1e22, noNaN: true }), fc.integer(), fc.double({ min: -1e7, max: 1e7, noNaN: true })), (x) => formatCount(x) === intl(x)),
      { numRuns: 3000 },
    );
  });

  it("writes durations in the largest unit that fits", () => {
    expect(formatDuration(2.7e6)).toBe("31.3 days");
    expect(formatDuration(86400)).toBe("1 day");
    expect(formatDuration(3 * 3600 + 720)).toBe("3.2 h");
    expect(formatDuration(90)).toBe("1.5 min");
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(0.85)).toBe("850 ms");
    expect(formatDuration(4.5e-6)).toBe("4.5 µs");
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(2 * 365.25 * 86400)).toBe("2 years");
  });
});
