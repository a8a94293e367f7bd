// The whole state of every view lives in the URL, so a link reproduces exactly what is on screen.
//
// Each view owns a codec: a key prefix, a check per field (url-fields.ts: text(), flag(), oneOf(), wholeNumber(),
// listOf(), record(), optional()) and a default state. Only fields that differ from the default are written, under
// `<prefix>.<field>`: scalars as plain text (`l.floor=0.7`), anything structured (arrays, objects) as lz-string
// compressed JSON behind a `~` (`l.scenarios=~N4Ig…`). Numeric form fields are kept as the text the user typed,
// so even an invalid entry survives a reload together with its error message. No zod here: this module runs in
// the page's first chunk, before the app's code (main.tsx reads the opening view's state to start its computation).
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";
import { parseDecimal } from "../../src/core/config/number.ts";
import type { Check, Fields } from "./url-fields.ts";

/** How one view's state is stored in the query string. */
export interface ViewCodec<T extends Record<string, unknown>> {
  /** Short key prefix, unique per view (`l` for limits). */
  readonly prefix: string;
  /** What each field may hold; a field that fails its check takes its default (with a warning). */
  readonly fields: Fields<T>;
  readonly defaults: T;
}

/** A value read from the URL that did not pass its field's check and was replaced by its default. */
export interface UrlWarning {
  readonly key: string;
  readonly message: string;
}

const BLOB_MARK = "~";

/** Writes `state` (only what differs from the defaults) into `params` under the codec's prefix. */
export function encodeView<T extends Record<string, unknown>>(codec: ViewCodec<T>, state: T, params: URLSearchParams): void {
  for (const key of Object.keys(codec.defaults)) {
    const value = state[key];
    if (sameValue(value, codec.defaults[key])) continue;
    params.set(`${codec.prefix}.${key}`, encodeValue(value));
  }
}

/** Reads a view's state from `params`; fields that are missing or invalid take their default (with a warning). */
export function decodeView<T extends Record<string, unknown>>(
  codec: ViewCodec<T>,
  params: URLSearchParams,
): { state: T; warnings: UrlWarning[] } {
  // Field by field, so one bad entry does not throw away the rest of the link.
  const state: Record<string, unknown> = { ...codec.defaults };
  const warnings: UrlWarning[] = [];
  for (const key of Object.keys(codec.defaults)) {
    const name = `${codec.prefix}.${key}`;
    const text = params.get(name);
    if (text === null) continue;
    const decoded = decodeValue(text, codec.defaults[key]);
    if (!decoded.ok) {
      warnings.push({ key: name, message: decoded.message });
      continue;
    }
    const checked = (codec.fields as Readonly<Record<string, Check<unknown>>>)[key]!(decoded.value);
    if (checked.ok) state[key] = checked.value;
    else warnings.push({ key: name, message: checked.message });
  }
  return { state: state as T, warnings };
}

/**
 * The query string of `params`, percent-encoding only what must be (URLSearchParams.toString would also escape
 * the `~` blob mark and write spaces as `+`): links stay short and readable.
 */
export function toQueryString(params: URLSearchParams): string {
  return [...params].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

// Strings longer than this (pasted CSV, YAML configs) or with line breaks go into the compressed form.
const LONG_TEXT = 80;

function encodeValue(value: unknown): string {
  if (typeof value === "string" && (value.length > LONG_TEXT || value.includes("\n") || value.startsWith(BLOB_MARK))) {
    return BLOB_MARK + compressToEncodedURIComponent(JSON.stringify(value));
  }
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  return BLOB_MARK + compressToEncodedURIComponent(JSON.stringify(value));
}

function decodeValue(text: string, like: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (typeof like === "string" && !text.startsWith(BLOB_MARK)) return { ok: true, value: text };
  if (typeof like === "number") {
    // The core's one number parser: decimal only (no hex, no "", no Infinity).
    const n = parseDecimal(text);
    return n !== undefined ? { ok: true, value: n } : { ok: false, message: `${JSON.stringify(text)} is not a number` };
  }
  if (typeof like === "boolean") {
    if (text === "1" || text === "true") return { ok: true, value: true };
    if (text === "0" || text === "false") return { ok: true, value: false };
    return { ok: false, message: `${JSON.stringify(text)} is not 0 or 1` };
  }
  if (!text.startsWith(BLOB_MARK)) return { ok: false, message: "expected a compressed JSON value" };
  const json = decompressFromEncodedURIComponent(text.slice(BLOB_MARK.length));
  if (!json) return { ok: false, message: "could not decompress" };
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch {
    return { ok: false, message: "not valid JSON" };
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
