// Time of one optimizer step for a given model, cluster and parallel layout (spec §2.4, §2.6–§2.8).
import type { DerivedGpu } from "./gpus.ts";
import { sixMatmulTimeS } from "./matmul.ts";
import { dataParallelCost, networkArrays, pipelineExpertCost, tensorParallelCost, type CommCost, type NetworkArrays, type StepTraffic } from "./network.ts";
import type { ScaledModel } from "./scaling-rules.ts";

export type ReferencePipelineSchedule = "1f1b" | "zero-bubble";

/**
 * How zero-bubble schedules treat the pipeline latency (TP + PP/EP hops), spec §5 Q1. "reference": dropped, as
 * the authors' code does (it computes the max with the latency but never uses it). "hidden": what the code
 * intended, step = max(T_mm, overlapped network, pipeline latency). Both agree on the H100 baselines.
 */
export type ZeroBubbleLatency = "reference" | "hidden";

/** Which communication overlaps with compute (spec §2.7); the paper's runs use TP and PP yes, DP no. */
export interface OverlapFlags {
  readonly tp: boolean;
  readonly pp: boolean;
  readonly dp: boolean;
}

export const DEFAULT_OVERLAP: OverlapFlags = { tp: true, pp: true, dp: false };

/** Per-level split of every parallelism degree; each array has one entry per network level (spec §2.5). */
export interface LayoutSplits {
  readonly dp: readonly number[];
  readonly tpModel: readonly number[];
  readonly tpFf: readonly number[];
  readonly pp: readonly number[];
  readonly ep: readonly number[];
}

/** The same splits as any array-like (the search passes reusable typed arrays). */
export interface SplitArrays {
  readonly dp: ArrayLike<number>;
  readonly tpModel: ArrayLike<number>;
  readonly tpFf: ArrayLike<number>;
  readonly pp: ArrayLike<number>;
  readonly ep: ArrayLike<number>;
}

/** A complete parallel layout: splits, microbatches per step per DP replica, interleaving and schedule. */
export interface NetworkLayout extends LayoutSplits {
  readonly microbatches: number;
  readonly interleave: number;
  readonly schedule: ReferencePipelineSchedule;
}

/** Everything the step time depends on besides the layout. */
export interface DataMovementStepContext {
  readonly gpu: DerivedGpu;
  readonly network: NetworkArrays;
  readonly model: ScaledModel;
  readonly overlap: OverlapFlags;
  readonly zeroBubbleLatency: ZeroBubbleLatency;
}

/** The step-time breakdown; per-step seconds unless the name says training. */
export interface DataMovementStepBreakdown {
  clusterSize: number;
  /** Tokens per GPU per matmul (per expert, per microbatch): B / (N_DP·m·E). */
  tokensPerMatmul: number;
  sixMatmulS: number;
  matmulS: number;
  tpBandwidthS: number;
  tpLatencyS: number;
  dpBandwidthS: number;
  dpLatencyS: number;
  ppEpBandwidthS: number;
  ppEpLatencyS: number;
  bubbleFraction: number;
  stepS: number;
  utilization: number;
  steps: number;
  trainingS: number;
}

export function emptyBreakdown(): DataMovementStepBreakdown {
  return {
    clusterSize: 0,
    tokensPerMatmul: 0,
    sixMatmulS: 0,
    matmulS: 0,
    tpBandwidthS: 0,
    tpLatencyS: 0,
    dpBandwidthS: 0,
    dpLatencyS: 0,
    ppEpBandwidthS: 0,
    ppEpLatencyS: 0,
    bubbleFraction: 0,
    stepS: 0,
    utilization: 0,
    steps: 0,
    trainingS: 0,
  };
}

function product(values: ArrayLike<number>, levels: number): number {
  let p = 1;
  for (let i = 0; i < levels; i++) p *= values[i]!;
  return p;
}

