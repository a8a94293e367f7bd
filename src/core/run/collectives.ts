// Collective-communication costs on a two-level network (scale-up domain, scale-out NICs).
//
// Every communication term of the step model goes through `CollectiveCosts`, so a different network model (for
// example the data-movement engine's hierarchical primitives) can replace this one in one place.
//
// A group of p ranks is placed with `inner` ranks inside each scale-up domain and p/inner domains. Bandwidth terms
// follow the ring/hierarchical algorithms NCCL uses: an all-gather or reduce-scatter of a buffer of S bytes moves
// (p-1)/p·S through every GPU; of that, the part that must leave the domain is (outer-1)/outer·S/inner per GPU,
// carried by the GPU's own NIC (rail-optimised fabric). Both levels run concurrently (pipelined), so the bandwidth
// time is the slower of the two. Latency: ⌈log2⌉ steps per level (tree/hierarchical start-up), per phase.

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

function log2ceil(n: number): number {
  return n <= 1 ? 0 : Math.ceil(Math.log2(n));
}

/** The built-in two-level ring/hierarchical cost model. */
export function twoLevelCollectives(links: LinkRates, eff: CollectiveEfficiency): CollectiveCosts {
  const up = links.scaleUpBytesPerSecond * eff.scaleUp;
  const out = links.scaleOutBytesPerSecond * eff.scaleOut;
  const lUp = links.scaleUpLatencySeconds;
  const lOut = links.scaleOutLatencySeconds;
  const gatherLike = (bytes: number, g: GroupPlacement): number => {
    const p = g.size;
    if (p <= 1 || bytes <= 0) return 0;
    const inner = Math.min(g.inner, p);
    const outer = p / inner;
    const intraTime = inner > 1 ? (((inner - 1) / inner) * bytes) / up : 0;
    const interTime = outer > 1 ? (((outer - 1) / outer) * (bytes / inner)) / out : 0;
    return Math.max(intraTime, interTime) + log2ceil(inner) * lUp + log2ceil(outer) * lOut;
  };
  return {
    allGather: gatherLike,
    reduceScatter: gatherLike,
    allReduce: (bytes, g) => 2 * gatherLike(bytes, g),
    allToAll(bytes, g) {
      const p = g.size;
      if (p <= 1 || bytes <= 0) return 0;
      const inner = Math.min(g.inner, p);
      const intraTime = ((inner - 1) / p) * bytes / up;
      const interTime = ((p - inner) / p) * bytes / out;
      return Math.max(intraTime, interTime) + (p > inner ? lOut : lUp);
    },
    pointToPoint(bytes, crossesScaleOut) {
      if (bytes <= 0) return 0;
      return crossesScaleOut ? bytes / out + lOut : bytes / up + lUp;
    },
  };
}
