// Number formatting shared by the CLI tables and the web app, so both print the same way.

/** FLOP and other huge counts: 3 significant digits in exponent form, e.g. 2.05e+28. */
export function formatExp(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toExponential(digits);
}

/** Parameter and token counts with SI suffixes: 28.9B, 7.34M, 1.06T. */
export function formatSI(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const units: Array<[number, string]> = [
    [1e15, "P"],
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  const abs = Math.abs(value);
  for (const [scale, suffix] of units) {
    if (abs >= scale) return `${Number((value / scale).toPrecision(digits))}${suffix}`;
  }
  return `${Number(value.toPrecision(digits))}`;
}

/** A fraction with fixed decimals, e.g. utilization 0.553. */
export function formatFixed(value: number, decimals = 3): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toFixed(decimals);
}
