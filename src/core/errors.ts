/**
 * Invalid input, reported as data: which field, what value, what is allowed.
 * The CLI prints `message` as one line and exits with code 2; the web app shows it next to the field.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;

  /** `message` replaces the default "field: value is not allowed; expected …" wording when given. */
  constructor(field: string, value: unknown, allowed: string, message?: string) {
    super(message ?? `${field}: ${describeValue(value)} is not allowed; expected ${allowed}`);
    this.field = field;
    this.value = value;
    this.allowed = allowed;
  }
}

/**
 * A computation that ran on valid input but could not produce an answer (a fit that did not converge,
 * a model that is infeasible everywhere). The CLI exits with code 1.
 */
export class ComputationError extends Error {
  override readonly name = "ComputationError";
}

/**
 * The outside world failed while the input was fine: a full disk, a permission, an I/O error. One line naming the
 * path and the reason; the CLI exits with code 1.
 */
export class IoError extends Error {
  override readonly name = "IoError";
}

/**
 * Bad usage that is not tied to one field's value: two options that exclude each other, a required option
 * missing, a command that needs an argument. The CLI exits with code 2. A bad value is an InputError.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * A value as it would be typed, for an error line: never throws (functions, symbols, bigints, circular objects),
 * NaN and ±Infinity print as themselves (JSON would print null), long values are cut at 60 characters.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "a missing value";
  const text = show(value, new Set(), 0);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function show(value: unknown, seen: Set<object>, depth: number): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 200 ? value.slice(0, 200) : value);
    case "number":
      // As typed: 1e40, not JavaScript's 1e+40 (the bounds beside it are written so too, format.ts formatExact).
      return Object.is(value, -0) ? "-0" : String(value).replace("e+", "e");
    case "bigint":
      return `${value}n`;
    case "boolean":
      return String(value);
    case "undefined":
      return "undefined";
    case "symbol":
      return value.toString();
    case "function":
      return `a function${value.name ? ` (${value.name})` : ""}`;
  }
  if (value === null) return "null";
  const object = value as object;
  if (seen.has(object)) return "[circular]";
  if (depth > 4) return Array.isArray(object) ? "[...]" : "{...}";
  seen.add(object);
  try {
    // At most 20 entries: enough to recognise the value, bounded for huge inputs.
    if (Array.isArray(object)) {
      const items = object.slice(0, 20).map((v) => show(v, seen, depth + 1));
      return `[${items.join(",")}${object.length > 20 ? ",..." : ""}]`;
    }
    const keys = Object.keys(object);
    const items = keys.slice(0, 20).map((k) => `${JSON.stringify(k)}:${show((object as Record<string, unknown>)[k], seen, depth + 1)}`);
    return `{${items.join(",")}${keys.length > 20 ? ",..." : ""}}`;
  } catch {
    return "an unprintable value";
  } finally {
    seen.delete(object);
  }
}

/** A finite number > 0, or an InputError naming the field. */
export function requirePositive(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new InputError(field, value, "a finite number > 0");
  }
  return value;
}

/** A whole number >= min, or an InputError naming the field. */
export function requireInteger(field: string, value: unknown, min = 1): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new InputError(field, value, `a whole number >= ${min}`);
  }
  return value;
}

/** A finite number in [lo, hi] (or (lo, hi] with loOpen), or an InputError naming the field. */
export function requireInRange(field: string, value: unknown, lo: number, hi: number, loOpen = false): number {
  const ok = typeof value === "number" && Number.isFinite(value) && (loOpen ? value > lo : value >= lo) && value <= hi;
  if (!ok) throw new InputError(field, value, `a number in ${loOpen ? "(" : "["}${lo}, ${hi}]`);
  return value as number;
}