/**
 * Optimizer-state and weight memory (spec §2.8): weights replicated across DP replicas, 4 words of optimizer
 * state per parameter sharded across them; activations not counted. True when the cluster's HBM suffices.
 */
export function fitsInMemory(gpu: DerivedGpu, params: number, dataParallel: number, clusterSize: number): boolean {
  const need = params * gpu.bytesPerWord * dataParallel + params * gpu.bytesPerWord * 4;
  return !(clusterSize * gpu.spec.memoryBytes < need);
}

/** Pipeline bubble fraction (spec §2.7): 0 for zero-bubble, else (z+P−1)/(z+P−1+v·m), z = (v−1)·max(0, P−m). */
export function bubbleFraction(schedule: ReferencePipelineSchedule, stages: number, microbatches: number, interleave: number): number {
  if (schedule === "zero-bubble") return 0;
  const z = (interleave - 1) * Math.max(0, stages - microbatches);
  return (z + stages - 1) / (z + stages - 1 + interleave * microbatches);
}

/**
 * Step time from its parts (spec §2.7): overlapped network time hides behind compute, the bubble stretches the
 * pipeline, 1F1B adds the pipeline latency (zero-bubble: see ZeroBubbleLatency), then DP bandwidth and latency.
 * Non-decreasing in every time argument, which is what makes the search's lower bounds valid.
 */
export function stepSeconds(
  ctx: DataMovementStepContext,
  matmulS: number,
  bubble: number,
  zeroBubble: boolean,
  tpBandwidthS: number,
  tpLatencyS: number,
  dpBandwidthS: number,
  dpLatencyS: number,
  ppEpBandwidthS: number,
  ppEpLatencyS: number,
): number {
  const overlap = ctx.overlap;
  const oTp = overlap.tp ? 1 : 0;
  const oPp = overlap.pp ? 1 : 0;
  const nonOverlapped = (1 - oPp) * ppEpBandwidthS + (1 - oTp) * tpBandwidthS;
  let overlapped = oPp * ppEpBandwidthS + oTp * tpBandwidthS;
  const pipelineLatency = tpLatencyS + ppEpLatencyS;
  let pipelineS: number;
  if (zeroBubble) {
    // Spec §5 Q1: the reference drops the pipeline latency here; "hidden" overlaps it with compute as intended.
    if (ctx.zeroBubbleLatency === "hidden" && pipelineLatency > overlapped) overlapped = pipelineLatency;
    pipelineS = (Math.max(matmulS, overlapped) + nonOverlapped) / (1 - bubble);
  } else {
    // With 1F1B the round-trip latency acts as extra bubble.
    pipelineS = (Math.max(matmulS, overlapped) + nonOverlapped) / (1 - bubble) + pipelineLatency;
  }
  // DP is not affected by the bubble; its latency is never hidden.
  return (overlap.dp ? Math.max(pipelineS, dpBandwidthS) : pipelineS + dpBandwidthS) + dpLatencyS;
}

const tp: CommCost = { bandwidthS: 0, latencyS: 0 };
const dp: CommCost = { bandwidthS: 0, latencyS: 0 };
const ppEp: CommCost = { bandwidthS: 0, latencyS: 0 };

/**
 * Evaluates one layout into `out` (allocation-free: the layout search calls this millions of times).
 * `sixMatmulS` is the time of the six per-layer matmuls for this layout's shard shapes, computed by the caller
 * (memoized in the search). Spec §2.4 (T_mm), §2.5 (communication), §2.7 (bubble, step, utilization).
 */
