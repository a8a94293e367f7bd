// A number in a YAML or JSON file as the user typed it, for error lines. The YAML reader turns 9007199254740993
// (2^53 + 1) into the nearest double, 9007199254740992, and 1e400 into Infinity, so an error quoting the parsed
// value showed a number nobody typed (issue 13). The node's source text is kept by the `yaml` library (Scalar
// `source`, set while parsing plain scalars); its `intAsBigInt` option would change every integer's type, so the
// text is looked up only when an error quotes the value. Browser-safe.
import { isScalar, type Node as YamlNode } from "yaml";
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
