// Reproducible calibration: refits every constant marked "fitted" in calibration.ts from the published runs.
//
// Objective: the sum over the fitted rows of the squared log error of the published quantity,
// Σ ln(predicted / measured step time)² (the step time is measured, or derived from the published tokens/s by
// the row's own conversion, so the ratio is that of the published quantity). Rows left out of the fit:
// `FIT_EXCLUDED` (each with its reason). Method: cyclic coordinate descent, golden-section search on each
// parameter inside its bounds, from the priors (the values stated before any fitting), a fixed number of sweeps:
// deterministic, no randomness. A parameter none of the fitted rows depends on keeps its prior: that is what
// the leave-one-family-out figure relies on (fit without one framework's rows, predict them).

import { DEFAULT_STEP_CONSTANTS, type GenerationEfficiency, type StepConstants } from "./calibration.ts";
import { median } from "./calibration-check.ts";
import type { RealRun } from "./calibration-check.ts";
import { validateRunConfig, type RunConfig } from "./run-config.ts";
import { predictStep } from "./step.ts";

/** Rows the fit does not use (they are still predicted and reported), with the reason. */
export const FIT_EXCLUDED: Readonly<Record<string, string>> = {
  V4: "measured 1.7× slower than V3 (same model and GPUs); over the whole vTrain multi-node set the model is within 8 % on the TP2 rows of the 18.4B and 175B models, but all six TP2 rows of this 39.1B model are 13-38 % slower than predicted, more so with more micro-batches, while its TP1 and TP8 rows agree: no layout or stack term separates them",
  "T9-8b-fp8rw-tp":
    "the vanilla-TP rowwise-FP8 baseline its authors flag as anomalously slow (torchtitan issue 1207: rowwise FP8 on the thin wk/wv linears ran ~40 % slower than BF16, a per-shape kernel effect the GEMM size curve does not carry)",
};

/** One fitted constant: where it lives in StepConstants, its bounds and prior, and what it means. */
export interface FittedParameter {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  /** Value before any fitting (assumed or derived), kept when no fitted row depends on the parameter. */
  readonly prior: number;
  readonly meaning: string;
  /** What the parameter is fitted to: the step time (default) or the peak memory of the rows that publish it. */
  readonly quantity?: "memory";
  get(k: StepConstants): number;
  set(k: StepConstants, v: number): StepConstants;
}

function generationParam(gen: "ampere" | "hopper" | "blackwell", field: "matmul" | "attentionFlash" | "attentionCudnn", lo: number, hi: number, prior: number, meaning: string): FittedParameter {
  return {
    name: `${gen}.${field}`,
    lo,
    hi,
    prior,
    meaning,
    get: (k) => k[gen][field],
    set: (k, v) => {
      const e: GenerationEfficiency = { ...k[gen], [field]: v };
      // Blackwell has no flash row: its flash figure follows its cuDNN one.
      const withFlash = gen === "blackwell" && field === "attentionCudnn" ? { ...e, attentionFlash: v } : e;
      return { ...k, [gen]: withFlash };
    },
  };
}

/** Upper bound of any fused-attention efficiency: FlashAttention-3 reaches 740 of 989 TFLOP/s (75 %) on H100,
 * the best published figure (Shah et al. 2024). */
const ATTENTION_MAX = 0.75;

/** Priors: large-GEMM efficiency 0.75 and fused attention 0.5 of peak (typical cuBLAS / FlashAttention figures),
 * unfused 13 bytes per score element and FP8 GEMMs at the BF16 efficiency (derived), compiled and eager
 * kernels as fused (1×), TP overlap hiding nothing, DeepSpeed gathers as efficient as FSDP's. */
