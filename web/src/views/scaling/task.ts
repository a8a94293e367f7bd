// Runs inside the worker: runs text → Approach-3 fit (Huber, multi-start L-BFGS, bootstrap) → charts of the fit
// against the data and of the compute-optimal frontier, and the allocation of a budget; the same core as
// `scaleplan fit` and `scaleplan optimal`.
import { InputError } from "../../../../src/core/errors.ts";
import { formatExp, formatSI } from "../../../../src/core/format.ts";
import { readBounded } from "../../worker/bounds.ts";
import type { FitChartSpec } from "../../../../src/core/plot/fit-chart.ts";
import { allocate, type Allocation } from "../../../../src/core/scaling/allocation.ts";
import { fitApproach3, type Approach3Fit } from "../../../../src/core/scaling/approach3.ts";
import { approach3FitChart, frontierChart } from "../../../../src/core/scaling/fit-charts.ts";
import type { ChinchillaLaw } from "../../../../src/core/scaling/law-types.ts";
import { parseColumnMapping, parseRuns, toRunPoints } from "../../../../src/core/scaling/runs.ts";
import type { RunPoint } from "../../../../src/core/scaling/approach3.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { FormErrors } from "../limits/task.ts";
import exampleCsv from "./chinchilla-svg-extracted.csv?raw";
import { COMPARABLE_PRESETS, RUNS_NAME, SCALING_BOUNDS } from "./constants.ts";
import type { ScalingFitInput } from "./state.ts";


export interface ScalingTaskResult {
  readonly points: number;
  readonly fit: Pick<Approach3Fit, "law" | "intervals" | "frontier" | "residuals" | "objective"> & { readonly bootstrapUsed: number; readonly bootstrapFailed: number };
  readonly fitChart: FitChartSpec;
  readonly frontierChart: FitChartSpec;
  readonly allocation: Allocation;
  readonly preset: { readonly id: string; readonly name: string; readonly source: string; readonly allocation: Allocation } | null;
  /** The compute (FLOP, C = 6ND) and parameter ranges of the fitted runs: outside them the law extrapolates. */
  readonly fitted: { readonly flop: readonly [number, number]; readonly params: readonly [number, number] };
  /** Why the allocation of the budget is an extrapolation, or null when the budget and N_opt lie inside the runs. */
  readonly extrapolation: string | null;
}

/**
 * A budget outside the runs' compute range (or an N_opt outside their sizes) is read off the law where no run
 * constrains it (issue 13: a 1e10 FLOP budget gave a 6k-parameter model with loss 46.6).
 */
function extrapolationWarning(budget: number, n: number, fitted: ScalingTaskResult["fitted"]): string | null {
  const [cLo, cHi] = fitted.flop;
  const [nLo, nHi] = fitted.params;
  const parts: string[] = [];
  if (budget < cLo || budget > cHi) parts.push(`the budget ${formatExp(budget)} FLOP is ${budget < cLo ? "below" : "above"} the runs' compute (${formatExp(cLo)} – ${formatExp(cHi)} FLOP)`);
  if (n < nLo || n > nHi) parts.push(`N_opt ${formatSI(n)} is ${n < nLo ? "below" : "above"} the runs' sizes (${formatSI(nLo)} – ${formatSI(nHi)} parameters)`);
  return parts.length === 0 ? null : `Extrapolation: ${parts.join("; ")}. The law is not constrained there: treat this allocation as a guess.`;
}

function numberField(key: keyof typeof SCALING_BOUNDS, text: string): number {
  try {
    return readBounded(key, text, SCALING_BOUNDS[key]);
  } catch (error) {
    if (error instanceof InputError) throw new FormErrors([{ key: "scaling", field: key, message: error.message }]);
    throw error;
  }
}

