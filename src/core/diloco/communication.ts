// Communication of training that synchronises every H inner steps (DiLoCo, Douillard et al. 2023, arXiv 2311.08105)
// against synchronous data parallelism, with the idealised model of Charles et al. 2025 (arXiv 2503.09799, App. A.2):
// a bandwidth-optimal all-reduce of N parameters over R nodes takes at least 2·N·(1 − 1/R)/W + ε. Data-parallel
// training all-reduces across the slow inter-site link every step; DiLoCo with M ≥ 2 replicas (one per site)
// all-reduces inside each site every step and across sites every H steps (the outer gradient). Streaming DiLoCo
// (Douillard et al. 2025, arXiv 2501.18512) sends P fragments at staggered times: the same total, 1/P of the peak.

/** One network: bandwidth in bytes/s per node (as the paper's W), latency ε in seconds. */
export interface Link {
  readonly bandwidthBps: number;
  readonly latencyS: number;
}

export interface DilocoSetup {
  /** Parameters N. */
  readonly params: number;
  /** Bytes per parameter of the (inner) gradients: 2 for BF16. */
  readonly bytesPerParam: number;
  /** Nodes R (GPUs/TPUs), split evenly over the replicas. */
  readonly nodes: number;
  /** Replicas M (sites): M ≥ 2 keeps inner traffic inside a site; M = 1 spans every site. */
  readonly replicas: number;
  /** Inner steps per outer synchronisation H. */
  readonly syncEvery: number;
  /** Bits of the outer gradients on the wire (16 = as trained; lower = quantised outer gradients). */
  readonly outerBits?: number;
  /** Streaming DiLoCo fragments P (1 = the whole model at once). */
  readonly fragments?: number;
  /**
   * Overlap the outer all-reduce with the next round's compute (Douillard et al. 2025 "overlapping communication");
   * our simplification: a round's outer traffic hides behind the H steps of compute that follow it.
   */
  readonly overlap?: boolean;
  /** Compute time of one inner step on one node, seconds (6·N·B/(R·Q) for batch B, Q FLOP/s per node). */
  readonly computeStepS: number;
  readonly within: Link;
  readonly across: Link;
}

/** Charles et al. 2025 App. A.2: 2·bytes·(1 − 1/R)/W + ε (0 for one node). */
export function allReduceSeconds(bytes: number, nodes: number, link: Link): number {
  return nodes <= 1 ? 0 : (2 * bytes * (1 - 1 / nodes)) / link.bandwidthBps + link.latencyS;
}

export interface StepTime {
  readonly computeS: number;
  /** Communication per step on the critical path, amortised over the outer round. */
  readonly commS: number;
  readonly stepS: number;
  /** Compute / step (the paper's "compute utilization"). */
  readonly utilization: number;
}

/** Synchronous data parallelism: an all-reduce over all R nodes across sites every step (App. A.2, first case). */
export function dataParallelStep(s: DilocoSetup): StepTime {
  const commS = dataParallelSyncSeconds(s);
  const stepS = s.computeStepS + commS;
  return { computeS: s.computeStepS, commS, stepS, utilization: s.computeStepS / stepS };
}

/** Seconds of the all-reduce synchronous data parallelism runs across sites every step (App. A.2, first case). */
export function dataParallelSyncSeconds(s: Pick<DilocoSetup, "params" | "bytesPerParam" | "nodes" | "across">): number {
  return allReduceSeconds(s.params * s.bytesPerParam, s.nodes, s.across);
}

/** Seconds of one outer synchronisation (all R nodes, across sites, outer gradients at outerBits). */
export function outerSyncSeconds(s: Pick<DilocoSetup, "params" | "bytesPerParam" | "nodes" | "across" | "outerBits">): number {
  const outerBytes = s.params * s.bytesPerParam * ((s.outerBits ?? 8 * s.bytesPerParam) / (8 * s.bytesPerParam));
  return allReduceSeconds(outerBytes, s.nodes, s.across);
}

