// The Plan view's state: the inputs of `scaleplan plan`, as typed (numbers stay text so an invalid entry survives a
// reload with its message). An empty optional field means "not given" (goodput: the reliability model).
import { z } from "zod";
import type { ViewCodec } from "../../url-state.ts";

export const planStateSchema = z.object({
  gpu: z.string(),
  gpus: z.string(),
  /** "days": a deadline; "budget": dollars at a price per GPU-hour. */
  mode: z.enum(["days", "budget"]),
  days: z.string(),
  budgetUsd: z.string(),
  usdPerGpuHour: z.string(),
  law: z.string(),
  architecture: z.enum(["dense", "moe"]),
  seqLen: z.string(),
  goodput: z.string(),
  uniqueTokens: z.string(),
  inferenceTokens: z.string(),
});
export type PlanState = z.infer<typeof planStateSchema>;

/** The example question: 4,096 H100s for 90 days. */
export const DEFAULT_PLAN_STATE: PlanState = {
  gpu: "h100-sxm",
  gpus: "4096",
  mode: "days",
  days: "90",
  budgetUsd: "",
  usdPerGpuHour: "",
  law: "epoch",
  architecture: "dense",
  seqLen: "8192",
  goodput: "",
  uniqueTokens: "",
  inferenceTokens: "",
};

export const planCodec: ViewCodec<PlanState> = { prefix: "p", schema: planStateSchema, defaults: DEFAULT_PLAN_STATE };
