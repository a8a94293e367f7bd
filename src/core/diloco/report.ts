// Everything `scaleplan diloco` and the web app show for one setup: step times of both methods, the inter-site
// bandwidth each needs for a compute utilization, DiLoCo's loss cost (Charles et al. 2025) and the crossovers.
// The inputs are in the units people type (Gbit/s per node, seconds); the report holds the core's numbers.
import { bandwidthForUtilization, dataParallelStep, dilocoStep, outerFragmentBytes, type DilocoSetup, type StepTime } from "./communication.ts";
import { BATCH_TOKENS, FRAGMENTS, GPU_COUNT, LINK_GBPS, LINK_LATENCY_S, NODE_FLOPS, OUTER_BITS, PARAMETER_COUNT, requireWithinBound, SYNC_EVERY } from "../config/bounds.ts";
import { InputError } from "../errors.ts";
import { dilocoCrossover } from "./crossover.ts";
import { dataParallelLoss, dilocoComputeEquivalence, dilocoLoss, lossCrossoverParams } from "./loss-law.ts";

/** Default global batch: 4 Mi tokens (the data-movement paper's reference batch at 3e23 FLOP, `limits`' critical rule). */
export const DILOCO_DEFAULT_BATCH_TOKENS = 4 * 2 ** 20;
/** Charles et al. 2025 App. A.3: Q = 300 TFLOP/s per chip (between TPU v5e and v6e at 50 % of peak). */
export const DILOCO_DEFAULT_NODE_FLOPS = 300e12;
/** Bytes/s per Gbit/s. */
export const GBIT = 1e9 / 8;
/** Compute utilizations the bandwidth table is solved for (their Table 6 columns, and 99 %). */
export const UTILIZATION_TARGETS: readonly number[] = [0.5, 0.8, 0.9, 0.95, 0.99];
/** Synchronisation cadences H tabulated beside the chosen one (their Table 6 rows: 10, 100, 300). */
export const SYNC_CADENCES: readonly number[] = [1, 10, 50, 100, 300];

export interface DilocoInputs {
  readonly params: number;
  readonly replicas: number;
  readonly syncEvery: number;
  /** Nodes in total, split over the replicas. */
  readonly nodes: number;
  readonly batchTokens: number;
  /** Achieved FLOP/s per node. */
  readonly nodeFlops: number;
  /** Inter-site bandwidth per node (Gbit/s) and latency (s). */
  readonly bandwidthGbps: number;
  readonly latencyS: number;
  readonly withinBandwidthGbps: number;
  readonly withinLatencyS: number;
  readonly outerBits: number;
  readonly fragments: number;
  readonly overlap: boolean;
}

/** BF16 gradients (2 bytes a parameter); one inner step computes 6·N·B FLOP over the R nodes. */
export function dilocoSetup(i: DilocoInputs): DilocoSetup {
  // Sizes inside the named bounds, so no product below overflows (issue 13: --batch 1e300 printed NaN).
  requireWithinBound("params", i.params, PARAMETER_COUNT);
  requireWithinBound("batchTokens", i.batchTokens, BATCH_TOKENS);
  requireWithinBound("nodes", i.nodes, GPU_COUNT);
  requireWithinBound("bandwidthGbps", i.bandwidthGbps, LINK_GBPS);
  requireWithinBound("withinBandwidthGbps", i.withinBandwidthGbps, LINK_GBPS);
  requireWithinBound("latencyS", i.latencyS, LINK_LATENCY_S);
  requireWithinBound("withinLatencyS", i.withinLatencyS, LINK_LATENCY_S);
  requireWithinBound("syncEvery", i.syncEvery, SYNC_EVERY);
  requireWithinBound("outerBits", i.outerBits, OUTER_BITS);
  requireWithinBound("fragments", i.fragments, FRAGMENTS);
  requireWithinBound("nodeFlops", i.nodeFlops, NODE_FLOPS);
  const computeStepS = (6 * i.params * i.batchTokens) / (i.nodes * i.nodeFlops);
  if (!(computeStepS > 0 && Number.isFinite(computeStepS))) throw new InputError("nodeFlops", i.nodeFlops, "a finite FLOP/s > 0 giving a finite step time 6·N·B / (R·Q)");
  return {
    params: i.params,
    bytesPerParam: 2,
    nodes: i.nodes,
    replicas: i.replicas,
    syncEvery: i.syncEvery,
    outerBits: i.outerBits,
    fragments: i.fragments,
    overlap: i.overlap,
    computeStepS,
    within: { bandwidthBps: i.withinBandwidthGbps * GBIT, latencyS: i.withinLatencyS },
    across: { bandwidthBps: i.bandwidthGbps * GBIT, latencyS: i.latencyS },
  };
}

export interface DilocoReport {
  readonly setup: DilocoSetup & { readonly batchTokens: number; readonly nodeFlops: number };
  readonly dataParallel: StepTime;
  readonly diloco: StepTime & { readonly outerFragmentBytes: number };
  readonly loss: { readonly dataParallel: number; readonly diloco: number; readonly source: string; readonly computeEquivalence: number; readonly lossCrossoverParams: number | null };
  /** Below `bandwidthGbps` between sites, and above `nodes` (same batch), DiLoCo reaches DP's loss sooner. */
  readonly crossover: { readonly bandwidthGbps: number; readonly nodes: number };
  /** Gbit/s per node between sites each method needs for each utilization target (null: unreachable). */
  readonly bandwidthForUtilization: { readonly targets: readonly number[]; readonly rows: ReadonlyArray<{ readonly method: string; readonly gbps: ReadonlyArray<number | null> }> };
}

/** The bandwidth table: data parallelism, then DiLoCo at the tabulated cadences and the chosen H (within-site traffic hidden, as for their Table 6). */
function bandwidthTable(setup: DilocoSetup): DilocoReport["bandwidthForUtilization"] {
  const cadences = [...new Set([...SYNC_CADENCES, setup.syncEvery])].sort((a, b) => a - b);
  const methods = [{ name: "data parallel", H: null as number | null }, ...cadences.map((h) => ({ name: `DiLoCo H=${h}`, H: h }))];
  const rows = methods.map((m) => ({
    method: m.name,
    gbps: UTILIZATION_TARGETS.map((u) => {
      const bps = m.H === null ? bandwidthForUtilization(setup, "data-parallel", u) : bandwidthForUtilization({ ...setup, syncEvery: m.H }, "diloco", u, { crossSiteOnly: true });
      return Number.isFinite(bps) ? bps / GBIT : null;
    }),
  }));
  return { targets: UTILIZATION_TARGETS, rows };
}

export function dilocoReport(i: DilocoInputs): DilocoReport {
  const setup = dilocoSetup(i);
  const loss = dilocoLoss(i.params, i.replicas);
  const crossover = dilocoCrossover(setup, 6 * i.params * i.batchTokens, i.nodeFlops);
  return {
    setup: { ...setup, batchTokens: i.batchTokens, nodeFlops: i.nodeFlops },
    dataParallel: dataParallelStep(setup),
    diloco: { ...dilocoStep(setup), outerFragmentBytes: outerFragmentBytes(setup) },
    loss: {
      dataParallel: dataParallelLoss(i.params),
      diloco: loss.loss,
      source: loss.source,
      computeEquivalence: dilocoComputeEquivalence(i.params, i.replicas),
      lossCrossoverParams: lossCrossoverParams(i.replicas) ?? null,
    },
    crossover: { bandwidthGbps: crossover.bandwidthBps / GBIT, nodes: crossover.nodes },
    bandwidthForUtilization: bandwidthTable(setup),
  };
}
