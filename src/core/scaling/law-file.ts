import { z } from "zod";
import { parseConfigText, validateConfig } from "../config/parse.ts";
import type { ScalingLaw } from "./law-types.ts";

const num = z.number().finite();
const pos = num.positive();
const conventions = z.strictObject({ params: z.string(), data: z.string(), loss: z.string(), compute: z.string() });
const base = {
  id: z.string().min(1),
  name: z.string().min(1),
  source: z.string().min(1),
  conventions,
  notes: z.string().optional(),
};
const lawSchema = z.discriminatedUnion("form", [
  z.strictObject({ ...base, form: z.literal("chinchilla"), E: pos, A: pos, B: pos, alpha: pos, beta: pos }),
  z.strictObject({ ...base, form: z.literal("data-constrained"), E: pos, A: pos, B: pos, alpha: pos, beta: pos, rdStar: pos, rnStar: pos }),
  z.strictObject({ ...base, form: z.literal("overtraining"), E: pos, a: pos, b: pos, eta: pos }),
  z.strictObject({ ...base, form: z.literal("kaplan-nd"), nc: pos, alphaN: pos, dc: pos, alphaD: pos }),
  z.strictObject({ ...base, form: z.literal("power-1d"), variable: z.enum(["N", "D", "C"]), unit: z.enum(["params", "tokens", "FLOP", "PF-day"]), xc: pos, exponent: pos }),
  z.strictObject({ ...base, form: z.literal("hparams-compute"), batch: z.strictObject({ coef: pos, exp: num }), lr: z.strictObject({ coef: pos, exp: num }) }),
  z.strictObject({ ...base, form: z.literal("hparams-nd"), lr: z.strictObject({ coef: pos, expN: num, expD: num }), batch: z.strictObject({ coef: pos, expD: num }) }),
  z.strictObject({ ...base, form: z.literal("bcrit-loss"), bStar: pos, alphaB: pos }),
  z.strictObject({ ...base, form: z.literal("cbs-params"), coef: pos, exp: num, sequenceLength: pos }),
]);

/**
 * A law from a parsed document (same shape as the presets, see law-types.ts): the constants, units and
 * conventions travel with it. Unknown fields are errors, as in every other file. Errors name the path inside
 * the document.
 */
export function parseLawDocument(data: unknown, sourceName: string): ScalingLaw {
  return validateConfig(data, lawSchema, sourceName) as ScalingLaw;
}

/** A law document from its text (JSON or YAML; errors name file:line:col). */
export function parseLawText(text: string, sourceName: string): ScalingLaw {
  return parseConfigText(text, lawSchema, sourceName) as ScalingLaw;
}
