// Runs inside the worker: the Plan view's text inputs → plan.makePlan, with the tables the CLI prints and the data
// of the two charts (loss vs model size; utilization vs compute with this run on it). The form's plain input goes
// to planFromInput without the schemas, and the run's YAML is written after the first estimate, so the worker
// reaches that estimate without loading zod or yaml (docs/web-app.md, "Critical path of the first result").
import { GOODPUT, GPU_COUNT, INFERENCE_TOKENS, PLAN_DAYS, SEQUENCE_LENGTH, UNIQUE_TOKENS, USD_PER_GPU_HOUR, type Bound } from "../../../../src/core/config/bounds.ts";
import { meetsRule, parseDecimal } from "../../../../src/core/config/number.ts";
import { ComputationError, InputError } from "../../../../src/core/errors.ts";
import { planFromInput, type Plan, type PlanOptions } from "../../../../src/core/plan/make-plan.ts";
import type { PlanInputData } from "../../../../src/core/plan/input.ts";
import { plainPlanInput } from "../../../../src/core/plan/plain-input.ts";
import { alternativesTable, planTable } from "../../../../src/core/plan/report.ts";
import type { Table } from "../../../../src/core/table.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { FormErrors } from "../limits/task.ts";
import type { PlanState } from "./state.ts";

export interface PlanTaskResult {
  readonly plan: Plan;
  readonly table: Table;
  readonly alternatives: Table;
  /** The run configuration as YAML (what `--write-config` writes; the Run view opens with it); null in the estimate. */
  readonly runYaml: string | null;
  /** A first estimate from a coarse grid (makePlan's onEstimate), shown while the full plan is computed. */
  readonly estimate: boolean;
}

function planResult(plan: Plan, estimate: boolean, runYaml: string | null): PlanTaskResult {
  return { plan, table: planTable(plan), alternatives: alternativesTable(plan), runYaml, estimate };
}

/** The YAML writer, fetched once the estimate is out (its own chunk: the estimate does not wait for it). */
const yamlWriter = () => import("yaml").then((m) => m.stringify);

type PlanOutcome = PlanTaskResult | { readonly infeasible: string };

/**
 * Runs `make` now (its input errors are thrown here, as FormErrors naming the field), then adds the run's YAML
 * once the writer has loaded.
 */
function settle(make: () => Plan, writer: () => Promise<(value: unknown) => string>): Promise<PlanOutcome> {
  let plan: Plan;
  try {
    plan = make();
  } catch (error) {
    if (error instanceof InputError) throw new FormErrors([{ key: "plan", field: error.field.replace(/^--/, ""), message: error.message }]);
    if (error instanceof ComputationError) return Promise.resolve({ infeasible: error.message });
    throw error;
  }
  return writer().then((toYaml) => planResult(plan, false, plan.run ? toYaml(plan.run) : null));
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
/** The field's number inside the CLI's bound (config/bounds.ts), with the CLI's words. */
const bounded = (field: string, raw: string, b: Bound) => numberField(field, raw, b.allowed, (x) => meetsRule(x, b));
const optionalBounded = (field: string, raw: string, b: Bound) => optional(field, raw, b.allowed, (x) => meetsRule(x, b));

/** The form's fields as the plan's input; a field that is not a valid number is a FormError naming it. */
function planData(input: PlanState): PlanInputData {
  const gpus = bounded("gpus", input.gpus, GPU_COUNT);
  const deadline =
    input.mode === "days"
      ? { days: bounded("days", input.days, PLAN_DAYS) }
      : {
          budgetUsd: numberField("budgetUsd", input.budgetUsd, "dollars > 0", positive),
          usdPerGpuHour: bounded("usdPerGpuHour", input.usdPerGpuHour, USD_PER_GPU_HOUR),
        };
  // The bounds of `plan --days/--goodput` (config/bounds.ts); an empty goodput is the reliability model.
  const goodput = optionalBounded("goodput", input.goodput, GOODPUT);
  const uniqueTokens = optionalBounded("uniqueTokens", input.uniqueTokens, UNIQUE_TOKENS);
  const inferenceTokens = optionalBounded("inferenceTokens", input.inferenceTokens, INFERENCE_TOKENS);
  const seqLen = bounded("seqLen", input.seqLen, SEQUENCE_LENGTH);
  return {
    gpu: input.gpu,
    gpus,
    ...deadline,
    ...(input.mode === "days" && input.usdPerGpuHour.trim() !== "" ? { usdPerGpuHour: bounded("usdPerGpuHour", input.usdPerGpuHour, USD_PER_GPU_HOUR) } : {}),
    law: input.law,
    architecture: input.architecture,
    seqLen,
    ...(goodput !== undefined ? { goodput } : {}),
    ...(uniqueTokens !== undefined ? { uniqueTokens } : {}),
    ...(inferenceTokens !== undefined ? { inferenceTokens } : {}),
  };
}

/**
 * The form's plain input goes to planFromInput, without the schemas, and is planned before this returns (its errors
 * thrown here); other input goes to makePlan's checks, loaded first (plainPlanInput). The result waits for the YAML
 * writer, fetched while the full plan is computed.
 */
export function planTask(input: PlanState, progress: ProgressFn): Promise<PlanOutcome> {
  const data = planData(input);
  let writer: Promise<(value: unknown) => string> | undefined;
  const options: PlanOptions = {
    onProgress: (done, total) => progress(done, total, "candidates"),
    // A real plan over a coarse grid first (its layout searches pruned: docs/benchmarks.md, "Layout search and
    // the Plan estimate"), then the full one.
    onEstimate: (estimate) => {
      progress.partial?.(planResult(estimate, true, null));
      writer = yamlWriter();
    },
  };
  const written = () => writer ?? yamlWriter();
  const plain = plainPlanInput(data);
  if (plain !== undefined) return settle(() => planFromInput(plain, options), written);
  return import("./validated-plan.ts").then(({ makePlan }) => settle(() => makePlan(data, options), written));
}
