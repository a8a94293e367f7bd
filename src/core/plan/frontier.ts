// Several cluster sizes: one plan per GPU count (a deadline, or what the budget buys at each size).

import type { PlanInputData } from "./input.ts";
import { makePlan, type Plan, type PlanOptions } from "./make-plan.ts";

export interface FrontierRow {
  readonly gpus: number;
  readonly plan: Plan;
}

export function makeFrontier(data: PlanInputData, options: PlanOptions = {}): FrontierRow[] {
  const counts = Array.isArray(data.gpus) ? data.gpus : [data.gpus];
  return counts.map((gpus, i) => ({
    gpus,
    plan: makePlan({ ...data, gpus }, { ...options, onProgress: (d, t) => options.onProgress?.(i * t + d, counts.length * t) }),
  }));
}
