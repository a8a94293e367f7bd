// The paper's back-of-envelope closed forms (spec §2.11; reference layer_and_batch_scaling.ipynb, final version):
// the critical compute T_crit where utilization must start to fall, and the latency-limited compute T_limit,
// as functions of the exponent gap α = α_b − α_L between batch-size and depth scaling.
import type { DataMovementGpu } from "../hardware/microarchitecture.ts";
import { deriveGpu } from "./gpus.ts";

/** Reference point of the power laws b = b0·(T/T0)^α_b, L = L0·(T/T0)^α_L (changed on 2024-10-21 "to better match simulation"). */
export const ANALYTIC_REFERENCE = { flop: 3e23, batchTokens: 4e6, layers: 100 } as const;
/** Three months in the analytic notebook: 365.25·86400/4 s (the simulation uses 3.154e7/4). */
export const ANALYTIC_SECONDS_PER_MONTH = (365.25 * 86400) / 12;
/** The latency unit the paper's T_limit uses, 9 µs ("use 9µs for T_limit", 2024-10-21). */
export const PAPER_LATENCY_UNIT_S = 9e-6;

export interface AnalyticOptions {
  readonly months?: number;
  /**
   * Latency unit τ of T_limit. Default: the GPU's kernel latency + 4 level-0 network hops, which is the paper's
   * 9 µs for every preset with standard latencies (4.5 µs + 4·1.125 µs; spec §2.11, a reconstruction) and
   * 0.9 µs for the ÷10-latency variants.
   */
  readonly latencyUnitS?: number;
}

export interface AnalyticThresholds {
  readonly gpuId: string;
  readonly gpuName: string;
  /** GPUs per node used for the node-level analysis (the first network level; 1 without levels). */
  readonly nodeSize: number;
  /** Tokens per matmul needed to be compute-bound against HBM: n* = F/M. */
  readonly nanobatchTokens: number;
  /** Side of the smallest square TP tile per node whose matmuls hide its all-reduces: a* = 4F/(3W). */
  readonly activationShard: number;
  readonly latencyUnitS: number;
  readonly trainingSeconds: number;
  /** Critical compute at α (Infinity when the network is infinitely fast). */
  tCrit(alpha: number): number;
  /** Latency-limited compute at α. */
  tLimit(alpha: number): number;
}

/** Node-level constants of spec §2.11 for one GPU. */
export function analyticThresholds(spec: DataMovementGpu, options: AnalyticOptions = {}): AnalyticThresholds {
  const gpu = deriveGpu(spec);
  const beta = gpu.bytesPerWord;
  const net = spec.network;
  const nodeSize = net.levelSizes[0] ?? 1;
  // Inter-node bandwidth: level 1 when the network has a node level, else its only level.
  const interNodeBps = net.bandwidthsBps[net.levelSizes.length > 0 ? 1 : 0]!;
  const macPerS = (nodeSize * gpu.peakFlopPerS) / 2;
  const netWordsPerS = (nodeSize * interNodeBps) / (2 * beta);
  const memWordsPerS = (nodeSize * spec.hbmBps) / (2 * beta);
  const nanobatch = macPerS / memWordsPerS;
  const shard = (4 * macPerS) / (3 * netWordsPerS);
  const months = options.months ?? 3;
  const t = (365.25 * 86400) / 4 * (months / 3);
  const tau = options.latencyUnitS ?? spec.matmulLatencyS + 4 * net.latenciesS[0]!;
  const { flop: t0, batchTokens: b0, layers: l0 } = ANALYTIC_REFERENCE;
  const refFactor = (alpha: number) => (b0 / l0) * t0 ** -alpha;
  return {
    gpuId: spec.id,
    gpuName: spec.name,
    nodeSize,
    nanobatchTokens: nanobatch,
    activationShard: shard,
    latencyUnitS: tau,
    trainingSeconds: t,
    // MAC_crit^(1−2α) = (1/960)·[(b0/L0)·T0^(−α)·F·t/(a*²·n*)]², T_crit = 2·MAC_crit.
    tCrit: (alpha) => 2 * ((1 / 960) * ((refFactor(alpha) * (macPerS * t)) / (shard ** 2 * nanobatch)) ** 2) ** (1 / (1 - 2 * alpha)),
    // MAC_lim^(1−2α) = (3/320)·[(b0/L0)·T0^(−α)·t/τ]², T_limit = 2·MAC_lim.
    tLimit: (alpha) => 2 * ((3 / 320) * ((refFactor(alpha) * t) / tau) ** 2) ** (1 / (1 - 2 * alpha)),
  };
}

/** The α grid of the sensitivity table (the notebook plots α ∈ [−0.2, 0.2]). */
export const ALPHA_GRID: readonly number[] = [-0.2, -0.15, -0.1, -0.05, 0, 0.05, 0.1, 0.15, 0.2];

export interface AnalyticRow {
  readonly alpha: number;
  readonly tCrit: number;
  readonly tLimit: number;
}

/** Plain-data thresholds and α-sensitivity rows for one GPU (for the CLI, JSON and the web app). */
export interface AnalyticReport {
  readonly gpuId: string;
  readonly gpuName: string;
  readonly nodeSize: number;
  readonly nanobatchTokens: number;
  readonly activationShard: number;
  readonly latencyUnitS: number;
  readonly tCrit: number;
  readonly tLimit: number;
  readonly sensitivity: readonly AnalyticRow[];
}

export function analyticReport(spec: DataMovementGpu, options: AnalyticOptions = {}, alphas: readonly number[] = ALPHA_GRID): AnalyticReport {
  const a = analyticThresholds(spec, options);
  return {
    gpuId: a.gpuId,
    gpuName: a.gpuName,
    nodeSize: a.nodeSize,
    nanobatchTokens: a.nanobatchTokens,
    activationShard: a.activationShard,
    latencyUnitS: a.latencyUnitS,
    tCrit: a.tCrit(0),
    tLimit: a.tLimit(0),
    sensitivity: alphas.map((alpha) => ({ alpha, tCrit: a.tCrit(alpha), tLimit: a.tLimit(alpha) })),
  };
}
