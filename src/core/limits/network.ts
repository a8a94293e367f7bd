// Communication over a hierarchical network (spec §2.5; reference optimal_parallelism.ipynb, cells 4 and 6).
// Every parallelism degree is split over the network levels; each level has a per-GPU bidirectional bandwidth
// and a per-hop latency. Bandwidth terms assume perfect load balance: cluster-wide traffic divided by the
// aggregate one-way bandwidth of all N GPUs at that level.
//
// Exactness (spec §5 Q5): the reference multiplies Python integers exactly and rounds once when it meets the
// float byte width. Here the integer factors are doubles multiplied left to right; each factor is an integer
// whose odd part is small (widths f·2^i with f ≤ 15, R-snapped depths and batches, divisors of E·2^k), so every
// partial product is exact unless its odd part passes 2^53, which no model on the grid comes near.

import { GPU_COUNT, requireWithinBound } from "../config/bounds.ts";
import type { NetworkSpec } from "../hardware/microarchitecture.ts";

export type { NetworkSpec } from "../hardware/microarchitecture.ts";

/** A datacenter level above the top of a network: datacenters of `gpus` GPUs joined at `bandwidthBps` per GPU. */
export interface DatacenterLevel {
  /** GPUs per datacenter: a whole number of units of the network's current top bounded level. */
  readonly gpus: number;
  /** Bidirectional per-GPU bandwidth between datacenters, B/s. */
  readonly bandwidthBps: number;
  /** Latency per hop between datacenters, s. */
  readonly latencyS: number;
  /** DiLoCo across the datacenters: DP synchronisation at this level amortised over this many steps (default 1). */
  readonly dpSyncEvery?: number;
}

/** GPUs in one unit of the top bounded level (1 for a flat network): a datacenter must hold a whole number of them. */
export function gpusPerTopUnit(network: NetworkSpec): number {
  return network.levelSizes.reduce((a, b) => a * b, 1);
}

/**
 * Adds a datacenter level above the top of the network (multi-datacenter training, spec §1.3/§4), as the
 * reference's April-2024 "H100 SXM Datacenter" variant did (level sizes (8, 4096) for 32 768-GPU datacenters,
 * 1 GB/s, 1 ms).
 */
export function withDatacenterLevel(network: NetworkSpec, datacenter: DatacenterLevel): NetworkSpec {
  requireWithinBound("datacenter size", datacenter.gpus, GPU_COUNT);
  return {
    levelSizes: [...network.levelSizes, datacenter.gpus / gpusPerTopUnit(network)],
    bandwidthsBps: [...network.bandwidthsBps, datacenter.bandwidthBps],
    latenciesS: [...network.latenciesS, datacenter.latencyS],
    ...(datacenter.dpSyncEvery !== undefined && datacenter.dpSyncEvery !== 1 ? { dpSyncEvery: [...network.bandwidthsBps.map(() => 1), datacenter.dpSyncEvery] } : {}),
  };
}

/** Per-level view of a network, as flat arrays for the hot path. */
export interface NetworkArrays {
  readonly levels: number;
  readonly bandwidthsBps: Float64Array;
  readonly latenciesS: Float64Array;
  /** Per level, the steps a DP synchronisation is amortised over (DiLoCo; NetworkSpec.dpSyncEvery). */
  readonly dpSyncDivisor?: Float64Array;
}

export function networkArrays(network: NetworkSpec): NetworkArrays {
  return {
    levels: network.levelSizes.length + 1,
    bandwidthsBps: Float64Array.from(network.bandwidthsBps),
    latenciesS: Float64Array.from(network.latenciesS),
    ...(network.dpSyncEvery ? { dpSyncDivisor: Float64Array.from(network.dpSyncEvery) } : {}),
  };
}

/** Bandwidth and latency of one communication pattern; mutable so the search can reuse one object. */
export interface CommCost {
  bandwidthS: number;
  latencyS: number;
}

/** How traffic meets the links: the word width and the GPUs whose links share it (N in N·B/2). */
export interface LinkShare {
  readonly bytesPerWord: number;
  readonly clusterSize: number;
}

/** What every communication pattern of one step moves: the model's sizes, the word width and the cluster. */
export interface StepTraffic extends LinkShare {
  readonly dModel: number;
  readonly dFf: number;
  readonly layers: number;
  /** All parameters (P_tot): what the data-parallel all-reduce carries. */
  readonly params: number;
  /** Tokens per optimizer step (B). */
  readonly batchTokens: number;
}

/** One collective or transfer at one level: `words` per peer, `repeatSeq` times in sequence, `repeatPar` in parallel. */
export interface Transfer {
  readonly participants: number;
  readonly words: number;
  readonly repeatSeq: number;
  readonly repeatPar: number;
}

