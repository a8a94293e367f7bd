// The utilization curve (spec §2.10): for each d_model on the grid, size the model by the scaling rules, find the
// smallest cluster that trains it in time and its best layout; stop at the first infeasible width (the latency
// wall) or when utilization falls below 0.001 (the reference's stopping rule).
import { GPU_COUNT, requireWithinBound } from "../config/bounds.ts";
import { InputError, requireInRange, requireInteger, requirePositive } from "../errors.ts";
import { smallestFeasibleCluster } from "./cluster-sizing.ts";
import type { DataMovementGpu } from "../hardware/microarchitecture.ts";
import { deriveGpu } from "./gpus.ts";
import type { LayoutChoice } from "./layout-search.ts";
import { scaledModel, DEFAULT_SEQUENCE_LENGTH, type BatchRule, type ScaledModel } from "./scaling-rules.ts";
import { DEFAULT_OVERLAP, type NetworkLayout, type OverlapFlags, type ReferencePipelineSchedule, type ZeroBubbleLatency } from "./step-time.ts";

/** d_model ∈ {f·2^i : f odd ≤ 15, 11 ≤ i ≤ 21} within [12288, 128·12288], ascending (spec §1.1). */
export function defaultWidthGrid(): number[] {
  const grid: number[] = [];
  for (let f = 1; f <= 15; f += 2) {
    for (let i = 11; i <= 21; i++) {
      const d = f * 2 ** i;
      if (d >= 12288 && d <= 12288 * 128) grid.push(d);
    }
  }
  return grid.sort((a, b) => a - b);
}

/** Sweep options: plain data, so a Web Worker can receive them as they are. */
export interface SweepOptions {
  readonly gpu: DataMovementGpu;
  readonly sparse?: boolean;
  readonly batchRule?: BatchRule;
  readonly depthScale?: number;
  readonly months?: number;
  readonly tokensPerParam?: number;
  readonly sequenceLength?: number;
  /** Fraction of the GPU's utilization ceiling for "maximum feasible compute" (default 0.8). */
  readonly utilizationFloor?: number;
  readonly overlap?: OverlapFlags;
  readonly zeroBubbleLatency?: ZeroBubbleLatency;
  readonly considerZeroBubble?: boolean;
  /** d_model values to visit, ascending (default: the paper's grid). */
  readonly widths?: readonly number[];
  /** Stop once a point's utilization is below this (reference: 0.001). */
  readonly stopUtilization?: number;
}

/** Defaults of spec §1.1. */
export const SWEEP_DEFAULTS = {
  sparse: false,
  batchRule: "critical" as BatchRule,
  depthScale: 1,
  months: 3,
  tokensPerParam: 20,
  sequenceLength: DEFAULT_SEQUENCE_LENGTH,
  utilizationFloor: 0.8,
  zeroBubbleLatency: "reference" as ZeroBubbleLatency,
  considerZeroBubble: true,
  stopUtilization: 0.001,
};

/** One feasible grid point. */
export interface SweepPoint {
  readonly dModel: number;
  readonly dFf: number;
  readonly layers: number;
  readonly experts: number;
  readonly params: number;
  readonly batchTokens: number;
  readonly flop: number;
  readonly months: number;
  readonly utilization: number;
  readonly gpus: number;
  readonly parallelism: {
    readonly dp: number;
    readonly tpModel: number;
    readonly tpFf: number;
    readonly pp: number;
    readonly interleave: number;
    readonly ep: number;
    readonly microbatches: number;
    readonly schedule: ReferencePipelineSchedule;
  };
  /** Per-level splits, [lowest level … top]. */
  readonly layout: NetworkLayout;
  /** Tokens per GPU per matmul. */
  readonly tokensPerMatmul: number;
  /** Training-total network and latency times, s. */
  readonly tpCommS: number;
  readonly dpCommS: number;
  readonly ppEpCommS: number;
  readonly latencyS: number;
}

