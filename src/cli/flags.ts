// The one way in for command-line options: each command declares its options' schema (zod, built from
// src/core/config/schema.ts) and parses commander's option object through parseFlags. A failure is ONE
// InputError naming the option as typed (--tokens-per-param), the value typed and what is allowed (exit 2).
import { z } from "zod";
import { allowedText } from "../core/config/parse.ts";
import { InputError } from "../core/errors.ts";
import { tooManyEntries } from "../core/config/bounds.ts";

/** commander's attribute name → the option as typed: tokensPerParam → --tokens-per-param. */
export function optionName(attribute: string): string {
  return `--${attribute.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Validates commander's options against `shape`. Keys not in `shape` pass through unchanged (booleans such as
 * --json); each key in `shape` is replaced by its parsed value.
 */
export function parseFlags<O extends object, S extends z.ZodRawShape>(opts: O, shape: S): Omit<O, keyof S> & z.output<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(opts);
  if (result.success) return { ...opts, ...result.data } as Omit<O, keyof S> & z.output<z.ZodObject<S>>;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? "");
  const option = optionName(key);
  const value = (opts as Record<string, unknown>)[key];
  const entries = issue.code === "custom" ? (issue.params as { entries?: number } | undefined)?.entries : undefined;
  if (entries !== undefined) throw tooManyEntries(option, entries);
  throw new InputError(option, value, allowedText(issue));
}