/** Cluster-wide one-way bandwidth of a level: N GPUs × B/2 (the bandwidths are bidirectional per GPU). */
function clusterOneWayBps(share: LinkShare, bandwidthBps: number): number {
  return (share.clusterSize * bandwidthBps) / 2;
}

/**
 * All-reduce (reduce-scatter + all-gather) among `participants` peers of `words` words, repeated `repeatSeq`
 * times in sequence and `repeatPar` times in parallel, at one level (spec §2.5):
 * bandwidth 2(p−1)·w·r_s·r_p·β / (N·B/2).
 */
export function allReduceBandwidthS(t: Transfer, share: LinkShare, bandwidthBps: number): number {
  return allReduceBandwidthOf(t.participants, t.words, t.repeatSeq, t.repeatPar, share, bandwidthBps);
}

/** All-reduce latency: 2·r_s·λ when more than one peer takes part (spec §2.5). */
export function allReduceLatencyS(t: Pick<Transfer, "participants" | "repeatSeq">, latencyS: number): number {
  return allReduceLatencyOf(t.participants, t.repeatSeq, latencyS);
}

/** Point-to-point transfer of `words` words: bandwidth w·r_s·r_p·β / (N·B/2) (spec §2.5). */
export function pointToPointBandwidthS(t: Omit<Transfer, "participants">, share: LinkShare, bandwidthBps: number): number {
  return pointToPointBandwidthOf(t.words, t.repeatSeq, t.repeatPar, share, bandwidthBps);
}

/** Point-to-point latency: r_s·λ (spec §2.5). */
export function pointToPointLatencyS(t: Pick<Transfer, "repeatSeq">, latencyS: number): number {
  return pointToPointLatencyOf(t.repeatSeq, latencyS);
}

// The same four formulas with the Transfer's fields as arguments: the cost functions below call these in their
// per-level loops, which the layout search runs tens of thousands of times (an object per level and transfer
// was most of what a fresh worker's garbage collector had to do).
function allReduceBandwidthOf(participants: number, words: number, repeatSeq: number, repeatPar: number, share: LinkShare, bandwidthBps: number): number {
  return (2 * (participants - 1) * words * repeatSeq * repeatPar * share.bytesPerWord) / clusterOneWayBps(share, bandwidthBps);
}
function allReduceLatencyOf(participants: number, repeatSeq: number, latencyS: number): number {
  return participants > 1 ? 2 * repeatSeq * latencyS : 0;
}
function pointToPointBandwidthOf(words: number, repeatSeq: number, repeatPar: number, share: LinkShare, bandwidthBps: number): number {
  return (words * repeatSeq * repeatPar * share.bytesPerWord) / clusterOneWayBps(share, bandwidthBps);
}
function pointToPointLatencyOf(repeatSeq: number, latencyS: number): number {
  return repeatSeq * latencyS;
}

/** Product of split[from…levels−1]: the degree of a parallelism above level from−1. */
function productFrom(split: ArrayLike<number>, from: number, levels: number): number {
  let p = 1;
  for (let i = from; i < levels; i++) p *= split[i]!;
  return p;
}

/**
 * Data-parallel gradient all-reduce of all P_tot parameters, hierarchically: at level ℓ an all-reduce among
 * N_DP,ℓ peers, in parallel over the replicas above (r_p = Π_{k>ℓ} N_DP,k). Levels overlap, so the bandwidth time
 * is the max over levels; latencies add up (spec §2.5).
 */
export function dataParallelCost(out: CommCost, net: NetworkArrays, traffic: StepTraffic, split: { readonly dp: ArrayLike<number> }): void {
  const dp = split.dp;
  let bw = 0;
  let lat = 0;
  for (let level = 0; level < net.levels; level++) {
    // The gradients: P_tot words among this level's DP peers, once, in parallel over the replicas above.
    const peers = dp[level]!;
    const replicasAbove = productFrom(dp, level + 1, net.levels);
    // DiLoCo (NetworkSpec.dpSyncEvery): this level's all-reduce is amortised over H·16/b steps.
    const every = net.dpSyncDivisor ? net.dpSyncDivisor[level]! : 1;
    lat += allReduceLatencyOf(peers, 1, net.latenciesS[level]!) / every;
    const local = allReduceBandwidthOf(peers, traffic.params, 1, replicasAbove, traffic, net.bandwidthsBps[level]!) / every;
    bw = local >= bw ? local : bw;
  }
  out.bandwidthS = bw;
  out.latencyS = lat;
}

/**
 * 2-D tensor-parallel activation all-reduces, twice per layer (forward and backward) for each split direction
 * (spec §2.5): over the d_model-splitting group, d_ff-word all-reduces; over the d_ff-splitting group, d_model-word
 * all-reduces; each for all B tokens in parallel. Bandwidth = max over levels of the sum; latency = sum.
 */