export function scalingTask(input: ScalingFitInput, progress: ProgressFn): ScalingTaskResult {
  const bootstrap = numberField("bootstrap", input.bootstrap);
  const seed = numberField("seed", input.seed);
  const budget = numberField("budget", input.budget);
  const drop = numberField("drop", input.drop);
  let points;
  try {
    const columns = parseColumnMapping(input.columns);
    try {
      points = toRunPoints(parseRuns(input.source === "example" ? exampleCsv : input.data, RUNS_NAME, columns), RUNS_NAME);
    } catch (error) {
      if (error instanceof InputError) throw new FormErrors([{ key: "scaling", field: "data", message: error.message }]);
      throw error;
    }
  } catch (error) {
    if (error instanceof InputError) throw new FormErrors([{ key: "scaling", field: "columns", message: error.message }]);
    throw error;
  }
  if (drop > 0) {
    if (drop >= points.length) throw new FormErrors([{ key: "scaling", field: "drop", message: new InputError("drop", drop, `fewer than the ${points.length} runs`).message }]);
    // As `scaleplan fit --drop-highest`: the k runs with the highest loss go first.
    points = [...points].sort((p, q) => p.loss - q.loss).slice(0, points.length - drop);
  }
  // The point estimate takes a fraction of the bootstrap's time: the page shows it as soon as the grid fit ends
  // (the fit's onPointEstimate), and the bootstrap then refits from that optimum within the same call.
  const partial = progress.partial;
  let fit: Approach3Fit;
  try {
    fit = fitApproach3(points, {
      bootstrap,
      seed,
      onProgress: (stage, done, total) => progress(stage === "grid" ? done : total + done, 2 * total, stage === "grid" ? "fit: grid of starts" : "bootstrap refits"),
      ...(partial ? { onPointEstimate: (pointFit: Approach3Fit) => partial(scalingResult(pointFit, points, budget, input.preset)) } : {}),
    });
  } catch (error) {
    if (error instanceof InputError) throw new FormErrors([{ key: "scaling", field: "data", message: error.message }]);
    throw error;
  }
  return scalingResult(fit, points, budget, input.preset);
}

/** The page's view of one fit: the law, its charts, the allocation of the budget, and the preset to compare with. */
function scalingResult(fit: Approach3Fit, points: readonly RunPoint[], budget: number, presetId: string): ScalingTaskResult {
  const law: ChinchillaLaw = {
    id: "fit",
    name: "Your fit",
    source: "Approach 3 fit in the browser",
    conventions: { params: "as in the data", data: "tokens", loss: "as in the data", compute: "C = 6ND FLOP" },
    form: "chinchilla",
    ...fit.law,
  };
  const samples = fit.bootstrap?.samples ?? [];
  const allocation = allocate(law, budget, { samples, ...(fit.bootstrap ? { level: fit.bootstrap.level } : {}) });
  const preset = COMPARABLE_PRESETS.find((p) => p.id === presetId) ?? null;

  // The runs' compute and size ranges (the fitted range), by loops: a spread of a user-sized array
  // (Math.min(...flops)) overflows the stack past ~125k runs.
  let cLo = Number.POSITIVE_INFINITY;
  let cHi = 0;
  let nLo = Number.POSITIVE_INFINITY;
  let nHi = 0;
  for (const p of points) {
    const c = 6 * p.n * p.d;
    cLo = Math.min(cLo, c);
    cHi = Math.max(cHi, c);
    nLo = Math.min(nLo, p.n);
    nHi = Math.max(nHi, p.n);
  }
  // The frontier spans the runs and the budget (a decade beyond either), with the preset's N_opt(C) beside the fit's.
  const frontier = frontierChart(fit, Math.min(cLo, budget / 10), Math.max(cHi, budget * 10));
  const presetLine = preset
    ? [{ name: preset.id, points: frontier.lines[0]!.points.map((p) => ({ x: p.x, y: allocate(preset, p.x).n })) }]
    : [];
  const fitted: ScalingTaskResult["fitted"] = { flop: [cLo, cHi], params: [nLo, nHi] };
  return {
    points: points.length,
    fit: {
      law: fit.law,
      ...(fit.intervals ? { intervals: fit.intervals } : {}),
      frontier: fit.frontier,
      residuals: fit.residuals,
      objective: fit.objective,
      bootstrapUsed: samples.length,
      bootstrapFailed: fit.bootstrap?.failed ?? 0,
    },
    fitChart: { ...approach3FitChart(fit, points), markedRange: { from: nLo, to: nHi, label: "runs" } },
    frontierChart: { ...frontier, lines: [...frontier.lines, ...presetLine], markedRange: { from: cLo, to: cHi, label: "fitted runs" } },
    allocation,
    fitted,
    extrapolation: extrapolationWarning(budget, allocation.n, fitted),
    preset: preset ? { id: preset.id, name: preset.name, source: preset.source, allocation: allocate(preset, budget) } : null,
  };
}