export interface SweepSummary {
  /** Ceiling of utilization for this GPU (its effective utilization). */
  readonly ceiling: number;
  /** First compute whose utilization is ≤ 0.8 × ceiling (the notebook's "end of linear scaling"), or null. */
  readonly linearScalingEnd: number | null;
  /** Largest feasible run on the grid. */
  readonly lastFeasibleFlop: number | null;
  readonly lastFeasibleUtilization: number | null;
  readonly lastFeasibleGpus: number | null;
  /** The first width no E·2^k cluster trains in time (null if the sweep ended otherwise). */
  readonly firstInfeasibleDModel: number | null;
  readonly firstInfeasibleFlop: number | null;
  /** Why the sweep ended. */
  readonly stoppedBy: "infeasible" | "low-utilization" | "end-of-grid";
  /** utilizationFloor × ceiling. */
  readonly utilizationFloor: number;
  /** Largest compute among points with utilization ≥ the floor (the web tool's "maximum feasible compute"). */
  readonly maxFeasibleFlopAtFloor: number | null;
}

export interface SweepResult {
  readonly gpuId: string;
  readonly gpuName: string;
  readonly sparse: boolean;
  readonly batchRule: BatchRule;
  readonly months: number;
  readonly points: readonly SweepPoint[];
  readonly summary: SweepSummary;
  /** Work counters (cluster sizes examined, full layout evaluations). */
  readonly work: { readonly clusterSizesTried: number; readonly evaluations: number };
}

export type ProgressCallback = (done: number, total: number, dModel: number) => void;

function toPoint(model: ScaledModel, choice: LayoutChoice): SweepPoint {
  return {
    dModel: model.dModel,
    dFf: model.dFf,
    layers: model.layers,
    experts: model.experts,
    params: model.params,
    batchTokens: model.batchTokens,
    flop: model.flop,
    months: (choice.trainingS / 3.154e7) * 12,
    utilization: choice.utilization,
    gpus: choice.clusterSize,
    parallelism: {
      dp: choice.dp,
      tpModel: choice.tpModel,
      tpFf: choice.tpFf,
      pp: choice.pp,
      interleave: choice.interleave,
      ep: choice.ep,
      microbatches: choice.microbatches,
      schedule: choice.schedule,
    },
    layout: choice.layout,
    tokensPerMatmul: choice.step.tokensPerMatmul,
    tpCommS: choice.tpCommS,
    dpCommS: choice.dpCommS,
    ppEpCommS: choice.ppEpCommS,
    latencyS: choice.latencyS,
  };
}

/** Runs the sweep. Throws InputError when nothing on the grid is feasible (e.g. a deadline far too short). */
export function runSweep(options: SweepOptions, onProgress?: ProgressCallback): SweepResult {
  const o = { ...SWEEP_DEFAULTS, ...stripUndefined(options), gpu: options.gpu };
  validateGpu(o.gpu);
  requirePositive("months", o.months);
  requirePositive("depthScale", o.depthScale);
  requirePositive("tokensPerParam", o.tokensPerParam);
  requireInteger("sequenceLength", o.sequenceLength);
  requireInRange("utilizationFloor", o.utilizationFloor, 0, 1, true);
  const gpu = deriveGpu(o.gpu);
  const widths = o.widths ?? defaultWidthGrid();
  const searchOptions = { overlap: o.overlap ?? DEFAULT_OVERLAP, zeroBubbleLatency: o.zeroBubbleLatency, considerZeroBubble: o.considerZeroBubble };
  const shapeOptions = { sparse: o.sparse, batchRule: o.batchRule, depthScale: o.depthScale, tokensPerParam: o.tokensPerParam, sequenceLength: o.sequenceLength };
  const points: SweepPoint[] = [];
  let firstInfeasible: ScaledModel | null = null;
  let stoppedBy: SweepSummary["stoppedBy"] = "end-of-grid";
  let clusterSizesTried = 0;
  let evaluations = 0;
  for (let i = 0; i < widths.length; i++) {
    const model = scaledModel(widths[i]!, shapeOptions);
    if (model.layers < 1) {
      throw new InputError("depthScale", o.depthScale, "a factor that leaves at least one layer", `depthScale: ${o.depthScale} leaves ${model.layers} layers at d_model ${model.dModel}; expected a factor that leaves at least one layer`);
    }
    const sizing = smallestFeasibleCluster(gpu, model, o.months, searchOptions);
    clusterSizesTried += sizing.clusterSizesTried;
    evaluations += sizing.evaluations;
    onProgress?.(i + 1, widths.length, model.dModel);
    if (sizing.choice === null) {
      firstInfeasible = model;
      stoppedBy = "infeasible";
      break;
    }
    const point = toPoint(model, sizing.choice);
    points.push(point);
    if (point.utilization < o.stopUtilization) {
      stoppedBy = "low-utilization";
      break;
    }
  }
  if (points.length === 0) {
    throw new InputError(
      "months",
      o.months,
      "a training duration long enough for the smallest model on the grid",
      `months: ${o.months} is too short: not even the smallest model (d_model ${widths[0]}, ${firstInfeasible ? firstInfeasible.flop.toExponential(2) : "?"} FLOP) can be trained in time on any cluster; expected a longer duration`,
    );
  }
  return {
    gpuId: o.gpu.id,
    gpuName: o.gpu.name,
    sparse: o.sparse,
    batchRule: o.batchRule,
    months: o.months,
    points,
    summary: summarize(points, gpu.ceiling, o.utilizationFloor, firstInfeasible, stoppedBy),
    work: { clusterSizesTried, evaluations },
  };
}

