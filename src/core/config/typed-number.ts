// A number in a YAML or JSON file as the user typed it, for error lines. The YAML reader turns 9007199254740993
// (2^53 + 1) into the nearest double, 9007199254740992, and 1e400 into Infinity, so an error quoting the parsed
// value showed a number nobody typed (issue 13). The node's source text is kept by the `yaml` library (Scalar
// `source`, set while parsing plain scalars); its `intAsBigInt` option would change every integer's type, so the
// text is looked up only when an error quotes the value. Browser-safe.
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from "yaml";
import { describeValue } from "../errors.ts";
import { parseDecimal } from "./number.ts";

/** An integer literal: optional sign and decimal digits (JSON's and YAML 1.2 core schema's decimal integers). */
const INTEGER_LITERAL = /^[-+]?\d+$/;

/**
 * The text typed for `node` when it is a number that text does not denote exactly: an integer literal beyond
 * Number.MAX_SAFE_INTEGER, or a decimal that overflows to ±Infinity or underflows to 0 (parseDecimal refuses
 * both). Undefined for any other node, and when `node`'s value is not `value` (the value in the data may have
 * come from elsewhere, e.g. a flag that overrides the file).
 */
export function numberAsTyped(node: YamlNode | null | undefined, value: unknown): string | undefined {
  if (!isScalar(node) || typeof node.value !== "number" || !Object.is(node.value, value)) return undefined;
  const source = (node as { source?: unknown }).source;
  if (typeof source !== "string") return undefined;
  const text = source.trim();
  const inexactInteger = INTEGER_LITERAL.test(text) && !Number.isSafeInteger(node.value);
  return inexactInteger || parseDecimal(text) === undefined ? text : undefined;
}

/** Whether `value` holds a number a text may have denoted inexactly (past 2^53, ±Infinity, 0 from an underflow). */
function mayBeRounded(value: unknown, depth = 0): boolean {
  if (typeof value === "number") return !Number.isFinite(value) || value === 0 || Math.abs(value) > Number.MAX_SAFE_INTEGER;
  if (Array.isArray(value) && depth < 2) return value.some((v) => mayBeRounded(v, depth + 1));
  return false;
}

/**
 * `value`, found at `path` of the JSON `text` (a strict-JSON reader's input: a JSON Lines row, a safetensors
 * header), as an error line shows it: a number the parser rounded, or a list of them, as typed. The text is parsed
 * again with the YAML reader (JSON is YAML 1.2) only when the value holds such a number.
 */
export function describeJsonValue(text: string, path: readonly PropertyKey[], value: unknown): string {
  if (!mayBeRounded(value)) return describeValue(value);
  let node: unknown = parseDocument(text).contents;
  for (const key of path) node = isMap(node) || isSeq(node) ? node.get(isSeq(node) ? Number(key) : key, true) : undefined;
  const one = (n: unknown, v: unknown) => numberAsTyped(n as YamlNode, v) ?? describeValue(v);
  if (Array.isArray(value) && isSeq(node)) return `[${value.map((v, i) => one(node.get(i, true), v)).join(", ")}]`;
  return one(node, value);
}