export const FITTED_PARAMETERS: readonly FittedParameter[] = [
  generationParam("ampere", "matmul", 0.5, 0.95, 0.75, "A100 large-GEMM efficiency (fraction of 312 TFLOP/s)"),
  generationParam("ampere", "attentionFlash", 0.1, ATTENTION_MAX, 0.5, "A100 FlashAttention efficiency (causal FLOPs, fraction of peak)"),
  generationParam("hopper", "matmul", 0.4, 0.95, 0.75, "H100 large-GEMM efficiency (fraction of 989 TFLOP/s)"),
  generationParam("hopper", "attentionFlash", 0.1, ATTENTION_MAX, 0.5, "H100 FlashAttention (torch SDPA / flash-attn) efficiency"),
  generationParam("hopper", "attentionCudnn", 0.1, ATTENTION_MAX, 0.5, "H100 cuDNN fused attention efficiency"),
  generationParam("blackwell", "matmul", 0.3, 0.95, 0.75, "B200/GB200 large-GEMM efficiency"),
  generationParam("blackwell", "attentionCudnn", 0.1, ATTENTION_MAX, 0.5, "B200/GB200 cuDNN attention efficiency"),
  {
    name: "unfusedScoreBytes",
    lo: 4,
    hi: 80,
    prior: 13,
    meaning: "unfused attention: HBM bytes per score element, forward",
    get: (k) => k.unfusedScoreBytes,
    set: (k, v) => ({ ...k, unfusedScoreBytes: v }),
  },
  {
    name: "elementwiseTraffic.compiled",
    lo: 0.3,
    hi: 10,
    prior: 1,
    meaning: "element-wise traffic of torch.compile / XLA kernels relative to hand-fused ones",
    get: (k) => k.elementwiseTraffic.compiled,
    set: (k, v) => ({ ...k, elementwiseTraffic: { ...k.elementwiseTraffic, compiled: v } }),
  },
  {
    name: "elementwiseTraffic.eager",
    lo: 0.3,
    hi: 15,
    prior: 1,
    meaning: "element-wise traffic of eager PyTorch kernels relative to hand-fused ones",
    get: (k) => k.elementwiseTraffic.eager,
    set: (k, v) => ({ ...k, elementwiseTraffic: { ...k.elementwiseTraffic, eager: v } }),
  },
  {
    name: "fp8MatmulRatio",
    lo: 0.4,
    hi: 1,
    prior: 1,
    meaning: "FP8 GEMM efficiency relative to the BF16 one (on the FP8 peak)",
    get: (k) => k.fp8MatmulRatio,
    set: (k, v) => ({ ...k, fp8MatmulRatio: v }),
  },
  {
    name: "tpOverlapHidden",
    lo: 0,
    hi: 1,
    prior: 0,
    meaning: "fraction of TP collectives hidden behind GEMMs with tpCommOverlap",
    get: (k) => k.tpOverlapHidden,
    set: (k, v) => ({ ...k, tpOverlapHidden: v }),
  },
  {
    name: "gatherEfficiency.deepspeed-zero3",
    lo: 0.01,
    hi: 1,
    prior: 1,
    meaning: "DeepSpeed ZeRO-3 weight-gather rate relative to the collective model (torch FSDP: 1)",
    get: (k) => k.gatherEfficiency["deepspeed-zero3"],
    set: (k, v) => ({ ...k, gatherEfficiency: { ...k.gatherEfficiency, "deepspeed-zero3": v } }),
  },
  {
    name: "fullRecomputeWorkingLayers.torchtitan",
    lo: 1,
    hi: 8,
    prior: 1,
    meaning: "memory: layers' worth of activations alive in a fully recomputed layer's backward, torchtitan (fitted to published peak memory)",
    quantity: "memory",
    get: (k) => k.fullRecomputeWorkingLayers.torchtitan,
    set: (k, v) => ({ ...k, fullRecomputeWorkingLayers: { ...k.fullRecomputeWorkingLayers, torchtitan: v } }),
  },
];

/** A published run ready for repeated prediction. */
interface FitRow {
  readonly id: string;
  readonly framework: string;
  readonly config: RunConfig;
  readonly measuredStepSeconds: number;
  /** Published peak memory per GPU (GiB), or null. */
  readonly measuredMemoryGiB: number | null;
}

function prepare(runs: readonly RealRun[]): FitRow[] {
  const rows: FitRow[] = [];
  for (const r of runs) {
    const config = validateRunConfig(r.config, r.id);
    const tokensPerStepPerGpu = (config.training.globalBatch * config.model.seqLen) / config.hardware.count;
    const m = r.measured;
    const measured = m.stepTimeSeconds ?? (m.tokensPerSecondPerGpu ? tokensPerStepPerGpu / m.tokensPerSecondPerGpu : null);
    if (measured === null) continue;
    rows.push({ id: r.id, framework: config.software?.framework ?? "megatron-core", config, measuredStepSeconds: measured, measuredMemoryGiB: m.peakMemoryGiB ?? null });
  }
  return rows;
}

/** ln(predicted / published) of the quantity a parameter is fitted to (the row must publish it). */
function logError(r: FitRow, k: StepConstants, quantity: FittedParameter["quantity"]): number {
  const p = predictStep(r.config, k);
  return quantity === "memory" ? Math.log(p.memoryPerGpuGiB.total / (r.measuredMemoryGiB as number)) : Math.log(p.stepTimeSeconds / r.measuredStepSeconds);
}

function objective(rows: readonly FitRow[], k: StepConstants, quantity?: FittedParameter["quantity"]): number {
  let sum = 0;
  for (const r of rows) {
    const e = logError(r, k, quantity);
    sum += e * e;
  }
  return sum;
}

