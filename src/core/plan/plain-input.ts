// The plan's input as the Plan view's form gives it (numbers already parsed), checked without the plan-input schema
// (input.ts, zod), so that the view's worker reaches its first estimate without loading zod (docs/web-app.md,
// "Critical path of the first result"). Anything outside this plain envelope goes to makePlan, which validates it
// with the schema and reports the same one-line errors as everywhere else.

import { GOODPUT, GPU_COUNT, INFERENCE_TOKENS, PLAN_DAYS, SEQUENCE_LENGTH, UNIQUE_TOKENS, USD_PER_GPU_HOUR, type Bound } from "../config/bounds.ts";
import { meetsRule } from "../config/number.ts";
import type { PlanInputParsed } from "./input.ts";

export const ARCHITECTURES = ["dense", "moe"] as const;

/** The defaults of the plan's input: one source for the schema (input.ts) and for plainPlanInput. */
export const PLAN_INPUT_DEFAULTS = { architecture: "dense", seqLen: 8192, hparams: "deepseek" } as const;

const text = (x: unknown) => typeof x === "string" && x.length >= 1;
const positive = (x: unknown) => typeof x === "number" && Number.isFinite(x) && x > 0;
const whole = (x: unknown) => typeof x === "number" && Number.isSafeInteger(x) && x >= 1;
const within = (bound: Bound) => (x: unknown) => typeof x === "number" && meetsRule(x, bound);

/**
 * The fields the form gives and what each must be to pass here; each is at least as strict as the schema's rule
 * for the field (test/plan/plain-input.test.ts checks that what passes here is what validatePlanInput returns).
 * The GPU count is held to GPU_COUNT here as in the schema (and in the run configuration, hardware.count).
 */
const PLAIN_FIELDS: Readonly<Record<string, (x: unknown) => boolean>> = {
  gpu: text,
  gpus: (x) => whole(x) && within(GPU_COUNT)(x),
  days: within(PLAN_DAYS),
  budgetUsd: positive,
  usdPerGpuHour: within(USD_PER_GPU_HOUR),
  law: text,
  architecture: (x) => ARCHITECTURES.includes(x as (typeof ARCHITECTURES)[number]),
  seqLen: within(SEQUENCE_LENGTH),
  goodput: within(GOODPUT),
  uniqueTokens: within(UNIQUE_TOKENS),
  inferenceTokens: within(INFERENCE_TOKENS),
};

/** The parsed input (defaults filled) when `data` is plain form input; undefined when it needs makePlan's checks. */
export function plainPlanInput(data: Readonly<Record<string, unknown>>): PlanInputParsed | undefined {
  for (const [key, value] of Object.entries(data)) {
    const check = PLAIN_FIELDS[key];
    if (check === undefined || !check(value)) return undefined;
  }
  if (!("gpu" in data) || !("gpus" in data)) return undefined;
  return { ...PLAN_INPUT_DEFAULTS, ...data } as PlanInputParsed;
}
