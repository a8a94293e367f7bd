// Collective-communication costs on a two-level network (scale-up domain, scale-out NICs).
//
// Every communication term of the step model goes through `CollectiveCosts`, so a different network model (for
// example the data-movement engine's hierarchical primitives) can replace this one in one place.
//
// A group of p ranks is placed with `inner` ranks inside each scale-up domain and p/inner domains. Bandwidth terms
// follow the ring/hierarchical algorithms NCCL uses: an all-gather or reduce-scatter of a buffer of S bytes moves
// (p-1)/p·S through every GPU; of that, the part that must leave the domain is (outer-1)/outer·S/inner per GPU,
// carried by the GPU's own NIC (rail-optimised fabric). Both levels run concurrently (pipelined), so the bandwidth
// time is the slower of the two.

import { allReduceBandwidthS, allReduceLatencyS, pointToPointBandwidthS, pointToPointLatencyS } from "../limits/network.ts";
import type { LinkRates } from "./gpu-presets.ts";

export interface GroupPlacement {
  /** Ranks in the group. */
  readonly size: number;
  /** Ranks of the group that share one scale-up domain (1 … size). */
  readonly inner: number;
}

export interface CollectiveCosts {
  /** All-gather producing a buffer of `bytes` on every rank (each rank contributes bytes/p). */
  allGather(bytes: number, g: GroupPlacement): number;
  /** Reduce-scatter of a buffer of `bytes` (each rank ends with bytes/p reduced). */
  reduceScatter(bytes: number, g: GroupPlacement): number;
  /** All-reduce of `bytes` = reduce-scatter + all-gather. */
  allReduce(bytes: number, g: GroupPlacement): number;
  /** All-to-all where every rank sends `bytes` in total, spread evenly over the group (its own share stays). */
  allToAll(bytes: number, g: GroupPlacement): number;
  /** One point-to-point transfer of `bytes`, inside the scale-up domain or across it. */
  pointToPoint(bytes: number, crossesScaleOut: boolean): number;
}

/** Achievable fraction of the link rate for large collectives, per network level (see calibration.ts). */
export interface CollectiveEfficiency {
  readonly scaleUp: number;
  readonly scaleOut: number;
}

// The per-level formulas are the data-movement engine's primitives (src/core/limits/network.ts, spec §2.5),
// called for one group (cluster size = group size, no parallel repeats). The engine quotes bandwidth as the
// bidirectional per-GPU figure and halves it; LinkRates here is one-way, so it is doubled on the way in.
// Composition over the two levels is the engine's too: bandwidth time = max over levels (they pipeline),
// latency = sum over levels, one hop per level and phase.

/** Bytes counted as 1-byte words, so the engine's primitives take byte counts. */
const ONE_RANK = { bytesPerWord: 1, clusterSize: 1 } as const;
const ONCE = { repeatSeq: 1 } as const;
const oneTransfer = (bytes: number) => ({ words: bytes, repeatSeq: 1, repeatPar: 1 });

/** The built-in two-level cost model on top of the engine's network primitives. */
export function twoLevelCollectives(links: LinkRates, eff: CollectiveEfficiency): CollectiveCosts {
  const upBidirectional = 2 * links.scaleUpBytesPerSecond * eff.scaleUp;
  const outBidirectional = 2 * links.scaleOutBytesPerSecond * eff.scaleOut;
  const lUp = links.scaleUpLatencySeconds;
  const lOut = links.scaleOutLatencySeconds;
  // One scratch transfer and link share, refilled per call: the layout search calls this ~10^6 times a plan and the
  // engine's primitives read the fields at once, so nothing holds on to them (saves an allocation per call).
  const transfer = { participants: 0, words: 0, repeatSeq: 1, repeatPar: 1 };
  const link = { bytesPerWord: 1, clusterSize: 0 };
  const group = (participants: number, words: number) => ((transfer.participants = participants), (transfer.words = words), transfer);
  const share = (clusterSize: number) => ((link.clusterSize = clusterSize), link);
  // Reduce-scatter or all-gather = half an all-reduce (one of its two phases).
  const gatherLike = (bytes: number, g: GroupPlacement): number => {
    const p = g.size;
    if (p <= 1 || bytes <= 0) return 0;
    const inner = Math.min(g.inner, p);
    const outer = p / inner;
    const intraTime = allReduceBandwidthS(group(inner, bytes), share(inner), upBidirectional) / 2;
    const interTime = outer > 1 ? allReduceBandwidthS(group(outer, bytes / inner), share(outer), outBidirectional) / 2 : 0;
    const latency = (allReduceLatencyS(group(inner, 0), lUp) + allReduceLatencyS(group(outer, 0), lOut)) / 2;
    return Math.max(intraTime, interTime) + latency;
  };
  return {
    allGather: gatherLike,
    reduceScatter: gatherLike,
    allReduce: (bytes, g) => 2 * gatherLike(bytes, g),
    allToAll(bytes, g) {
      const p = g.size;
      if (p <= 1 || bytes <= 0) return 0;
      const inner = Math.min(g.inner, p);
      // Each rank keeps 1/p, sends (inner−1)/p inside its domain and (p−inner)/p across the scale-out network.
      const intraTime = pointToPointBandwidthS(oneTransfer(((inner - 1) / p) * bytes), ONE_RANK, upBidirectional);
      const interTime = pointToPointBandwidthS(oneTransfer(((p - inner) / p) * bytes), ONE_RANK, outBidirectional);
      return Math.max(intraTime, interTime) + pointToPointLatencyS(ONCE, p > inner ? lOut : lUp);
    },
    pointToPoint(bytes, crossesScaleOut) {
      if (bytes <= 0) return 0;
      return crossesScaleOut
        ? pointToPointBandwidthS(oneTransfer(bytes), ONE_RANK, outBidirectional) + pointToPointLatencyS(ONCE, lOut)
        : pointToPointBandwidthS(oneTransfer(bytes), ONE_RANK, upBidirectional) + pointToPointLatencyS(ONCE, lUp);
    },
  };
}
