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

/**
 * Options typed on the command line that the chosen mode does not read are bad input, not silently ignored
 * (issue 13: `sweep --gpu-flops` was ignored with `--gpu`; `fit --form precision --bootstrap 1e6` did nothing):
 * the first one given is one InputError naming it and the mode (`--bootstrap: "1e6" is not allowed; expected no
 * --bootstrap with --form precision (…)`). `unused` are commander attribute names; a default value does not count.
 */
export function rejectUnusedOptions(command: { getOptionValueSource(key: string): string | undefined; opts(): Record<string, unknown> }, unused: readonly string[], mode: string, why: string): void {
  for (const key of unused) {
    if (command.getOptionValueSource(key) !== "cli") continue;
    const option = optionName(key);
    throw new InputError(option, command.opts()[key], `no ${option} with ${mode} (${why})`);
  }
}
