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

/** Whole counts people read digit by digit (GPUs, layouts): 2,048 and 1,048,576, never 2.05e+3. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.round(value).toLocaleString("en-US");
}

/** Seconds → "850 ms", "42 s", "12 min", "4.2 h", "31 days", "2.4 years" (3 significant digits at most). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const abs = Math.abs(seconds);
  const units: Array<[number, string]> = [
    [365.25 * 86400, "years"],
    [86400, "days"],
    [3600, "h"],
    [60, "min"],
    [1, "s"],
  ];
  for (const [size, unit] of units) {
    if (abs >= size) {
      const v = Number((seconds / size).toPrecision(3));
      return `${v} ${v === 1 && unit === "days" ? "day" : v === 1 && unit === "years" ? "year" : unit}`;
    }
  }
  if (abs >= 1e-3 || abs === 0) return `${Number((seconds * 1e3).toPrecision(3))} ms`;
  return `${Number((seconds * 1e6).toPrecision(3))} µs`;
}
