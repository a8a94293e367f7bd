// Training across sites (run-config `hardware.sites`, `hardware.interSite`, `training.diloco`; docs/diloco.md).
//
// The GPUs and the global batch are split evenly over S sites. Each site runs one replica of the model with its
// own data parallelism (the step model, unchanged: its data-parallel traffic stays inside the site). What the
// sites add is one cross-site synchronisation, with the communication model of src/core/diloco (Charles et al.
// 2025, arXiv 2503.09799, App. A.2: an all-reduce of X bytes over R nodes at W bytes/s per node takes
// 2·X·(1 − 1/R)/W + ε):
//   - synchronous data parallelism: the gradients are all-reduced across sites every step (App. A.2, case 1);
//   - DiLoCo: the outer gradients (at `outerBits`) every H inner steps, amortised per inner step, the excess over
//     H steps of compute when overlapped (App. A.2, case 2; Douillard et al. 2025 for streaming and overlap).
// Each GPU synchronises the parameters it holds (its tp·pp(·ep) shard) with every GPU that holds the same shard in
// all sites (R = S·dp·cp/ep), over its own share of the inter-site link (the paper's W per node). This is App.
// A.2's flat bound, as in `scaleplan diloco`: a hierarchical all-reduce (reduce-scatter inside the site first)
// could cut the cross-site bytes per GPU by up to the site's dp·cp.
import { amortisedOuterSeconds, dataParallelSyncSeconds, outerFragmentBytes, outerSyncSeconds, type Link } from "../diloco/communication.ts";
import { InputError } from "../errors.ts";
import { DEFAULT_INTER_SITE } from "./run-config-fields.ts";
import type { ModelCounts } from "./model-flops.ts";
import type { Layout, RunConfig } from "./run-config.ts";
import type { StepPrediction } from "./step.ts";
import { expertDataParallel, expertTensorParallel } from "./moe-folding.ts";

/** Bytes per synchronised gradient value: BF16, as the step model's data-parallel all-reduce (and the paper's b = 2). */
const GRADIENT_BYTES = 2;
const GBIT = 1e9 / 8; // bytes/s per Gbit/s

/** A run's sites with every default filled in; one site = no cross-site term. */
export interface SitesSetup {
  readonly count: number;
  readonly gbitPerGpu: number;
  readonly latencyMs: number;
  readonly diloco: { readonly syncEvery: number; readonly outerBits: number; readonly fragments: number; readonly overlap: boolean } | null;
}

export function sitesSetup(config: RunConfig): SitesSetup {
  const link = config.hardware.interSite;
  const d = config.training.diloco;
  return {
    count: config.hardware.sites ?? 1,
    gbitPerGpu: link?.gbitPerGpu ?? DEFAULT_INTER_SITE.gbitPerGpu,
    latencyMs: link?.latencyMs ?? DEFAULT_INTER_SITE.latencyMs,
    diloco: d ? { syncEvery: d.syncEvery, outerBits: d.outerBits ?? 16, fragments: d.fragments ?? 1, overlap: d.overlap ?? false } : null,
  };
}

/**
 * One site's replica as a one-site run: count/S GPUs, globalBatch/S sequences per (inner) step, no site fields.
 * `gpus` overrides hardware.count (search --gpus). The identity (without the site fields) for one site.
 */
export function siteReplicaConfig(config: RunConfig, gpus = config.hardware.count): RunConfig {
  const { sites, interSite: _link, ...hardware } = config.hardware;
  const { diloco: _diloco, ...training } = config.training;
  void _link;
  void _diloco;
  const s = sites ?? 1;
  if (gpus % s !== 0) throw new InputError("hardware.sites", s, `a divisor of hardware.count (${gpus}): every site holds the same number of GPUs`);
  if (training.globalBatch % s !== 0) {
    throw new InputError("training.globalBatch", training.globalBatch, `a multiple of hardware.sites (${s}): every site's replica takes the same share of the batch`);
  }
  return { ...config, hardware: { ...hardware, count: gpus / s }, training: { ...training, globalBatch: training.globalBatch / s } };
}

/** What one GPU synchronises across sites: the parameters it holds and how many GPUs (all sites) hold the same. */
export interface CrossSiteShard {
  readonly params: number;
  readonly ranks: number;
}

/**
 * The parameters a GPU of one site's replica holds (non-expert ones split over tp·pp, routed experts over
 * tp·ep·pp, as the step model shards them) and the GPUs holding the same shard in all S sites (the smaller,
 * expert group when there is one: (1 − 1/R) differs by less than 1/R).
 */
export function crossSiteShard(counts: ModelCounts, l: Layout, sites: number): CrossSiteShard {
  const expert = counts.moeLayers * counts.routedExpertParams;
  return {
    // Experts are sharded over expertTp × ep and replicated over the expert-data-parallel group (moe-folding.ts).
    params: (counts.totalParams - expert) / (l.tp * l.pp) + expert / (expertTensorParallel(l) * l.ep * l.pp),
    ranks: expert > 0 ? sites * expertDataParallel(l) : sites * l.dp * l.cp,
  };
}

