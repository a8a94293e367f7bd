// The Plan view's state: the inputs of `scaleplan plan`, as typed (numbers stay text so an invalid entry survives a
// reload with its message). An empty optional field means "not given" (goodput: the reliability model).
import type { ViewCodec } from "../../url-state.ts";
import { oneOf, text, type Fields } from "../../url-fields.ts";

export type PlanState = {
  gpu: string;
  gpus: string;
  /** "days": a deadline; "budget": dollars at a price per GPU-hour. */
  mode: "days" | "budget";
  days: string;
  budgetUsd: string;
  usdPerGpuHour: string;
  law: string;
  architecture: "dense" | "moe";
  seqLen: string;
  goodput: string;
  uniqueTokens: string;
  inferenceTokens: string;
};

const planFields: Fields<PlanState> = {
  gpu: text(),
  gpus: text(),
  mode: oneOf(["days", "budget"]),
  days: text(),
  budgetUsd: text(),
  usdPerGpuHour: text(),
  law: text(),
  architecture: oneOf(["dense", "moe"]),
  seqLen: text(),
  goodput: text(),
  uniqueTokens: text(),
  inferenceTokens: text(),
};

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

export const planCodec: ViewCodec<PlanState> = { prefix: "p", fields: planFields, defaults: DEFAULT_PLAN_STATE };