function summarize(
  points: readonly SweepPoint[],
  ceiling: number,
  floorFraction: number,
  firstInfeasible: ScaledModel | null,
  stoppedBy: SweepSummary["stoppedBy"],
): SweepSummary {
  const linearEnd = points.find((p) => p.utilization <= 0.8 * ceiling);
  const last = points[points.length - 1];
  const floor = floorFraction * ceiling;
  let maxAtFloor: number | null = null;
  for (const p of points) if (p.utilization >= floor && (maxAtFloor === null || p.flop > maxAtFloor)) maxAtFloor = p.flop;
  return {
    ceiling,
    linearScalingEnd: linearEnd ? linearEnd.flop : null,
    lastFeasibleFlop: last ? last.flop : null,
    lastFeasibleUtilization: last ? last.utilization : null,
    lastFeasibleGpus: last ? last.gpus : null,
    firstInfeasibleDModel: firstInfeasible ? firstInfeasible.dModel : null,
    firstInfeasibleFlop: firstInfeasible ? firstInfeasible.flop : null,
    stoppedBy,
    utilizationFloor: floor,
    maxFeasibleFlopAtFloor: maxAtFloor,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Rejects GPU and network values the model cannot use (non-positive rates, mismatched level arrays). */
export function validateGpu(spec: DataMovementGpu, field = "gpu"): void {
  for (const key of ["bitwidth", "flopPerClockPerThread", "registerBytesPerProcessingBlock", "numSms", "l2Bps", "l2Bytes", "hbmBps", "maxClockHz", "memoryBytes"] as const) {
    requirePositive(`${field}.${key}`, spec[key]);
  }
  if (spec.computeSms !== undefined) requirePositive(`${field}.computeSms`, spec.computeSms);
  requireInRange(`${field}.effectiveUtilization`, spec.effectiveUtilization, 0, 1, true);
  requireInRange(`${field}.matmulLatencyS`, spec.matmulLatencyS, 0, Number.MAX_VALUE);
  const net = spec.network;
  const levels = net.levelSizes.length + 1;
  net.levelSizes.forEach((s, i) => requireInteger(`${field}.network.levelSizes[${i}]`, s));
  // The bounded levels' product is what the layout search enumerates (a datacenter level of 2^40 ran for minutes).
  requireWithinBound(`${field}.network.levelSizes`, net.levelSizes.reduce((a, b) => a * b, 1), GPU_COUNT);
  if (net.bandwidthsBps.length !== levels) throw new InputError(`${field}.network.bandwidthsBps`, net.bandwidthsBps, `${levels} entries (levelSizes + 1)`);
  if (net.latenciesS.length !== levels) throw new InputError(`${field}.network.latenciesS`, net.latenciesS, `${levels} entries (levelSizes + 1)`);
  net.bandwidthsBps.forEach((b, i) => {
    if (!(b > 0)) throw new InputError(`${field}.network.bandwidthsBps[${i}]`, b, "a number > 0 (Infinity allowed)");
  });
  net.latenciesS.forEach((l, i) => requireInRange(`${field}.network.latenciesS[${i}]`, l, 0, Number.MAX_VALUE));
}
