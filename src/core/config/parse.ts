import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { InputError } from "../errors.ts";

/**
 * Parses a YAML or JSON configuration text (JSON is YAML) and validates it with a zod schema.
 * Errors become one InputError whose message points at the line the user typed:
 * `run.yaml:3:6: parallelism.tp: Too small: expected number to be >=1`.
 * Browser-safe: the CLI passes file contents, the web app passes pasted text or URL state.
 */
export function parseConfigText<S extends z.ZodType>(text: string, schema: S, sourceName: string): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = first.linePos?.[0];
    const where = pos ? `${sourceName}:${pos.line}:${pos.col}` : sourceName;
    const reason = first.message.split("\n")[0] ?? "syntax error";
    throw new InputError(sourceName, text, "valid YAML or JSON", `${where}: not valid YAML or JSON: ${reason}`);
  }
  const data: unknown = doc.toJS();
  return validateConfig(data, schema, sourceName, (path) => {
    const node = nodeAt(doc.contents as YamlNode | null, path);
    if (!node?.range) return undefined;
    const pos = lineCounter.linePos(node.range[0]);
    return `${pos.line}:${pos.col}`;
  });
}

/** Validates already-parsed data (flags, URL state) with the same schema and the same one-line errors. */
export function validateConfig<S extends z.ZodType>(
  data: unknown,
  schema: S,
  sourceName: string,
  locate: (path: readonly PropertyKey[]) => string | undefined = () => undefined,
): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  let path = issue.path.map(String);
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    path = [...path, String(issue.keys[0])];
    message = `unknown field (allowed: see the documentation of ${sourceName === "" ? "this input" : "this file"})`;
  }
  const field = path.length > 0 ? path.join(".") : "(top level)";
  const value = valueAt(data, issue.path);
  const loc = locate(issue.path);
  const where = sourceName ? `${sourceName}${loc ? `:${loc}` : ""}: ` : "";
  const shown = value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
  throw new InputError(field, value, message, `${where}${field}: ${message}${shown}`);
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
