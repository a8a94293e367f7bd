// makePlan's checks (the plan-input and run-configuration schemas, zod), loaded by the Plan view's worker only for
// input outside the form's plain envelope (plainPlanInput), in their own chunk: the first estimate loads no zod.
import { validatePlanInput, type PlanInputData } from "../../../../src/core/plan/input.ts";
import { planFromInput, type Plan, type PlanOptions } from "../../../../src/core/plan/make-plan.ts";
import { validateRunConfig } from "../../../../src/core/run/run-config-schema.ts";

/** As makePlan (make-plan.ts), whose checks these are; imported from here so that the worker's own chunk holds no zod. */
export function makePlan(data: PlanInputData, options: PlanOptions): Plan {
  return planFromInput(validatePlanInput(data), options, (config) => validateRunConfig(config, "plan"));
}