/** DiLoCo (App. A.2, second and third cases), amortised per inner step. */
export function dilocoStep(s: DilocoSetup): StepTime {
  const inner = s.replicas >= 2 ? allReduceSeconds(s.params * s.bytesPerParam, s.nodes / s.replicas, s.within) : allReduceSeconds(s.params * s.bytesPerParam, s.nodes, s.across);
  const commS = inner + amortisedOuterSeconds(s, s.computeStepS + inner);
  const stepS = s.computeStepS + commS;
  return { computeS: s.computeStepS, commS, stepS, utilization: s.computeStepS / stepS };
}

/**
 * The outer synchronisation's share of one inner step: its exposed seconds / H. With `overlap` a round's outer
 * exchange hides behind the H inner steps (of `innerStepS` each) that follow it; only the excess is exposed.
 * `step` adds this to the step time of one site's replica (src/core/run/diloco-step.ts).
 */
export function amortisedOuterSeconds(s: Pick<DilocoSetup, "params" | "bytesPerParam" | "nodes" | "across" | "syncEvery" | "outerBits" | "overlap">, innerStepS: number): number {
  const outer = outerSyncSeconds(s);
  const exposed = s.overlap ? Math.max(0, outer - s.syncEvery * innerStepS) : outer;
  return exposed / s.syncEvery;
}

/** Bytes one site sends per outer fragment: the streaming peak is 1/P of the whole-model exchange. */
export function outerFragmentBytes(s: Pick<DilocoSetup, "params" | "bytesPerParam" | "outerBits" | "fragments">): number {
  return (s.params * s.bytesPerParam * ((s.outerBits ?? 8 * s.bytesPerParam) / (8 * s.bytesPerParam))) / (s.fragments ?? 1);
}

/**
 * The inter-site bandwidth (bytes/s) at which a method reaches compute utilization `target`, or Infinity when the
 * latency alone (or the inner traffic) already costs more. Solved in closed form from the step time. With
 * `crossSiteOnly` the within-site traffic is taken as hidden, to compare with their Table 6.
 */
export function bandwidthForUtilization(s: DilocoSetup, method: "data-parallel" | "diloco", target: number, options: { crossSiteOnly?: boolean } = {}): number {
  const budget = s.computeStepS * (1 / target - 1); // communication allowed per step
  const bytes2 = 2 * s.params * s.bytesPerParam * (1 - 1 / s.nodes);
  if (method === "data-parallel") return budget > s.across.latencyS ? bytes2 / (budget - s.across.latencyS) : Number.POSITIVE_INFINITY;
  const outerBytes2 = bytes2 * ((s.outerBits ?? 8 * s.bytesPerParam) / (8 * s.bytesPerParam));
  if (s.replicas < 2) {
    // One replica spans the sites: the DP all-reduce every step plus the outer one every H steps (App. A.2).
    const latency = s.across.latencyS * (1 + 1 / s.syncEvery);
    return budget > latency ? (bytes2 + outerBytes2 / s.syncEvery) / (budget - latency) : Number.POSITIVE_INFINITY;
  }
  // crossSiteOnly: the inner (within-site) all-reduce assumed hidden, as the simulator behind Charles et al. Table 6.
  const inner = options.crossSiteOnly ? 0 : allReduceSeconds(s.params * s.bytesPerParam, s.nodes / s.replicas, s.within);
  const outerBudget = (budget - inner) * s.syncEvery + (s.overlap ? s.syncEvery * (s.computeStepS + inner) : 0);
  return outerBudget > s.across.latencyS ? outerBytes2 / (outerBudget - s.across.latencyS) : Number.POSITIVE_INFINITY;
}

/**
 * The per-level divisor the `limits` model applies to its datacenter-level data-parallel terms (NetworkSpec.dpSyncEvery):
 * DiLoCo synchronises across datacenters every H steps, with outer gradients of b bits instead of the trained width.
 */
export function dilocoSyncDivisor(d: { syncEvery: number; outerBits?: number | undefined } | undefined, trainingBits: number): number {
  return d ? d.syncEvery * (trainingBits / (d.outerBits ?? trainingBits)) : 1;
}
