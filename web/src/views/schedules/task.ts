// Runs inside the worker: schedule specs → per-step LRs (the CLI's generators), LR areas, the PyTorch snippet,
// and the loss predicted by a published Multi-Power Law fit.
import { InputError } from "../../../../src/core/errors.ts";
import { requireBounded, type Bound } from "../../worker/bounds.ts";
import type { SavedFit } from "../../../../src/core/curves/fit-file.ts";
import { predictWithFit } from "../../../../src/core/curves/predict-with-fit.ts";
import { lrTables, mplPredictFromTables, type MplParams } from "../../../../src/core/curves/multi-power-law.ts";
import { extrapolations, extrapolationWarning } from "../../../../src/core/curves/extrapolation.ts";
import { findCurveLawPreset } from "../../../../src/core/curves/presets.ts";
import { scheduleLrArray } from "../../../../src/core/schedule/generators.ts";
import { formatScheduleSpec, parseScheduleSpec } from "../../../../src/core/schedule/spec.ts";
import { pytorchLambdaSnippet, referenceTrainerFlags } from "../../../../src/core/schedule/snippets.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { FormErrors } from "../limits/task.ts";
import type { LawId } from "./state.ts";
import { SCHEDULE_STEPS } from "../../../../src/core/config/bounds.ts";

/**
 * Published Multi-Power Law parameters (Luo et al. 2025): the core's curve-law presets (src/core/curves/presets.ts),
 * fitted on runs with peak LR 3e-4 and a 2160-step warmup from 0 over 24000 steps.
 */
export const MPL_PUBLISHED: Readonly<Record<Exclude<LawId, "none" | "fit">, MplParams>> = {
  "mpl-25m": mplPresetParams("mpl-25m"),
  "mpl-100m": mplPresetParams("mpl-100m"),
  "mpl-400m": mplPresetParams("mpl-400m"),
};

function mplPresetParams(id: string): MplParams {
  const fit = findCurveLawPreset(id)!.fit;
  if (fit.law !== "mpl") throw new Error(`${id} is not a Multi-Power-Law preset`);
  return fit.params;
}

export interface SchedulesTaskInput {
  readonly specs: readonly string[];
  readonly law: LawId;
  readonly fitJson: string;
}


export interface ScheduleResult {
  readonly spec: string;
  /** The spec as the core writes it back (defaults filled in). */
  readonly canonical: string;
  readonly steps: number;
  readonly peak: number;
  readonly finalLr: number;
  /** Σ η over all steps (the LR area S1 at the end). */
  readonly lrArea: number;
  /** Up to ~600 (step, lr) points for the chart, always including the first and last steps. */
  readonly lrPoints: ReadonlyArray<{ step: number; lr: number }>;
  readonly lossPoints: ReadonlyArray<{ step: number; loss: number }> | null;
  /** Predicted loss at the last step (steps − 1). */
  readonly finalLoss: number | null;
  /** How the prediction leaves the range the law was fitted on (the core's curve-law domain), or null. */
  readonly extrapolation: string | null;
  /** The last step the law was fitted on, when known (published presets; saved fits with a domain). */
  readonly fittedHorizon: number | null;
  readonly snippet: string;
  readonly trainerFlags: string | null;
  readonly trainerFlagsReason: string | null;
}

const CHART_POINTS = 600;

/**
 * Σ η over all steps, in step order. An indexed loop: a for-of over the typed array runs the iterator protocol per
 * step until V8 optimizes it, which a fresh worker pays on its first result.
 */
function lrArea(lr: Float64Array): number {
  let area = 0;
  for (let k = 0; k < lr.length; k++) area += lr[k]!;
  return area;
}

/** Steps a schedule may have: the core's bound, which the schedule functions enforce too (src/core/config/bounds.ts). */
export const MAX_STEPS: Bound = SCHEDULE_STEPS;

function sampleSteps(n: number): number[] {
  const every = Math.max(1, Math.ceil(n / CHART_POINTS));
  const steps: number[] = [];
  for (let s = 0; s < n; s += every) steps.push(s);
  if (steps[steps.length - 1] !== n - 1) steps.push(n - 1);
  return steps;
}

/** Async only for a pasted fit: its reader (yaml and zod, ~190 KB) is loaded then, not for the published fits. */
export async function schedulesTask(input: SchedulesTaskInput, progress: ProgressFn): Promise<ScheduleResult[]> {
  const errors: Array<{ key: string; field: string; message: string }> = [];
  const schedules = input.specs.map((spec, i) => {
    try {
      const schedule = parseScheduleSpec(spec, "schedule");
      requireBounded("steps", schedule.steps, MAX_STEPS);
      return schedule;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push({ key: `schedule${i}`, field: "spec", message: error.message });
      return null;
    }
  });
  let law: SavedFit | null = null;
  if (input.law === "fit") {
    try {
      const { readPastedFit } = await import("./pasted-fit.ts");
      law = readPastedFit(input.fitJson);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push({ key: "law", field: "fit", message: error.message });
    }
  } else if (input.law !== "none") law = { law: "mpl", params: MPL_PUBLISHED[input.law] };
  if (errors.length > 0) throw new FormErrors(errors);
  return schedules.map((schedule, i) => {
    const s = schedule!;
    const lr = scheduleLrArray(s);
    // A Multi-Power Law prediction builds the curve's tables, whose running LR area ends with the area shown here
    // (the same sum in the same order): one pass over the steps less in a fresh worker's first result.
    const tables = law?.law === "mpl" && lr.length > 0 ? lrTables(lr) : null;
    const area = tables ? tables.area[lr.length - 1]! : lrArea(lr);
    const steps = sampleSteps(lr.length);
    let lossPoints: Array<{ step: number; loss: number }> | null = null;
    if (law) {
      // The law takes powers of the LR area: step 0 of a warmup from 0 has none, so predictions start at step 1.
      const lossSteps = steps.filter((t) => t >= 1);
      const losses = tables && law.law === "mpl" ? mplPredictFromTables(law.params, tables, lossSteps) : predictWithFit(law, lr, lossSteps);
      lossPoints = lossSteps.map((step, k) => ({ step, loss: losses[k]! })).filter((p) => Number.isFinite(p.loss));
    }
    progress(i + 1, schedules.length, `schedule ${i + 1}`);
    const flags = referenceTrainerFlags(s);
    const domain = input.law === "fit" ? law?.domain : findCurveLawPreset(input.law)?.domain;
    const extrapolation = law && domain ? extrapolationWarning(extrapolations(domain, lr, lr.length - 1), `schedule ${i + 1}`) : null;
    return {
      spec: input.specs[i]!,
      canonical: formatScheduleSpec(s),
      steps: s.steps,
      peak: s.peak,
      finalLr: lr[lr.length - 1]!,
      lrArea: area,
      lrPoints: steps.map((step) => ({ step, lr: lr[step]! })),
      lossPoints,
      finalLoss: lossPoints && lossPoints.length > 0 ? lossPoints[lossPoints.length - 1]!.loss : null,
      extrapolation: extrapolation === null ? null : extrapolation.replace(/^warning: /, ""),
      fittedHorizon: law && domain ? domain.maxStep : null,
      snippet: pytorchLambdaSnippet(s),
      trainerFlags: flags.flags ?? null,
      trainerFlagsReason: flags.reason ?? null,
    };
  });
}
