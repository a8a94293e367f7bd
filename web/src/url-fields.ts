// The checks a value read from the URL must pass before a view uses it: what a field may hold (text, a flag, one
// of a few words, a whole number in a range, a bounded list, a record of fields). Hand-written instead of zod so
// that the page's first chunk stays small: the app's code runs ~100 ms sooner without zod's schemas (issue 13,
// docs/web-app.md "Critical path of the first result"). Each check returns the value or a one-line message.

/** The value, or why it was refused. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** What one URL field may hold. */
export type Check<T> = (value: unknown) => Checked<T>;

/** A check for every field of a state object (`T`'s optional fields take an `optional(...)` check). */
export type Fields<T> = { readonly [K in keyof T]-?: Check<T[K]> };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const refuse = (value: unknown, expected: string): Checked<never> => ({ ok: false, message: `${describe(value)} is not allowed; expected ${expected}` });

/** The value as a message quotes it: short, never a whole pasted document. */
function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** Any text (numeric form fields stay text as typed: an invalid entry survives a reload with its message). */
export function text(): Check<string> {
  return (value) => (typeof value === "string" ? ok(value) : refuse(value, "text"));
}

/** A yes/no switch. */
export function flag(): Check<boolean> {
  return (value) => (typeof value === "boolean" ? ok(value) : refuse(value, "0 or 1"));
}

/** One of the listed words. */
export function oneOf<const W extends string>(words: readonly W[]): Check<W> {
  return (value) => (typeof value === "string" && (words as readonly string[]).includes(value) ? ok(value as W) : refuse(value, `one of ${words.join(", ")}`));
}

/** A whole number in [min, max] (an index into a list, a count). */
export function wholeNumber(min: number, max: number): Check<number> {
  return (value) => (typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max ? ok(value) : refuse(value, `a whole number in [${min}, ${max}]`));
}

/** A list of `min` to `max` items, each passing `item`. */
export function listOf<T>(item: Check<T>, min: number, max: number): Check<T[]> {
  return (value) => {
    if (!Array.isArray(value)) return refuse(value, `a list of ${min} to ${max} items`);
    if (value.length < min || value.length > max) return { ok: false, message: `${value.length} items are not allowed; expected ${min} to ${max}` };
    const items: T[] = [];
    for (const [i, v] of value.entries()) {
      const checked = item(v);
      if (!checked.ok) return { ok: false, message: `item ${i + 1}: ${checked.message}` };
      items.push(checked.value);
    }
    return ok(items);
  };
}

/** An object with exactly these fields (unknown keys are refused, as everywhere else in scaleplan). */
export function record<T extends object>(fields: Fields<T>): Check<T> {
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return refuse(value, "an object");
    const source = value as Record<string, unknown>;
    const unknown = Object.keys(source).find((k) => !Object.hasOwn(fields, k));
    if (unknown !== undefined) return { ok: false, message: `unknown field ${JSON.stringify(unknown)}` };
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(fields) as Array<[string, Check<unknown>]>) {
      const checked = check(source[key]);
      if (!checked.ok) return { ok: false, message: `${key}: ${checked.message}` };
      if (checked.value !== undefined) out[key] = checked.value;
    }
    return ok(out as T);
  };
}

/** A field that may be absent (it is then left out of the object). */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (value) => (value === undefined ? ok(undefined) : check(value));
}
