// One candidate model on one cluster: its fastest layout that fits (the run layout search and step model, never an
// assumed utilization), the tokens it trains in the time, and its predicted loss.

import { searchLayouts, type RankedLayout } from "../run/layout-search.ts";
import { modelCounts } from "../run/model-flops.ts";
import { generatedRunConfig, resolveRun, type GeneratedRunConfigInput, type RunConfig, type RunConfigInput } from "../run/run-config.ts";
import type { TemplateModel } from "./dense-template.ts";
import { sitesRunFields, type ClusterSites } from "./sites.ts";

export interface Cluster {
  readonly gpu: string;
  readonly gpus: number;
  readonly gpusPerNode?: number | undefined;
  readonly precision: "bf16" | "fp16" | "fp8";
  readonly software?: unknown;
  /** Spread over sites (sites.ts): the run configuration gets hardware.sites/interSite and training.diloco. */
  readonly sites?: ClusterSites | undefined;
  /**
   * How the candidates' run configurations are checked: makePlan validates them with the schema
   * (validateRunConfig: its input may carry a software block or sites from a file); absent, generatedRunConfig
   * fills their defaults without loading the schema (a plain cluster: the Plan view's first estimate).
   */
  readonly validateRun?: ((input: unknown) => RunConfig) | undefined;
}

/** Parameter counts and FLOPs of a template model (independent of the cluster). */
export interface CandidateShape {
  readonly template: TemplateModel;
  readonly totalParams: number;
  /** Parameters a token passes through (= total for dense models). */
  readonly activeParams: number;
  readonly modelFlopsPerToken: number;
  /** The template's run configuration on `cluster`, validated once (batch 1, no parallelism held). */
  readonly runConfig: RunConfig;
  readonly cluster: Cluster;
}

export function runConfigFor(model: RunConfigInput["model"], cluster: Cluster, globalBatch: number, parallelism?: RunConfigInput["parallelism"]): RunConfig {
  const sites = sitesRunFields(cluster.sites);
  const input = {
    model,
    hardware: { gpu: cluster.gpu, count: cluster.gpus, ...(cluster.gpusPerNode !== undefined ? { gpusPerNode: cluster.gpusPerNode } : {}), ...sites.hardware },
    ...(parallelism ? { parallelism } : {}),
    training: { globalBatch, precision: cluster.precision, ...sites.training },
    ...(cluster.software !== undefined ? { software: cluster.software } : {}),
  };
  return cluster.validateRun ? cluster.validateRun(input) : generatedRunConfig(input as GeneratedRunConfigInput);
}

export function candidateShape(template: TemplateModel, cluster: Cluster): CandidateShape {
  const runConfig = runConfigFor(template.model, cluster, 1);
  const run = resolveRun(runConfig);
  const c = modelCounts(run.model);
  // Active parameters: total less the routed experts a token skips.
  const skipped = run.model.moe ? c.moeLayers * (c.routedExpertParams - run.model.moe.topK * (c.routedExpertParams / run.model.moe.experts)) : 0;
  return { template, totalParams: c.totalParams, activeParams: c.totalParams - skipped, modelFlopsPerToken: c.modelFlopsPerToken, runConfig, cluster };
}

export interface FastestLayout {
  readonly best: RankedLayout | null;
  readonly evaluated: number;
  /** Only when nothing fits (Infinity otherwise: SearchOptions.smallestMemory). */
  readonly smallestMemoryGiB: number;
  readonly usableMemoryGiB: number;
}

/** Micro-batches searched: screening ranks every candidate at 1, the finalists also at 2 and 4. */
export const SCREEN_MICRO_BATCHES = [1] as const;
export const FINAL_MICRO_BATCHES = [1, 2, 4] as const;

/**
 * The fastest layout that fits, over every tp, pp, vp, cp, zero stage, recompute mode and pipeline schedule the run
 * layout search enumerates, at the given micro-batch sizes. Larger micro-batches only add activation memory and
 * pipeline bubble at the batch sizes planned here (on 4096 H100s the full search's winner had micro-batch 1 for
 * 35B–2T models) while costing up to 30× the search time, so they are left out.
 */
export function fastestLayout(shape: CandidateShape, cluster: Cluster, globalBatch: number, microBatches: readonly number[]): FastestLayout {
  // Combined from one search per micro-batch, each cached: the finalists' search at 1, 2 and 4 reuses the
  // screening's micro-batch-1 search at the same batch (a third of the finalists' work).
  let best: RankedLayout | null = null;
  let evaluated = 0;
  let smallestMemoryGiB = Infinity;
  let usableMemoryGiB = 0;
  for (const microBatch of microBatches) {
    if (globalBatch % microBatch !== 0) continue;
    const r = fastestAtMicroBatch(shape, cluster, globalBatch, microBatch);
    evaluated += r.evaluated;
    smallestMemoryGiB = Math.min(smallestMemoryGiB, r.smallestMemoryGiB);
    usableMemoryGiB = r.usableMemoryGiB;
    if (r.best && (best === null || r.best.stepTimeSeconds < best.stepTimeSeconds)) best = r.best;
  }
  return { best, evaluated, smallestMemoryGiB, usableMemoryGiB };
}

const layoutCache = new Map<string, FastestLayout>();
/** Bounded: a frontier of 6 sizes with re-plans uses a few hundred entries of a few hundred bytes each. */
const LAYOUT_CACHE_LIMIT = 4096;

function fastestAtMicroBatch(shape: CandidateShape, cluster: Cluster, globalBatch: number, microBatch: number): FastestLayout {
  // The result depends only on these inputs (not on the deadline), so a re-plan with another deadline or law reuses it.
  const key = JSON.stringify([shape.template.name, shape.template.model.seqLen, cluster.gpu, cluster.gpus, cluster.gpusPerNode ?? null, cluster.precision, cluster.software ?? null, cluster.sites ?? null, globalBatch, microBatch]);
  const hit = layoutCache.get(key);
  if (hit) return hit;
  const r = searchLayouts(searchConfig(shape, cluster, globalBatch, microBatch), { top: 1, smallestMemory: "when-nothing-fits" });
  const result: FastestLayout = { best: r.best[0] ?? null, evaluated: r.evaluated, smallestMemoryGiB: r.smallestMemoryGiB, usableMemoryGiB: r.usableMemoryGiB };
  if (layoutCache.size >= LAYOUT_CACHE_LIMIT) layoutCache.delete(layoutCache.keys().next().value!);
  layoutCache.set(key, result);
  return result;
}

/**
 * The run configuration of one search: the shape's validated configuration with this batch and micro-batch. The
 * schema has no rule that ties them to other fields (both are whole numbers ≥ 1), so setting them on a validated
 * configuration gives what validating it again would; anything else is validated in full.
 */
function searchConfig(shape: CandidateShape, cluster: Cluster, globalBatch: number, microBatch: number): RunConfig {
  const whole = (x: number) => Number.isSafeInteger(x) && x >= 1;
  if (shape.cluster !== cluster || !whole(globalBatch) || !whole(microBatch)) return runConfigFor(shape.template.model, cluster, globalBatch, { microBatch });
  return { ...shape.runConfig, parallelism: { microBatch }, training: { ...shape.runConfig.training, globalBatch } };
}
