// zod building blocks shared by every input: typed text (command-line flags, URL state, spec values) and parsed
// files. A number typed as text goes through parseDecimal (./number.ts), the one number parser; the issue message
// is the phrase of what is allowed, which validateConfig / parseFlags put in the one-line InputError.
import { z } from "zod";
import { describeRule, meetsRule, parseCount, parseDecimal, type NumberRule } from "./number.ts";
import { LIST_ENTRIES_ALLOWED, MAX_LIST_ENTRIES } from "./bounds.ts";

/** A decimal number typed as text, meeting `rule` ("0x10", "", "1e309", "NaN" are rejected). */
export function decimalText(rule: NumberRule = {}) {
  const allowed = describeRule(rule);
  return z.string().transform((raw, ctx) => {
    const x = parseDecimal(raw);
    if (x === undefined || !meetsRule(x, rule)) {
      ctx.addIssue({ code: "custom", message: allowed, input: raw });
      return z.NEVER;
    }
    return x;
  });
}

/** A count typed as text with an optional suffix k, M, B, T (124M, 1.3B, 2e10), meeting `rule`. */
export function countText(rule: NumberRule = {}, example = "124M, 1.3B or 2e10") {
  const allowed = `${describeRule(rule)} such as ${example}`;
  return z.string().transform((raw, ctx) => {
    const x = parseCount(raw);
    if (x === undefined || !meetsRule(x, rule)) {
      ctx.addIssue({ code: "custom", message: allowed, input: raw });
      return z.NEVER;
    }
    return x;
  });
}

/**
 * A comma-separated list of counts typed as text (at least one, at most MAX_LIST_ENTRIES, the one list bound of
 * config/bounds.ts). Too many entries is an issue with `params.entries` set, which parseFlags words as
 * tooManyEntries does everywhere else ("--tokens: 101 entries is too many; expected at most 100 entries (…)").
 */
export function countListText(rule: NumberRule = {}) {
  const allowed = `a comma-separated list of counts, each ${describeRule(rule)} (such as 124M,1.3B)`;
  return z.string().transform((raw, ctx) => {
    const parts = raw.split(",");
    if (parts.length > MAX_LIST_ENTRIES) {
      ctx.addIssue({ code: "custom", message: LIST_ENTRIES_ALLOWED, input: raw, params: { entries: parts.length } });
      return z.NEVER;
    }
    const values = parts.map((p) => parseCount(p));
    if (values.some((x) => x === undefined || !meetsRule(x, rule))) {
      ctx.addIssue({ code: "custom", message: allowed, input: raw });
      return z.NEVER;
    }
    return values as number[];
  });
}

/** A number in a parsed file (YAML/JSON) meeting `rule`; NaN/Infinity never pass. */
export function numberValue(rule: NumberRule = {}) {
  return z.number().refine((x) => meetsRule(x, rule), describeRule(rule));
}

/** One of the given words. */
export function choiceText<const T extends readonly [string, ...string[]]>(choices: T) {
  return z.enum(choices, { error: `one of ${choices.join(", ")}` });
}

/** A file name for a chart: not empty, ending in .svg or .png. */
export function plotPathText() {
  return z.string().regex(/\S.*\.(svg|png)$/i, { error: "a file name ending in .svg or .png" });
}
