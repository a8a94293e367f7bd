import { expect } from "vitest";

/**
 * Asserts that `actual` rounds to the printed reference value `printed` (e.g. "1.094713e9", "0.698994"):
 * the difference must be within half a unit of the last printed digit.
 */
export function expectPrinted(actual: number, printed: string): void {
  const expected = Number(printed);
  const [mantissa = "", exponent = "0"] = printed.toLowerCase().split("e");
  const decimals = mantissa.includes(".") ? mantissa.split(".")[1]!.length : 0;
  const halfUnit = 0.5 * 10 ** (Number(exponent) - decimals);
  const ok = Math.abs(actual - expected) <= halfUnit * (1 + 1e-9);
  if (!ok) expect.fail(`${actual} does not round to ${printed} (tolerance ±${halfUnit})`);
}
