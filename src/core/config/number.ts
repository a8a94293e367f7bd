// The one parser of numbers typed by a user (command-line flags, schedule specs, CSV cells, count lists such as
// 124M), and the rules a number must meet, with the words that say what is allowed. Browser-safe.
//
// Decimal only: `Number()` also reads "0x10" (16), "0b1", " " (0), "" (0) and "Infinity", which nobody means
// as a training budget; a value that overflows (1e309) or underflows to 0 (1e-400) is not representable and is
// rejected rather than silently rounded. Whole numbers must be safe integers (|x| ≤ 2^53 − 1), so that
// 9007199254740993 is not silently read as …992.

import { formatExact } from "../format.ts";

/** Optional sign, digits with an optional fraction (or a fraction alone), optional exponent. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Multipliers of count suffixes (124M, 1.3B, 2.5k, 1T); G is a synonym of B (giga). */
const COUNT_SUFFIX: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

/** The number a decimal string denotes, or undefined when it is not a finite, representable decimal. */
export function parseDecimal(raw: string): number | undefined {
  const text = raw.trim();
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  // Underflow: a non-zero mantissa that became 0.
  if (value === 0 && /[1-9]/.test(text.split(/[eE]/)[0]!)) return undefined;
  return value;
}

/** A decimal with an optional count suffix k, M, B/G, T (any case): "1.3B" → 1.3e9. */
export function parseCount(raw: string): number | undefined {
  const text = raw.trim();
  const last = text.slice(-1).toLowerCase();
  const factor = COUNT_SUFFIX[last];
  if (factor === undefined) return parseDecimal(text);
  const base = parseDecimal(text.slice(0, -1));
  if (base === undefined) return undefined;
  const value = base * factor;
  return Number.isFinite(value) ? value : undefined;
}

/** What a number must be. Every bound is optional; the text of `allowed` is derived from it. */
export interface NumberRule {
  /** Whole numbers only (safe integers). */
  readonly integer?: boolean;
  readonly min?: number;
  /** min is exclusive (x > min). */
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly maxExclusive?: boolean;
  /** Replaces the derived description ("a whole number of GPUs >= 1"). */
  readonly allowed?: string;
}

/** "a whole number in [1, 1000]", "a finite number > 0", … */
export function describeRule(rule: NumberRule): string {
  if (rule.allowed !== undefined) return rule.allowed;
  const kind = rule.integer ? "a whole number" : "a finite number";
  const { min, max } = rule;
  if (min !== undefined && max !== undefined) {
    return `${kind} in ${rule.minExclusive ? "(" : "["}${formatExact(min)}, ${formatExact(max)}${rule.maxExclusive ? ")" : "]"}`;
  }
  if (min !== undefined) return `${kind} ${rule.minExclusive ? ">" : ">="} ${formatExact(min)}`;
  if (max !== undefined) return `${kind} ${rule.maxExclusive ? "<" : "<="} ${formatExact(max)}`;
  return kind;
}

/** True when x meets the rule (finite, whole and safe if asked, inside the bounds). */
export function meetsRule(x: number, rule: NumberRule): boolean {
  if (!Number.isFinite(x)) return false;
  if (rule.integer && !Number.isSafeInteger(x)) return false;
  if (rule.min !== undefined && (rule.minExclusive ? !(x > rule.min) : !(x >= rule.min))) return false;
  if (rule.max !== undefined && (rule.maxExclusive ? !(x < rule.max) : !(x <= rule.max))) return false;
  return true;
}

// Rules used across commands and files, named once.
export const POSITIVE: NumberRule = { min: 0, minExclusive: true };
export const NON_NEGATIVE: NumberRule = { min: 0 };
export const FRACTION: NumberRule = { min: 0, minExclusive: true, max: 1, allowed: "a fraction in (0, 1]" };
export const OPEN_FRACTION: NumberRule = { min: 0, minExclusive: true, max: 1, maxExclusive: true };
export const wholeAtLeast = (min: number, max?: number): NumberRule => ({ integer: true, min, ...(max !== undefined ? { max } : {}) });
