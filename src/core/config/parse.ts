import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode, type Tags } from "yaml";
import type { z } from "zod";
import { InputError } from "../errors.ts";
import { formatCount, formatExact } from "../format.ts";
import { parseJsonText } from "./json.ts";
import { numberAsTyped } from "./typed-number.ts";

/**
 * Where the value at a path sits in the source text ("12:5"), and, as `typed`, the text typed for a number the
 * parser could not hold exactly (2^53 + 1, 1e400: typed-number.ts), so errors quote what the user wrote.
 */
export type Locate = ((path: readonly PropertyKey[]) => string | undefined) & {
  readonly typed?: (path: readonly PropertyKey[], value: unknown) => string | undefined;
};

/**
 * The one way in for files and structured input: YAML or JSON text (JSON is YAML) → plain data → a zod schema,
 * every failure one InputError line `source:line:col: field: VALUE is not allowed; expected ALLOWED`.
 * Browser-safe: the CLI passes file contents, the web app passes pasted text or URL state.
 *
 * Hostile YAML is bounded: aliases may be expanded at most MAX_ALIAS_COUNT times (an alias bomb — nested
 * aliases doubling at each level — would otherwise take exponential memory), an alias that refers to its own
 * ancestor (a circular structure) is rejected, duplicate keys are an error (YAML 1.2 requires unique keys),
 * and numbers are decimal only: YAML 1.1/1.2 hex and octal integers and .inf/.nan are read as text, so the
 * schema reports them as "not a number" exactly as a flag would.
 */
const MAX_ALIAS_COUNT = 100;

/** Size limit of a configuration text; configurations are a few KB, a saved fit with 1,000 bootstrap samples ~150 KB. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

function decimalOnlyTags(tags: Tags): Tags {
  return tags.filter((t) => {
    const tag = t as { format?: string; test?: RegExp };
    if (tag.format === "HEX" || tag.format === "OCT") return false;
    return !(tag.test && /inf|nan/i.test(tag.test.source));
  });
}

/** Parses YAML or JSON text to plain data with the limits above; errors name source:line:col. */
export function parseYamlText(text: string, sourceName: string): { data: unknown; locate: Locate } {
  if (text.length > MAX_CONFIG_BYTES) {
    const limit = `${formatCount(MAX_CONFIG_BYTES)} characters`;
    throw new InputError(sourceName, `${text.length} characters`, `a configuration of at most ${limit}`, `${sourceName}: the file is ${formatCount(text.length)} characters; expected at most ${limit} for a configuration`);
  }
  const lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, customTags: decimalOnlyTags });
  } catch (error) {
    throw syntaxError(sourceName, error instanceof Error ? error.message : String(error));
  }
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = first.linePos?.[0] ?? (first.pos ? lineCounter.linePos(first.pos[0]) : undefined);
    throw syntaxError(pos ? `${sourceName}:${pos.line}:${pos.col}` : sourceName, first.message);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(sourceName, "aliases", `at most ${MAX_ALIAS_COUNT} alias expansions`, `${sourceName}: not allowed: ${firstLine(reason)} (at most ${MAX_ALIAS_COUNT} alias expansions)`);
  }
  const cycle = circularPath(data);
  if (cycle !== undefined) {
    const field = cycle.length > 0 ? cycle.join(".") : "(top level)";
    throw new InputError(field, "an alias of itself", "data without circular references", `${sourceName}: ${field}: an alias that refers to itself is not allowed; expected data without circular references`);
  }
  const locate = (path: readonly PropertyKey[]): string | undefined => {
    const node = nodeAt(doc.contents as YamlNode | null, path);
    if (!node?.range) return undefined;
    const pos = lineCounter.linePos(node.range[0]);
    return `${pos.line}:${pos.col}`;
  };
  const typed = (path: readonly PropertyKey[], value: unknown) => numberAsTyped(nodeAt(doc.contents as YamlNode | null, path), value);
  return { data, locate: Object.assign(locate, { typed }) };
}

function syntaxError(where: string, message: string): InputError {
  return new InputError(where, "", "valid YAML or JSON", `${where}: not valid YAML or JSON: ${firstLine(message)}`);
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? "syntax error").trim();
}

/** The path to the first object that contains itself, or undefined (iterative: deep input cannot overflow the stack). */
function circularPath(data: unknown): string[] | undefined {
  const stack: Array<{ value: unknown; path: string[]; ancestors: Set<object> }> = [{ value: data, path: [], ancestors: new Set() }];
  while (stack.length > 0) {
    const { value, path, ancestors } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (ancestors.has(value)) return path;
    const inner = new Set(ancestors).add(value);
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    for (const [k, v] of entries) if (v !== null && typeof v === "object") stack.push({ value: v, path: [...path, String(k)], ancestors: inner });
  }
  return undefined;
}

/** Parses a YAML or JSON configuration text and validates it with a zod schema (see the file comment). */
export function parseConfigText<S extends z.ZodType>(text: string, schema: S, sourceName: string): z.output<S> {
  const { data, locate } = parseYamlText(text, sourceName);
  return validateConfig(data, schema, sourceName, locate);
}

