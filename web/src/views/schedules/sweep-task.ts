// Runs inside the worker: a reusable scaling sweep (Hägele et al. 2024 §5): per size one constant-LR trunk with
// cooldown branches, against a cosine run per (size, budget); the core's planSweep, as `scaleplan sweep`.
import { BATCH_TOKENS, PARAMETER_COUNT, requireListLength, TOKENS_PER_PARAMETER } from "../../../../src/core/config/bounds.ts";
import { InputError } from "../../../../src/core/errors.ts";
import { parseCount } from "../../../../src/core/config/number.ts";
import { planSweep, type SweepModel, type SweepPlan } from "../../../../src/core/sweep/plan.ts";
import { gpuPeakFlops as catalogueGpuPeakFlops, HAGELE_2024_MODELS } from "../../../../src/core/sweep/presets.ts";
import { COOLDOWN_SHAPES, type CooldownShape } from "../../../../src/core/schedule/types.ts";
import { requireBounded, type Bound } from "../../worker/bounds.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { FormErrors } from "../limits/task.ts";
import { fieldReader } from "../scaling/read-fields.ts";
import type { SchedulesState } from "./state.ts";

export type SweepTaskInput = Pick<
  SchedulesState,
  "sweepModels" | "sweepSizes" | "sweepRatios" | "sweepBatch" | "sweepCooldown" | "sweepShape" | "sweepGpu" | "sweepUtilization"
>;


/** What the sweep planner's fields accept: the core's bounds (src/core/config/bounds.ts), which planSweep enforces too. */
export const SWEEP_BOUNDS = {
  sizes: PARAMETER_COUNT,
  ratios: TOKENS_PER_PARAMETER,
  batch: BATCH_TOKENS,
} as const satisfies Readonly<Record<string, Bound>>;

/** A positive count such as 124M, 1.3B or 2e10 (the CLI's `--models`/`--tokens` syntax), inside its bound. */
function count(field: keyof typeof SWEEP_BOUNDS, raw: string): number {
  // The CLI's one count parser (config/number.ts parseCount), not a copy of it.
  const v = parseCount(raw) ?? Number.NaN;
  if (!Number.isFinite(v) || v <= 0) throw new InputError(field, raw, "a positive count such as 124M, 1.3B or 2e10");
  return requireBounded(field, v, SWEEP_BOUNDS[field]);
}

function list(field: "sizes" | "ratios", raw: string): number[] {
  // The one list bound of the CLI and the core (config/bounds.ts MAX_LIST_ENTRIES), with the same error line.
  return requireListLength(field, raw.split(",")).map((x) => count(field, x));
}

export function sweepTask(input: SweepTaskInput, _progress: ProgressFn): SweepPlan {
  const reader = fieldReader("sweep");
  const fraction: Bound = { min: 0, minExclusive: true, max: 1 };
  const cooldown = reader.number("cooldown", input.sweepCooldown, fraction);
  const utilization = reader.number("utilization", input.sweepUtilization, fraction);
  const shape = reader.guard("shape", () => {
    if (!(COOLDOWN_SHAPES as readonly string[]).includes(input.sweepShape)) throw new InputError("shape", input.sweepShape, `one of ${COOLDOWN_SHAPES.join(", ")}`);
    return input.sweepShape as CooldownShape;
  });
  let models: SweepModel[] | undefined;
  if (input.sweepModels === "hagele2024") {
    models = HAGELE_2024_MODELS.map((m) => ({ name: m.name, params: m.params, arch: m.arch, batchTokens: m.batchTokens, budgets: m.steps.map((s) => s * m.batchTokens) }));
  } else {
    const sizes = reader.guard("sizes", () => list("sizes", input.sweepSizes));
    const ratios = reader.guard("ratios", () => list("ratios", input.sweepRatios));
    const batch = reader.guard("batch", () => count("batch", input.sweepBatch));
    if (sizes && ratios && batch !== undefined) {
      const names = input.sweepSizes.split(",").map((x) => x.trim());
      models = sizes.map((params, i) => ({ name: names[i]!, params, batchTokens: batch, budgets: ratios.map((r) => r * params) }));
    }
  }
  const gpuPeakFlops = input.sweepGpu === "none" ? undefined : catalogueGpuPeakFlops(input.sweepGpu);
  reader.done();
  // Every field read without an error: the values are all defined.
  if (!models || cooldown === undefined || shape === undefined || utilization === undefined) throw new FormErrors([]);
  try {
    return planSweep({ models, cooldownFraction: cooldown, cooldownShape: shape, utilization, ...(gpuPeakFlops !== undefined ? { gpuPeakFlops } : {}) });
  } catch (error) {
    if (error instanceof InputError) throw new FormErrors([{ key: "sweep", field: "sizes", message: error.message }]);
    throw error;
  }
}
