// Runs inside the worker: a reusable scaling sweep (Hägele et al. 2024 §5): per size one constant-LR trunk with
// cooldown branches, against a cosine run per (size, budget); the core's planSweep, as `scaleplan sweep`.
import { InputError, requireInRange } from "../../../../src/core/errors.ts";
import { planSweep, type SweepModel, type SweepPlan } from "../../../../src/core/sweep/plan.ts";
import { gpuPeakFlops as catalogueGpuPeakFlops, HAGELE_2024_MODELS } from "../../../../src/core/sweep/presets.ts";
import { COOLDOWN_SHAPES, type CooldownShape } from "../../../../src/core/schedule/types.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { FormErrors } from "../limits/task.ts";
import type { SchedulesState } from "./state.ts";

export type SweepTaskInput = Pick<
  SchedulesState,
  "sweepModels" | "sweepSizes" | "sweepRatios" | "sweepBatch" | "sweepCooldown" | "sweepShape" | "sweepGpu" | "sweepUtilization"
>;

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

/** A positive count such as 124M, 1.3B or 2e10 (the CLI's `--models`/`--tokens` syntax). */
function count(field: string, raw: string): number {
  const m = /^([0-9.]+(?:e[+-]?[0-9]+)?)\s*([kmbgt])?$/i.exec(raw.trim());
  const v = m ? Number(m[1]) * (m[2] ? SUFFIX[m[2].toLowerCase()]! : 1) : Number.NaN;
  if (!Number.isFinite(v) || v <= 0) throw new InputError(field, raw, "a positive count such as 124M, 1.3B or 2e10");
  return v;
}

export function sweepTask(input: SweepTaskInput, _progress: ProgressFn): SweepPlan {
  const errors: Array<{ key: string; field: string; message: string }> = [];
  const guard = <T>(field: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push({ key: "sweep", field, message: error.message });
      return undefined;
    }
  };
  const fraction = (field: string, text: string) => {
    const n = Number(text.trim());
    return requireInRange(field, text.trim() === "" || !Number.isFinite(n) ? text : n, 0, 1, true);
  };
  const cooldown = guard("cooldown", () => fraction("cooldown", input.sweepCooldown));
  const utilization = guard("utilization", () => fraction("utilization", input.sweepUtilization));
  const shape = guard("shape", () => {
    if (!(COOLDOWN_SHAPES as readonly string[]).includes(input.sweepShape)) throw new InputError("shape", input.sweepShape, `one of ${COOLDOWN_SHAPES.join(", ")}`);
    return input.sweepShape as CooldownShape;
  });
  let models: SweepModel[] | undefined;
  if (input.sweepModels === "hagele2024") {
    models = HAGELE_2024_MODELS.map((m) => ({ name: m.name, params: m.params, arch: m.arch, batchTokens: m.batchTokens, budgets: m.steps.map((s) => s * m.batchTokens) }));
  } else {
    const sizes = guard("sizes", () => input.sweepSizes.split(",").map((x) => count("sizes", x)));
    const ratios = guard("ratios", () => input.sweepRatios.split(",").map((x) => count("ratios", x)));
    const batch = guard("batch", () => count("batch", input.sweepBatch));
    if (sizes && ratios && batch !== undefined) {
      const names = input.sweepSizes.split(",").map((x) => x.trim());
      models = sizes.map((params, i) => ({ name: names[i]!, params, batchTokens: batch, budgets: ratios.map((r) => r * params) }));
    }
  }
  const gpuPeakFlops = input.sweepGpu === "none" ? undefined : catalogueGpuPeakFlops(input.sweepGpu);
  if (errors.length > 0 || !models || cooldown === undefined || shape === undefined || utilization === undefined) throw new FormErrors(errors);
  try {
    return planSweep({ models, cooldownFraction: cooldown, cooldownShape: shape, utilization, ...(gpuPeakFlops !== undefined ? { gpuPeakFlops } : {}) });
  } catch (error) {
    if (error instanceof InputError) throw new FormErrors([{ key: "sweep", field: "sizes", message: error.message }]);
    throw error;
  }
}
