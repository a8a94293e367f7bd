// Where DiLoCo beats synchronous data parallelism: combine its speed (communication.ts) with its loss cost
// (loss-law.ts). DiLoCo wins when its speed-up over DP exceeds 1/equivalence, the compute its loss penalty costs
// (or always, when its loss is already lower). Crossovers are found by bisection on one quantity, the rest fixed.
import { dataParallelStep, dilocoStep, type DilocoSetup } from "./communication.ts";
import { dilocoComputeEquivalence } from "./loss-law.ts";

/** DP step time over DiLoCo step time (> 1: DiLoCo is faster). */
export function dilocoSpeedup(s: DilocoSetup): number {
  return dataParallelStep(s).stepS / dilocoStep(s).stepS;
}

/** DiLoCo's advantage: speed-up × compute equivalence of its loss (> 1: it reaches DP's loss sooner). */
export function dilocoAdvantage(s: DilocoSetup): number {
  return dilocoSpeedup(s) * dilocoComputeEquivalence(s.params, s.replicas);
}

/** Geometric bisection of a monotone predicate on [lo, hi]; returns the boundary, or undefined without a sign change. */
function boundary(lo: number, hi: number, wins: (x: number) => boolean): number | undefined {
  const a = wins(lo);
  if (a === wins(hi)) return undefined;
  for (let i = 0; i < 200; i++) {
    const mid = Math.sqrt(lo * hi);
    if (wins(mid) === a) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

export interface DilocoCrossover {
  /** Inter-site bandwidth (bytes/s) below which DiLoCo wins; Infinity when it wins at any bandwidth; 0 when never. */
  readonly bandwidthBps: number;
  /**
   * Cluster size (nodes, at the same global batch) above which DiLoCo wins; 0 when it wins at any size, Infinity
   * when never within 10^8 nodes.
   */
  readonly nodes: number;
}

/** Both crossovers for a setup (the other parameters held). `flopsPerStep` = 6·N·B, `nodeFlops` = Q per node. */
export function dilocoCrossover(s: DilocoSetup, flopsPerStep: number, nodeFlops: number): DilocoCrossover {
  const byBandwidth = (w: number) => dilocoAdvantage({ ...s, across: { ...s.across, bandwidthBps: w } }) > 1;
  const lowW = 1e3;
  const highW = 1e15;
  const w = boundary(lowW, highW, byBandwidth);
  const bandwidthBps = w ?? (byBandwidth(highW) ? Number.POSITIVE_INFINITY : 0);
  const byNodes = (r: number) => dilocoAdvantage({ ...s, nodes: r, computeStepS: flopsPerStep / (r * nodeFlops) }) > 1;
  const lowR = Math.max(2, s.replicas);
  const highR = 1e8;
  const r = boundary(lowR, highR, byNodes);
  const nodes = r ?? (byNodes(lowR) ? 0 : Number.POSITIVE_INFINITY);
  return { bandwidthBps, nodes };
}
