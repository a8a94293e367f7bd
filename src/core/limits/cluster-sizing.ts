// The smallest cluster that trains a model within the deadline (spec §2.10): N = E·2^k for k = 0…59, skipping
// sizes whose effective FLOP/s cannot do C in time; the first N whose best layout finishes in time wins.
import type { DerivedGpu } from "./gpus.ts";
import { createLayoutSearch, SECONDS_PER_YEAR, type LayoutChoice, type NetworkLayoutSearchOptions } from "./layout-search.ts";
import type { ScaledModel } from "./scaling-rules.ts";

/** Largest power of two tried (the reference's range(0, 60)). */
export const MAX_CLUSTER_DOUBLINGS = 59;

export interface ClusterSizing {
  /** The chosen layout on the smallest feasible cluster, or null when no E·2^k cluster finishes in time. */
  readonly choice: LayoutChoice | null;
  /** Cluster sizes examined (a work counter). */
  readonly clusterSizesTried: number;
  /** Full per-level layout evaluations (a work counter). */
  readonly evaluations: number;
}

export function smallestFeasibleCluster(gpu: DerivedGpu, model: ScaledModel, months: number, options: NetworkLayoutSearchOptions): ClusterSizing {
  const years = months / 12;
  // The fewest GPUs whose sustained FLOP/s could do C in time at all.
  const minGpus = model.flop / (years * SECONDS_PER_YEAR * gpu.flopPerS);
  const search = createLayoutSearch(gpu, model, options);
  let tried = 0;
  for (let k = 0; k <= MAX_CLUSTER_DOUBLINGS; k++) {
    const n = model.experts * 2 ** k;
    if (n < minGpus) continue;
    tried++;
    const choice = search.best(n, years);
    if (choice !== null) return { choice, clusterSizesTried: tried, evaluations: search.evaluations() };
  }
  return { choice: null, clusterSizesTried: tried, evaluations: search.evaluations() };
}