export function evaluateStepInto(
  out: DataMovementStepBreakdown,
  ctx: DataMovementStepContext,
  splits: SplitArrays,
  microbatches: number,
  interleave: number,
  zeroBubble: boolean,
  sixMatmulS: number,
): void {
  const { gpu, network, model } = ctx;
  const levels = network.levels;
  const nDp = product(splits.dp, levels);
  const nTpModel = product(splits.tpModel, levels);
  const nTpFf = product(splits.tpFf, levels);
  const nPp = product(splits.pp, levels);
  const nEp = product(splits.ep, levels);
  const n = nDp * nTpModel * nTpFf * nPp * nEp;
  const beta = gpu.bytesPerWord;

  // Compute on the critical GPU: its layers × its experts × microbatches × six matmuls (spec §2.4).
  const matmulS = (Math.floor(model.layers / nPp) * Math.floor(model.experts / nEp) * microbatches) * sixMatmulS;

  const traffic: StepTraffic = { dModel: model.dModel, dFf: model.dFf, layers: model.layers, params: model.params, batchTokens: model.batchTokens, bytesPerWord: beta, clusterSize: n };
  dataParallelCost(dp, network, traffic, splits);
  tensorParallelCost(tp, network, traffic, splits);
  pipelineExpertCost(ppEp, network, traffic, { pp: splits.pp, ep: splits.ep, interleave });

  const bubble = bubbleFraction(zeroBubble ? "zero-bubble" : "1f1b", nPp, microbatches, interleave);
  const stepS = stepSeconds(ctx, matmulS, bubble, zeroBubble, tp.bandwidthS, tp.latencyS, dp.bandwidthS, dp.latencyS, ppEp.bandwidthS, ppEp.latencyS);

  // Ideal time of the model's arithmetic at peak FLOP/s on all GPUs: 6·P_act per token (spec §1.4).
  const arithmeticS = (6 * model.activeParams * model.batchSequences * model.sequenceLength) / (gpu.peakFlopPerS * n);
  const steps = model.datasetTokens / model.batchTokens;

  out.clusterSize = n;
  out.tokensPerMatmul = Math.floor(model.batchTokens / (nDp * microbatches * model.experts));
  out.sixMatmulS = sixMatmulS;
  out.matmulS = matmulS;
  out.tpBandwidthS = tp.bandwidthS;
  out.tpLatencyS = tp.latencyS;
  out.dpBandwidthS = dp.bandwidthS;
  out.dpLatencyS = dp.latencyS;
  out.ppEpBandwidthS = ppEp.bandwidthS;
  out.ppEpLatencyS = ppEp.latencyS;
  out.bubbleFraction = bubble;
  out.stepS = stepS;
  out.utilization = arithmeticS / stepS;
  out.steps = steps;
  out.trainingS = steps * stepS;
}

/** One layout's full breakdown as plain data (spec §3.5 whole-step cases). */
export function evaluateNetworkLayout(
  gpu: DerivedGpu,
  model: ScaledModel,
  layout: NetworkLayout,
  options: { overlap?: OverlapFlags; zeroBubbleLatency?: ZeroBubbleLatency } = {},
): DataMovementStepBreakdown {
  const network = networkArrays(gpu.spec.network);
  const ctx: DataMovementStepContext = {
    gpu,
    network,
    model,
    overlap: options.overlap ?? DEFAULT_OVERLAP,
    zeroBubbleLatency: options.zeroBubbleLatency ?? "reference",
  };
  const levels = network.levels;
  for (const [name, split] of Object.entries({ dp: layout.dp, tpModel: layout.tpModel, tpFf: layout.tpFf, pp: layout.pp, ep: layout.ep })) {
    if (split.length !== levels) throw new RangeError(`layout.${name} has ${split.length} levels; the network has ${levels}`);
  }
  const nDp = product(layout.dp, levels);
  const nTpModel = product(layout.tpModel, levels);
  const nTpFf = product(layout.tpFf, levels);
  const b = Math.floor(model.batchTokens / (nDp * layout.microbatches * model.experts));
  const six = sixMatmulTimeS(gpu, Math.floor(model.dFf / nTpFf), Math.floor(model.dModel / nTpModel), b);
  const out = emptyBreakdown();
  evaluateStepInto(out, ctx, layout, layout.microbatches, layout.interleave, layout.schedule === "zero-bubble", six);
  return out;
}
