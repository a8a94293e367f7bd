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

/** Bad usage that is not tied to one field (a missing file, an unreadable input). The CLI exits with code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value === undefined) return "a missing value";
  if (value === null) return "null";
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
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
