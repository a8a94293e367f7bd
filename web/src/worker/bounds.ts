// Reading the numbers typed into the forms: decimal text only (no hex, no "", no Infinity), and every field inside
// stated bounds, so no input can make a computation run for minutes or allocate gigabytes (issue 13). The error
// names the field, the value as typed and the bound, like the core's InputError everywhere else.
import { parseDecimal } from "../../../src/core/config/number.ts";
import { formatExact } from "../../../src/core/format.ts";
import { InputError } from "../../../src/core/errors.ts";

/** What a numeric form field accepts. */
export interface Bound {
  readonly min: number;
  /** `min` itself is excluded (x > min). */
  readonly minExclusive?: boolean;
  readonly max: number;
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** Extra words after the range, e.g. "(a power of two)". */
  readonly note?: string;
}

/** "a whole number in [1, 1,000]", "a number in (0, 1]". */
export function describeBound(b: Bound): string {
  const kind = b.integer ? "a whole number" : "a number";
  const text = `${kind} in ${b.minExclusive ? "(" : "["}${formatBound(b.min)}, ${formatBound(b.max)}]`;
  return b.note ? `${text} ${b.note}` : text;
}

/** Bounds as people write them, as the CLI does (format.ts formatExact): 1000000 → 1,000,000; 1e30 → 1e30; 1e-6 → 1e-6. */
const formatBound = formatExact;

/** Whether `x` is inside `b`. */
export function withinBound(x: number, b: Bound): boolean {
  if (!Number.isFinite(x)) return false;
  if (b.integer && !Number.isSafeInteger(x)) return false;
  return (b.minExclusive ? x > b.min : x >= b.min) && x <= b.max;
}

/** The number typed into `field`, or an InputError quoting the text (or the number) and naming the bound. */
export function readBounded(field: string, text: string, b: Bound): number {
  // The core's one number parser: decimal only (no hex, "", Infinity), overflow and underflow refused.
  const value = parseDecimal(text) ?? Number.NaN;
  if (!withinBound(value, b)) throw new InputError(field, Number.isFinite(value) ? value : text, describeBound(b));
  return value;
}

/** `value` (already a number, e.g. from a spec or a config file) checked against `b`. */
export function requireBounded(field: string, value: number, b: Bound): number {
  if (!withinBound(value, b)) throw new InputError(field, value, describeBound(b));
  return value;
}
