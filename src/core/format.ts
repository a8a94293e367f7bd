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

/**
 * A number exactly, as a person writes it in a bound or an input (error lines, bounds tables): whole numbers
 * below 10^7 with thousands separators (1,048,576), large and tiny magnitudes in exponent form without "+" (1e7,
 * 2.5e12, 1e35, 1e-6, never 0.000001 or 1e+35), others in JavaScript's shortest form (0.5, 0.01, 3.25). Never
 * rounded: the digits printed read back as the same number.
 */
export function formatExact(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) return value.toExponential().replace("e+", "e");
  return Number.isInteger(value) ? groupThousands(value) : String(value);
}

/**
 * A whole number below 1e21 with en-US thousands separators (-1234567 → "-1,234,567"): the text of
 * toLocaleString("en-US") without starting Intl, which costs 10–30 ms in a fresh web worker and was paid by every
 * worker at module evaluation (the bounds' messages are built then; docs/web-app.md "Critical path of the first result").
 */
function groupThousands(whole: number): string {
  return (Object.is(whole, -0) ? "-" : "") + String(whole).replace(/\B(?=(\d{3})+$)/g, ",");
}

/** Sizes in bytes with binary units, 3 significant digits: 512 bytes, 1.5 KiB, 256 MiB, 12.3 GiB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const units: Array<[number, string]> = [
    [2 ** 40, "TiB"],
    [2 ** 30, "GiB"],
    [2 ** 20, "MiB"],
    [2 ** 10, "KiB"],
  ];
  for (const [size, unit] of units) if (Math.abs(bytes) >= size) return `${Number((bytes / size).toPrecision(3))} ${unit}`;
  return `${bytes} bytes`;
}

/**
 * Whole counts people read digit by digit (GPUs, layouts): 2,048 and 1,048,576, never 2.05e+3. The text of
 * toLocaleString("en-US"), grouped without Intl below 1e21 (where String() still writes every digit): the page's
 * first toLocaleString starts ICU, 24 ms of the Schedules view's first result on this machine (the sweep's
 * GPU-hours; docs/benchmarks.md "First results of Scaling and Schedules").
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const whole = Math.round(value);
  return Math.abs(whole) < 1e21 ? groupThousands(whole) : whole.toLocaleString("en-US");
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
