import { z } from "zod";
import { InputError } from "../errors.ts";
import type { ScalingLaw } from "./law-types.ts";

const num = z.number().finite();
const pos = num.positive();
const conventions = z.object({ params: z.string(), data: z.string(), loss: z.string(), compute: z.string() });
const base = {
  id: z.string().min(1),
  name: z.string().min(1),
  source: z.string().min(1),
  conventions,
  notes: z.string().optional(),
};
const lawSchema = z.discriminatedUnion("form", [
  z.object({ ...base, form: z.literal("chinchilla"), E: pos, A: pos, B: pos, alpha: pos, beta: pos }),
  z.object({ ...base, form: z.literal("data-constrained"), E: pos, A: pos, B: pos, alpha: pos, beta: pos, rdStar: pos, rnStar: pos }),
  z.object({ ...base, form: z.literal("overtraining"), E: pos, a: pos, b: pos, eta: pos }),
  z.object({ ...base, form: z.literal("kaplan-nd"), nc: pos, alphaN: pos, dc: pos, alphaD: pos }),
  z.object({ ...base, form: z.literal("power-1d"), variable: z.enum(["N", "D", "C"]), unit: z.enum(["params", "tokens", "FLOP", "PF-day"]), xc: pos, exponent: pos }),
  z.object({ ...base, form: z.literal("hparams-compute"), batch: z.object({ coef: pos, exp: num }), lr: z.object({ coef: pos, exp: num }) }),
  z.object({ ...base, form: z.literal("hparams-nd"), lr: z.object({ coef: pos, expN: num, expD: num }), batch: z.object({ coef: pos, expD: num }) }),
  z.object({ ...base, form: z.literal("bcrit-loss"), bStar: pos, alphaB: pos }),
  z.object({ ...base, form: z.literal("cbs-params"), coef: pos, exp: num, sequenceLength: pos }),
]);

/**
 * A law from a JSON document (same shape as the presets, see law-types.ts): the constants, units and conventions
 * travel with it. Errors name the path inside the document.
 */
export function parseLawDocument(data: unknown, sourceName: string): ScalingLaw {
  const r = lawSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.join(".") || "(root)";
    throw new InputError(`${sourceName}: ${path}`, "", "a law document", `${sourceName}: ${path}: ${issue.message}`);
  }
  return r.data as ScalingLaw;
}
