// Runs inside the worker: DiLoCo (synchronising every H steps) against synchronous data parallelism across sites —
// step times, bandwidth needed, the loss cost of M replicas (Charles et al. 2025) and the crossovers — the report of
// `scaleplan diloco`, and utilization against the inter-site bandwidth for the chart.
import { BATCH_TOKENS, FRAGMENTS, GPU_COUNT, LINK_GBPS, LINK_LATENCY_S, NODE_FLOPS, OUTER_BITS, PARAMETER_COUNT, SYNC_EVERY } from "../../../../src/core/config/bounds.ts";
import { InputError } from "../../../../src/core/errors.ts";
import { dataParallelStep, dilocoStep } from "../../../../src/core/diloco/communication.ts";
import { dilocoReport, dilocoSetup, type DilocoInputs, type DilocoReport } from "../../../../src/core/diloco/report.ts";
import type { LineChartSpec } from "../../../../src/core/plot/line-chart.ts";
import type { Bound } from "../../worker/bounds.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import type { DilocoInput } from "./panel-inputs.ts";
import { fieldReader } from "./read-fields.ts";

/**
 * What the DiLoCo panel's fields accept: the bounds `scaleplan diloco` and the core's dilocoReport enforce
 * (src/core/config/bounds.ts, sources there), so the form and the CLI refuse the same values with the same words.
 */
export const DILOCO_BOUNDS = {
  params: PARAMETER_COUNT,
  // Sites; Charles et al. fitted M ≤ 8 (their Table 7), more is extrapolated and said so.
  replicas: { min: 1, max: 1024, integer: true },
  syncEvery: SYNC_EVERY,
  nodes: GPU_COUNT,
  batch: BATCH_TOKENS,
  nodeFlops: NODE_FLOPS,
  bandwidth: LINK_GBPS,
  latency: LINK_LATENCY_S,
  outerBits: OUTER_BITS,
  fragments: FRAGMENTS,
} as const satisfies Readonly<Record<string, Bound>>;

/** Replica counts with their own fit in Charles et al. Table 7; others use the joint Table 10 law. */
const FITTED_REPLICAS = [1, 2, 4, 8];
/** The H of the paper's scaling laws (§3.1): the loss cost of other H is measured, not fitted. */
const LAW_SYNC_EVERY = 30;

export interface DilocoTaskResult extends DilocoReport {
  readonly chart: LineChartSpec;
  /** What the loss figures do not cover (M past the fitted 1–8, H other than 30). */
  readonly caveats: readonly string[];
}

/** Compute utilization of both methods from 0.1 to 10,000 Gbit/s between sites, the crossover marked. */
function utilizationChart(inputs: DilocoInputs, crossoverGbps: number): LineChartSpec {
  const ws = Array.from({ length: 41 }, (_, i) => 10 ** (-1 + (5 * i) / 40));
  const at = (w: number) => dilocoSetup({ ...inputs, bandwidthGbps: w });
  const crossing = Number.isFinite(crossoverGbps) && crossoverGbps > 0;
  return {
    title: `Compute utilization against the inter-site bandwidth (M = ${inputs.replicas}, H = ${inputs.syncEvery})`,
    xLabel: "inter-site bandwidth per node (Gbit/s)",
    yLabel: "compute utilization",
    xLog: true,
    yDomain: [0, 1],
    ...(crossing ? { markedRange: { from: crossoverGbps, to: crossoverGbps, label: "crossover" } } : {}),
    series: [
      { name: "data parallel", points: ws.map((w) => ({ x: w, y: dataParallelStep(at(w)).utilization })) },
      { name: "DiLoCo", points: ws.map((w) => ({ x: w, y: dilocoStep(at(w)).utilization })) },
    ],
  };
}

function readInputs(input: DilocoInput): DilocoInputs {
  const f = fieldReader("diloco");
  const b = DILOCO_BOUNDS;
  const replicas = f.number("replicas", input.dilocoReplicas, b.replicas);
  const nodes = f.number("nodes", input.dilocoNodes, b.nodes);
  if (replicas !== undefined && nodes !== undefined && nodes % replicas !== 0) f.guard("nodes", () => { throw new InputError("nodes", nodes, `a multiple of the replicas (${replicas})`); });
  const values = {
    params: f.number("params", input.dilocoParams, b.params),
    replicas,
    syncEvery: f.number("syncEvery", input.dilocoSyncEvery, b.syncEvery),
    nodes,
    batchTokens: f.number("batch", input.dilocoBatch, b.batch),
    nodeFlops: f.number("nodeFlops", input.dilocoNodeFlops, b.nodeFlops),
    bandwidthGbps: f.number("bandwidth", input.dilocoBandwidth, b.bandwidth),
    latencyS: f.number("latency", input.dilocoLatency, b.latency),
    withinBandwidthGbps: f.number("withinBandwidth", input.dilocoWithinBandwidth, b.bandwidth),
    withinLatencyS: f.number("withinLatency", input.dilocoWithinLatency, b.latency),
    outerBits: f.number("outerBits", input.dilocoOuterBits, b.outerBits),
    fragments: f.number("fragments", input.dilocoFragments, b.fragments),
  };
  f.done();
  return { ...(values as { [K in keyof typeof values]: number }), overlap: input.dilocoOverlap };
}

export function dilocoTask(input: DilocoInput, _progress: ProgressFn): DilocoTaskResult {
  const inputs = readInputs(input);
  const report = dilocoReport(inputs);
  const caveats: string[] = [];
  if (!FITTED_REPLICAS.includes(inputs.replicas)) caveats.push(`M = ${inputs.replicas} has no fit of its own: the loss is the joint L(N, M) law of their Table 10${inputs.replicas > 8 ? ", extrapolated past the fitted M ≤ 8" : ""}.`);
  if (inputs.syncEvery !== LAW_SYNC_EVERY) caveats.push(`The loss figures hold at H = ${LAW_SYNC_EVERY}: the paper measures the cost of other H (their Fig. 9: it grows with H, less for larger models) but fits no law in H.`);
  return { ...report, chart: utilizationChart(inputs, report.crossover.bandwidthGbps), caveats };
}
