// The plan's inputs: one schema for flags (camelCase), plan files (YAML/JSON) and the web app's URL state, so a
// bad value is reported the same way everywhere (one line naming the field).

import { z } from "zod";
import { validateConfig, type Locate } from "../config/parse.ts";
import { GOODPUT, GPU_COUNT, INFERENCE_TOKENS, LINK_GBPS, LINK_LATENCY_MS, OUTER_BITS, PLAN_DAYS, PLAN_MFU, SEQUENCE_LENGTH, SITE_COUNT, SYNC_EVERY, UNIQUE_TOKENS, USD_PER_GPU_HOUR } from "../config/bounds.ts";
import { numberValue } from "../config/schema.ts";
import { ARCHITECTURES, PLAN_INPUT_DEFAULTS as DEFAULTS } from "./plain-input.ts";

const pos = z.number().finite().positive();

export { ARCHITECTURES } from "./plain-input.ts";

export const planInputSchema = z.strictObject({
  gpu: z.string().min(1),
  // Bounded as on the command line (config/bounds.ts): a plan file holds the same inputs as the flags.
  gpus: z.union([numberValue(GPU_COUNT), z.array(numberValue(GPU_COUNT)).min(1)]),
  gpusPerNode: numberValue(GPU_COUNT).optional(),
  days: numberValue(PLAN_DAYS).optional(),
  budgetUsd: pos.optional(),
  usdPerGpuHour: numberValue(USD_PER_GPU_HOUR).optional(),
  /** A loss-law preset id (the CLI also takes a law file and resolves it before calling makePlan). */
  law: z.string().min(1).optional(),
  /** A saved `scaleplan fit --json` file (CLI) — resolved by the caller into `fitLaw`. */
  fit: z.string().min(1).optional(),
  uniqueTokens: numberValue(UNIQUE_TOKENS).optional(),
  inferenceTokens: numberValue(INFERENCE_TOKENS).optional(),
  architecture: z.enum(ARCHITECTURES).default(DEFAULTS.architecture),
  seqLen: numberValue(SEQUENCE_LENGTH).default(DEFAULTS.seqLen),
  /** Default: bf16, or fp16 on GPUs without BF16 tensor cores (V100). */
  precision: z.enum(["bf16", "fp16", "fp8"]).optional(),
  software: z.unknown().optional(),
  goodput: numberValue(GOODPUT).optional(),
  mfu: numberValue(PLAN_MFU).optional(),
  hparams: z.string().min(1).default(DEFAULTS.hparams),
  pue: z.number().min(1).max(3).optional(),
  // Across sites (sites.ts, docs/plan.md "Across sites"): the GPUs spread over S sites, the link between them, and
  // DiLoCo's cadence H (absent: synchronous data parallelism across the sites).
  // Bounded as in run configs and `diloco` (config/bounds.ts).
  sites: numberValue(SITE_COUNT).optional(),
  interSiteGbit: numberValue(LINK_GBPS).optional(),
  interSiteMs: numberValue(LINK_LATENCY_MS).optional(),
  diloco: numberValue(SYNC_EVERY).optional(),
  outerBits: numberValue(OUTER_BITS).optional(),
});

export type PlanInputData = z.input<typeof planInputSchema>;
export type PlanInputParsed = z.output<typeof planInputSchema>;

/** `locate`: where a plan file's values sit (parseYamlText), so its errors name line:col and numbers as typed. */
export function validatePlanInput(data: unknown, sourceName = "", locate?: Locate): PlanInputParsed {
  return validateConfig(data, planInputSchema, sourceName, locate);
}