/** As parseConfigText for strict JSON only (a .json file read by a JSON tool): duplicate keys are errors too. */
export function parseJsonConfig<S extends z.ZodType>(text: string, schema: S, sourceName: string): z.output<S> {
  return validateConfig(parseJsonText(text, sourceName), schema, sourceName);
}

/** Validates already-parsed data (flags, URL state) with the same schema and the same one-line errors. */
export function validateConfig<S extends z.ZodType>(
  data: unknown,
  schema: S,
  sourceName: string,
  locate: Locate = () => undefined,
): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  let path: PropertyKey[] = [...issue.path];
  let value = valueAt(data, issue.path);
  let allowed = allowedText(issue);
  if (issue.code === "unrecognized_keys") {
    const key = String(issue.keys[0]);
    const known = knownKeys(schema, issue.path);
    path = [...path, key];
    value = undefined;
    allowed = known.length > 0 ? `one of the fields ${known.join(", ")}` : "no other fields";
    const loc = locate(path);
    const where = sourceName ? `${sourceName}${loc ? `:${loc}` : ""}: ` : "";
    const field = path.map(String).join(".");
    throw new InputError(field, key, allowed, `${where}${field}: unknown field; expected ${allowed}`);
  }
  const field = path.length > 0 ? path.map(String).join(".") : "(top level)";
  const loc = locate(path);
  const where = sourceName ? `${sourceName}${loc ? `:${loc}` : ""}: ` : "";
  const typed = locate.typed?.(path, value);
  const error = typed === undefined ? new InputError(field, value, allowed) : new InputError(field, typed, allowed, `${field}: ${typed} is not allowed; expected ${allowed}`);
  throw new InputError(field, error.value, allowed, `${where}${error.message}`);
}

/** What a zod issue says is allowed, as a phrase: "a whole number >= 1", "one of bf16, fp16, fp8". */
export function allowedText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "undefined" ? "no value here" : article(issue.expected === "int" ? "whole number" : issue.expected);
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const op = issue.code === "too_small" ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
      const subject = issue.origin === "int" ? "a whole number" : issue.origin === "number" ? "a number" : issue.origin === "array" || issue.origin === "set" ? "a list with length" : issue.origin === "string" ? "text with length" : "a value";
      const custom = customMessage(issue.message);
      return custom ?? `${subject} ${op} ${typeof bound === "number" ? formatExact(bound) : String(bound)}`;
    }
    case "invalid_value":
      return `one of ${issue.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ")}`;
    case "invalid_union": {
      const discriminator = (issue as { note?: string }).note;
      return discriminator ? discriminator : customMessage(issue.message) ?? "one of the documented forms";
    }
    case "not_multiple_of":
      return `a multiple of ${String(issue.divisor)}`;
    case "invalid_format":
      return customMessage(issue.message) ?? `text in the ${issue.format} format`;
    default:
      return customMessage(issue.message) ?? issue.message;
  }
}

/** A schema's own message (refine("a finite number > 0"), max(3, {error: "expected …"})) as the allowed phrase. */
function customMessage(message: string): string | undefined {
  if (/^(Too small|Too big|Invalid input|Invalid option|Invalid)/.test(message)) return undefined;
  return message.replace(/^expected\s+/i, "").replace(/^must be\s+/i, "");
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** The field names an object schema accepts at `path` (for "unknown field; expected one of …"). */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let level: unknown[] = [schema];
  for (const key of path) {
    const next: unknown[] = [];
    for (const cur of objectsOf(level)) {
      const shape = (cur as { shape?: Record<string, unknown> }).shape;
      if (shape && typeof key === "string" && key in shape) next.push(shape[key]);
      const element = (cur as { element?: unknown }).element;
      if (element && typeof key === "number") next.push(element);
    }
    level = next;
  }
  return [...new Set(objectsOf(level).flatMap((o) => Object.keys((o as { shape?: object }).shape ?? {})))];
}

/** The object (or array) schemas among `schemas`, looking through optional/default wrappers and unions. */
function objectsOf(schemas: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const schema of schemas) {
    const cur = unwrap(schema) as { def?: { options?: unknown[] } } | undefined;
    if (!cur) continue;
    if (cur.def?.options) out.push(...objectsOf(cur.def.options));
    else out.push(cur);
  }
  return out;
}

function unwrap(schema: unknown): unknown {
  let cur = schema as { unwrap?: () => unknown; def?: { innerType?: unknown; in?: unknown } } | undefined;
  for (let i = 0; i < 10 && cur; i++) {
    const inner = cur.def?.innerType ?? cur.def?.in;
    if (inner) cur = inner as typeof cur;
    else break;
  }
  return cur;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function nodeAt(node: YamlNode | null, path: readonly PropertyKey[]): YamlNode | null {
  let cur: YamlNode | null = node;
  for (const key of path) {
    if (isMap(cur)) {
      const pair = cur.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) return cur;
      cur = (pair.value as YamlNode | null) ?? (pair.key as YamlNode);
    } else if (isSeq(cur)) {
      const item = cur.items[Number(key)];
      if (!item) return cur;
      cur = item as YamlNode;
    } else {
      return cur;
    }
  }
  return cur;
}