export interface CrossSiteTime {
  /** One synchronisation across sites, seconds (the gradient all-reduce, or DiLoCo's outer all-reduce). */
  readonly syncSeconds: number;
  /** Inner steps per synchronisation: 1 for synchronous data parallelism, H for DiLoCo. */
  readonly everySteps: number;
  /** Its exposed share of one step, seconds: added to the replica's step time. */
  readonly exposedPerStepSeconds: number;
}

/** The cross-site term of one step; `replicaStepS` is the site replica's step (what DiLoCo's overlap hides behind). */
export function crossSiteTime(s: SitesSetup, shard: CrossSiteShard, replicaStepS: number): CrossSiteTime {
  if (s.count <= 1) return { syncSeconds: 0, everySteps: 1, exposedPerStepSeconds: 0 };
  const setup = { params: shard.params, bytesPerParam: GRADIENT_BYTES, nodes: shard.ranks, across: interSiteLink(s) };
  if (s.diloco === null) {
    const t = dataParallelSyncSeconds(setup);
    return { syncSeconds: t, everySteps: 1, exposedPerStepSeconds: t };
  }
  const d = { ...setup, syncEvery: s.diloco.syncEvery, outerBits: s.diloco.outerBits, overlap: s.diloco.overlap };
  return { syncSeconds: outerSyncSeconds(d), everySteps: s.diloco.syncEvery, exposedPerStepSeconds: amortisedOuterSeconds(d, replicaStepS) };
}

export function interSiteLink(s: SitesSetup): Link {
  return { bandwidthBps: s.gbitPerGpu * GBIT, latencyS: s.latencyMs / 1e3 };
}

/** What `step --json` reports about the sites (present only for S ≥ 2). */
export interface CrossSiteReport {
  readonly count: number;
  readonly method: "diloco" | "synchronous-data-parallel";
  readonly interSite: { readonly gbitPerGpu: number; readonly latencyMs: number; readonly siteToSiteGbit: number };
  readonly diloco: (NonNullable<SitesSetup["diloco"]> & { readonly replicas: number }) | null;
  /** One site's replica: its GPUs, sequences per inner step and step time without the cross-site term. */
  readonly siteReplica: { readonly gpus: number; readonly globalBatch: number; readonly stepTimeSeconds: number };
  readonly crossSite: CrossSiteTime & {
    readonly paramsPerGpu: number;
    readonly ranks: number;
    /** Bytes one GPU sends per exchange (outer gradient ÷ fragments for DiLoCo): the streaming peak. */
    readonly bytesPerGpuPerExchange: number;
  };
  readonly model: string;
}

export const CROSS_SITE_MODEL =
  "Charles et al. 2025 App. A.2: all-reduce 2·X·(1 − 1/R)/W + ε per GPU over the inter-site link (W per GPU), X = the GPU's parameter shard × 2 bytes (× outerBits/16 for DiLoCo)";

/**
 * The whole run's prediction from its site replica's: the cross-site term added to the step, throughput and
 * utilisations scaled by replica step / step (same tokens and FLOPs per GPU), memory unchanged (DiLoCo's outer
 * state — the last synchronised weights and the outer momentum — is not counted: implementations can keep it off
 * the GPU).
 */
export function withCrossSite(p: StepPrediction, s: SitesSetup, shard: CrossSiteShard, replica: { gpus: number; globalBatch: number }): StepPrediction {
  if (s.count <= 1) return p;
  const cross = crossSiteTime(s, shard, p.stepTimeSeconds);
  const step = p.stepTimeSeconds + cross.exposedPerStepSeconds;
  const scale = p.stepTimeSeconds / step;
  const exchangeBytes = s.diloco === null ? shard.params * GRADIENT_BYTES : outerFragmentBytes({ params: shard.params, bytesPerParam: GRADIENT_BYTES, outerBits: s.diloco.outerBits, fragments: s.diloco.fragments });
  const sites: CrossSiteReport = {
    count: s.count,
    method: s.diloco === null ? "synchronous-data-parallel" : "diloco",
    interSite: { gbitPerGpu: s.gbitPerGpu, latencyMs: s.latencyMs, siteToSiteGbit: s.gbitPerGpu * replica.gpus },
    diloco: s.diloco === null ? null : { ...s.diloco, replicas: s.count },
    siteReplica: { ...replica, stepTimeSeconds: p.stepTimeSeconds },
    crossSite: { ...cross, paramsPerGpu: shard.params, ranks: shard.ranks, bytesPerGpuPerExchange: exchangeBytes },
    model: CROSS_SITE_MODEL,
  };
  return {
    ...p,
    stepTimeSeconds: step,
    tokensPerSecondPerGpu: p.tokensPerSecondPerGpu * scale,
    mfu: p.mfu * scale,
    mfuAtPrecisionPeak: p.mfuAtPrecisionPeak * scale,
    breakdown: { ...p.breakdown, hardwareFlopsUtilization: p.breakdown.hardwareFlopsUtilization * scale },
    sites,
  };
}