/** The rows a parameter can be fitted to: all, or those that publish peak memory for a memory parameter. */
function rowsFor(rows: readonly FitRow[], p: FittedParameter): readonly FitRow[] {
  return p.quantity === "memory" ? rows.filter((r) => r.measuredMemoryGiB !== null) : rows;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Golden-section minimum of f on [lo, hi] to a relative width of 1e-4 (deterministic). */
function goldenSection(f: (x: number) => number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > 1e-4 * (hi - lo)) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * Upper end of a memory parameter's search: the largest value (bisection to 1e-4 of its range) at which every
 * fitted row is still predicted to fit in memory: each of those runs ran, so a value that predicts one of them
 * out of memory is contradicted by the data. Memory grows with the parameter.
 */
function largestFitting(rows: readonly FitRow[], k: StepConstants, p: FittedParameter): number {
  const allFit = (v: number) => rows.every((r) => predictStep(r.config, p.set(k, v)).fitsInMemory);
  if (allFit(p.hi)) return p.hi;
  let a = p.lo;
  let b = p.hi;
  while (b - a > 1e-4 * (p.hi - p.lo)) {
    const c = (a + b) / 2;
    if (allFit(c)) a = c;
    else b = c;
  }
  return a;
}

export interface FitResult {
  readonly constants: StepConstants;
  readonly objective: number;
  /** Per parameter: the fitted value, and the ids of the fitted rows whose prediction depends on it. */
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly value: number; readonly prior: number; readonly rows: readonly string[]; readonly meaning: string }>;
  readonly fittedRows: readonly string[];
}

/** Rows whose prediction moves when the parameter moves (from its prior to the middle of its bounds). */
function dependentRows(rows: readonly FitRow[], k: StepConstants, p: FittedParameter): string[] {
  const a = p.set(k, p.lo + 0.25 * (p.hi - p.lo));
  const b = p.set(k, p.lo + 0.75 * (p.hi - p.lo));
  return rowsFor(rows, p)
    .filter((r) => Math.abs(logError(r, a, p.quantity) - logError(r, b, p.quantity)) > 1e-9)
    .map((r) => r.id);
}

/**
 * Fits every parameter of FITTED_PARAMETERS to `runs` (less FIT_EXCLUDED and `leaveOut`), starting from the
 * priors over the rest of `base`. `sweeps` cycles of coordinate descent.
 */
export function fitConstants(runs: readonly RealRun[], options: { leaveOutFramework?: string; sweeps?: number; base?: StepConstants } = {}): FitResult {
  const all = prepare(runs);
  const rows = all.filter((r) => !(r.id in FIT_EXCLUDED) && r.framework !== options.leaveOutFramework);
  let k = options.base ?? DEFAULT_STEP_CONSTANTS;
  for (const p of FITTED_PARAMETERS) k = p.set(k, p.prior);
  const deps = FITTED_PARAMETERS.map((p) => dependentRows(rows, k, p));
  const sweeps = options.sweeps ?? 4;
  for (let s = 0; s < sweeps; s++) {
    FITTED_PARAMETERS.forEach((p, i) => {
      if (deps[i]!.length === 0) return; // no fitted row depends on it: keep the prior
      const dependent = rows.filter((r) => deps[i]!.includes(r.id));
      const at = (v: number) => objective(dependent, p.set(k, v), p.quantity);
      const hi = p.quantity === "memory" ? largestFitting(rows, k, p) : p.hi;
      k = p.set(k, goldenSection(at, p.lo, hi));
    });
  }
  return {
    constants: k,
    objective: objective(rows, k),
    parameters: FITTED_PARAMETERS.map((p, i) => ({ name: p.name, value: p.get(k), prior: p.prior, rows: deps[i]!, meaning: p.meaning })),
    fittedRows: rows.map((r) => r.id),
  };
}

export interface LeaveOneOut {
  readonly framework: string;
  readonly rows: number;
  /** Median |step-time error| of the framework's rows predicted by constants fitted without them. */
  readonly medianAbsError: number;
  /** The same rows predicted by the constants fitted on everything (in-sample). */
  readonly inSampleMedianAbsError: number;
  readonly errors: ReadonlyArray<{ readonly id: string; readonly error: number }>;
}

/** Leave-one-family-out: for each framework, fit without its rows and predict them. */
export function leaveOneFamilyOut(runs: readonly RealRun[], inSample: StepConstants, options: { sweeps?: number; onProgress?: (done: number, total: number) => void } = {}): LeaveOneOut[] {
  const rows = prepare(runs);
  const frameworks = [...new Set(rows.map((r) => r.framework))].sort();
  const out: LeaveOneOut[] = [];
  frameworks.forEach((framework, i) => {
    const fit = fitConstants(runs, { leaveOutFramework: framework, ...(options.sweeps === undefined ? {} : { sweeps: options.sweeps }) });
    const mine = rows.filter((r) => r.framework === framework);
    const errors = mine.map((r) => ({ id: r.id, error: predictStep(r.config, fit.constants).stepTimeSeconds / r.measuredStepSeconds - 1 }));
    const inSampleErrors = mine.map((r) => Math.abs(predictStep(r.config, inSample).stepTimeSeconds / r.measuredStepSeconds - 1));
    out.push({
      framework,
      rows: mine.length,
      medianAbsError: median(errors.map((e) => Math.abs(e.error))),
      inSampleMedianAbsError: median(inSampleErrors),
      errors,
    });
    options.onProgress?.(i + 1, frameworks.length);
  });
  return out;
}
