// Runs inside the worker: the Plan view's text inputs → plan.makePlan, with the tables the CLI prints and the data
// of the two charts (loss vs model size; utilization vs compute with this run on it).
import { stringify as toYaml } from "yaml";
import { GOODPUT, PLAN_DAYS } from "../../../../src/core/config/bounds.ts";
import { meetsRule, parseDecimal } from "../../../../src/core/config/number.ts";
import { ComputationError, InputError } from "../../../../src/core/errors.ts";
import { makePlan, type Plan } from "../../../../src/core/plan/make-plan.ts";
import { alternativesTable, planTable } from "../../../../src/core/plan/report.ts";
import type { Table } from "../../../../src/core/table.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { FormErrors } from "../limits/task.ts";
import type { PlanState } from "./state.ts";

export interface PlanTaskResult {
  readonly plan: Plan;
  readonly table: Table;
  readonly alternatives: Table;
  /** The run configuration as YAML (what `--write-config` writes; the Run view opens with it). */
  readonly runYaml: string | null;
  /** A first estimate from a coarse grid (makePlan's onEstimate), shown while the full plan is computed. */
  readonly estimate: boolean;
}

function planResult(plan: Plan, estimate: boolean): PlanTaskResult {
  return { plan, table: planTable(plan), alternatives: alternativesTable(plan), runYaml: plan.run ? toYaml(plan.run) : null, estimate };
}

/** One form field as a number (the project's one decimal parser), with the CLI's one-line messages. */
function numberField(field: string, raw: string, allowed: string, check: (x: number) => boolean): number {
  const x = parseDecimal(raw);
  if (x === undefined || !check(x)) throw new FormErrors([{ key: "plan", field, message: new InputError(field, raw, allowed).message }]);
  return x;
}

const optional = (field: string, raw: string, allowed: string, check: (x: number) => boolean): number | undefined =>
  raw.trim() === "" ? undefined : numberField(field, raw, allowed, check);

const positive = (x: number) => x > 0;

export function planTask(input: PlanState, progress: ProgressFn): PlanTaskResult | { readonly infeasible: string } {
  const gpus = numberField("gpus", input.gpus, "a whole number >= 1", (x) => Number.isInteger(x) && x >= 1);
  const deadline =
    input.mode === "days"
      ? { days: numberField("days", input.days, PLAN_DAYS.allowed, (x) => meetsRule(x, PLAN_DAYS)) }
      : {
          budgetUsd: numberField("budgetUsd", input.budgetUsd, "dollars > 0", positive),
          usdPerGpuHour: numberField("usdPerGpuHour", input.usdPerGpuHour, "dollars per GPU-hour > 0", positive),
        };
  // The bounds of `plan --days/--goodput` (config/bounds.ts); an empty goodput is the reliability model.
  const goodput = optional("goodput", input.goodput, GOODPUT.allowed, (x) => meetsRule(x, GOODPUT));
  const uniqueTokens = optional("uniqueTokens", input.uniqueTokens, "a token count > 0, or empty", positive);
  const inferenceTokens = optional("inferenceTokens", input.inferenceTokens, "a token count > 0, or empty", positive);
  const seqLen = numberField("seqLen", input.seqLen, "a whole number >= 1", (x) => Number.isInteger(x) && x >= 1);
  let plan: Plan;
  try {
    plan = makePlan(
      {
        gpu: input.gpu,
        gpus,
        ...deadline,
        ...(input.mode === "days" && input.usdPerGpuHour.trim() !== "" ? { usdPerGpuHour: numberField("usdPerGpuHour", input.usdPerGpuHour, "dollars per GPU-hour > 0", positive) } : {}),
        law: input.law,
        architecture: input.architecture,
        seqLen,
        ...(goodput !== undefined ? { goodput } : {}),
        ...(uniqueTokens !== undefined ? { uniqueTokens } : {}),
        ...(inferenceTokens !== undefined ? { inferenceTokens } : {}),
      },
      {
        onProgress: (done, total) => progress(done, total, "candidates"),
        // A real plan over a coarse grid first (its layout searches pruned: docs/benchmarks.md, "Layout search and
        // the Plan estimate"), then the full one.
        onEstimate: (estimate) => progress.partial?.(planResult(estimate, true)),
      },
    );
  } catch (error) {
    if (error instanceof InputError) throw new FormErrors([{ key: "plan", field: error.field.replace(/^--/, ""), message: error.message }]);
    if (error instanceof ComputationError) return { infeasible: error.message };
    throw error;
  }
  return planResult(plan, false);
}