export function tensorParallelCost(
  out: CommCost,
  net: NetworkArrays,
  traffic: StepTraffic,
  split: { readonly tpModel: ArrayLike<number>; readonly tpFf: ArrayLike<number> },
): void {
  const { tpModel, tpFf } = split;
  let bw = 0;
  let lat = 0;
  const repeatSeq = 2 * traffic.layers;
  for (let level = 0; level < net.levels; level++) {
    const bandwidth = net.bandwidthsBps[level]!;
    const latency = net.latenciesS[level]!;
    // Over the d_model-splitting group: d_ff words; over the d_ff-splitting group: d_model words; all B tokens in
    // parallel, times the groups above.
    const modelPeers = tpModel[level]!;
    const modelParallel = traffic.batchTokens * productFrom(tpModel, level + 1, net.levels);
    const ffPeers = tpFf[level]!;
    const ffParallel = traffic.batchTokens * productFrom(tpFf, level + 1, net.levels);
    const sum = allReduceBandwidthOf(modelPeers, traffic.dFf, repeatSeq, modelParallel, traffic, bandwidth) + allReduceBandwidthOf(ffPeers, traffic.dModel, repeatSeq, ffParallel, traffic, bandwidth);
    bw = sum >= bw ? sum : bw;
    lat += allReduceLatencyOf(modelPeers, repeatSeq, latency) + allReduceLatencyOf(ffPeers, repeatSeq, latency);
  }
  out.bandwidthS = bw;
  out.latencyS = lat;
}

function highestLevelAbove1(split: ArrayLike<number>, levels: number): number {
  let top = -1;
  for (let i = 0; i < levels; i++) if (split[i]! > 1) top = i;
  return top;
}

/**
 * Fraction of the 2(L−1) layer boundaries whose pipeline hop crosses level `a` (−1: stays on one GPU), for a
 * pipeline of `ppDegree` stages split over the levels as `pp` with `interleave` virtual stages per rank.
 */
function pipelineCrossingFraction(pp: ArrayLike<number>, a: number, maxPp: number, interleave: number, ppDegree: number, layers: number, levels: number): number {
  let transfers: number;
  if (a === -1) transfers = layers - interleave * ppDegree;
  else if (a === maxPp) transfers = interleave * pp[a]! - 1;
  else transfers = interleave * productFrom(pp, a + 1, levels) * (pp[a]! - 1);
  return transfers / (layers - 1);
}

/**
 * Fraction of tokens whose expert hop crosses level `e` (−1: the expert is local); for latency, the hop at the
 * highest EP level counts fully (the slowest token gates everyone) and the others not at all.
 */
function expertCrossingFraction(ep: ArrayLike<number>, e: number, maxEp: number, epDegree: number, forLatency: boolean, levels: number): number {
  if (forLatency) return e === maxEp ? 1 : 0;
  if (e === -1) return 1 / epDegree;
  return 1 / productFrom(ep, e + 1, levels) - 1 / productFrom(ep, e, levels);
}

/**
 * Pipeline- and expert-parallel point-to-point traffic: d_model words per token at each of the 2(L−1) layer
 * boundaries per step (spec §2.5). For each pair (pipeline level a, expert level e), −1 meaning "same GPU", the
 * transfer happens at level max(a, e) with frequency freq_pp(a)·freq_ep(e). Both totals are sums over pairs.
 */
export function pipelineExpertCost(
  out: CommCost,
  net: NetworkArrays,
  traffic: StepTraffic,
  split: { readonly pp: ArrayLike<number>; readonly ep: ArrayLike<number>; readonly interleave: number },
): void {
  const { pp, ep, interleave } = split;
  const levels = net.levels;
  const layers = traffic.layers;
  const ppDegree = productFrom(pp, 0, levels);
  const epDegree = productFrom(ep, 0, levels);
  const maxPp = highestLevelAbove1(pp, levels);
  const maxEp = highestLevelAbove1(ep, levels);
  let bw = 0;
  let lat = 0;
  // With one layer there are no boundaries (the reference would divide 0 by 0 here).
  if (layers > 1) {
    for (let mode = 0; mode < 2; mode++) {
      const forLatency = mode === 1;
      for (let a = -1; a <= maxPp; a++) {
        const ppFreq = pipelineCrossingFraction(pp, a, maxPp, interleave, ppDegree, layers, levels);
        for (let e = -1; e <= maxEp; e++) {
          const level = a > e ? a : e;
          if (level < 0) continue;
          // d_model words per token at the boundaries crossing this level, for all B tokens.
          const crossings = 2 * (layers - 1) * (ppFreq * expertCrossingFraction(ep, e, maxEp, epDegree, forLatency, levels));
          if (forLatency) lat += pointToPointLatencyOf(crossings, net.latenciesS[level]!);
          else bw += pointToPointBandwidthOf(traffic.dModel, crossings, traffic.batchTokens, traffic, net.bandwidthsBps[level]!);
        }
      }
    }
  }
  out.bandwidthS = bw;
  out.latencyS = lat;
}
