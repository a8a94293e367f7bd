// `scaleplan search`: every valid layout that fits, ranked by predicted step time.
//
// Enumerated (`forEachLayout`): tp (divides heads and the GPU count), pp (divides the GPUs left, at most the
// layers: uneven pipelines are split as evenly as possible), vp (divides ⌊layers/pp⌋ or ⌈layers/pp⌉; only with
// the interleaved schedule), cp (sequence splits into 2·cp chunks), expertTp (MoE only: tp, and 1 when tp > 1:
// MoE parallel folding, moe-folding.ts), ep (MoE only: divides experts and (tp/expertTp)·dp·cp), zero 0-3, recompute none/selective/full, micro-batch (divides the per-replica
// batch), schedule (1f1b, zero-bubble, gpipe, dualpipe; interleaved when vp > 1). Sequence parallelism is on
// whenever tp > 1 (in this model it moves the same bytes as plain TP and only saves memory and time), unless the
// config fixes it. Any field given in `parallelism` is held fixed.

import { GPU_COUNT, requireWithinBound, SEARCH_TOP } from "../config/bounds.ts";
import { ComputationError } from "../errors.ts";
import {
  brokenLayoutRule,
  resolveRun,
  PIPELINE_SCHEDULES,
  RECOMPUTE_MODES,
  type Layout,
  type LayoutOutput,
  type ParallelismInput,
  type PipelineSchedule,
  type RecomputeMode,
  type ResolvedRun,
  type RunConfig,
} from "./run-config.ts";
import { crossSiteShard, crossSiteTime, siteReplicaConfig, sitesSetup } from "./diloco-step.ts";
import { emptyEvaluation, evaluateLayout, stepContext, type LayoutEvaluation, type StepContext } from "./step-model.ts";

const GIB = 1024 ** 3;

export interface SearchOptions {
  /** Overrides hardware.count. */
  readonly gpus?: number | undefined;
  /** How many layouts to return (best first). */
  readonly top?: number | undefined;
  /** Called after each tensor-parallel degree with the degrees done and the total. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface RankedLayout {
  readonly layout: Layout;
  readonly stepTimeSeconds: number;
  readonly tokensPerSecondPerGpu: number;
  readonly mfu: number;
  readonly memoryPerGpuGiB: number;
}

export interface SearchResult {
  readonly gpus: number;
  readonly evaluated: number;
  readonly fitting: number;
  readonly best: readonly RankedLayout[];
  /** The smallest per-GPU memory of any valid layout (whether or not it fits), with that layout. */
  readonly smallestMemoryGiB: number;
  readonly smallestMemoryLayout: Layout | null;
  readonly usableMemoryGiB: number;
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d === 0) {
      out.push(d);
      if (d * d !== n) out.push(n / d);
    }
  }
  return out.sort((a, b) => a - b);
}

const pick = <T>(value: T | undefined, all: readonly T[]): readonly T[] => (value === undefined ? all : [value]);

/** One pipeline shape: stages, interleaving and the schedule that goes with it. */
interface PipelineShape {
  readonly pp: number;
  readonly vp: number;
  readonly pipelineSchedule: PipelineSchedule;
}

/**
 * Pipelines for a given tp: pp divides the GPUs left (it need not divide the layers: uneven pipelines split the
 * layers as evenly as possible), vp among the divisors of ⌊layers/pp⌋ and ⌈layers/pp⌉ (interleaved only),
 * schedules 1f1b, zero-bubble, gpipe, dualpipe (even pp) without interleaving.
 */
function pipelineShapes(run: ResolvedRun, fixed: ParallelismInput, tp: number): PipelineShape[] {
  const layers = run.model.layers;
  const out: PipelineShape[] = [];
  for (const pp of pick(fixed.pp, divisors(run.gpuCount / tp).filter((p) => p <= layers))) {
    if (run.gpuCount % (tp * pp) !== 0) continue;
    const vps = pp === 1 ? [1] : pick(fixed.vp, [...new Set([...divisors(Math.floor(layers / pp)), ...divisors(Math.ceil(layers / pp))])].sort((a, b) => a - b));
    for (const vp of vps) {
      let schedules: readonly PipelineSchedule[];
      if (fixed.pipelineSchedule !== undefined) schedules = [fixed.pipelineSchedule];
      else if (pp === 1) schedules = ["1f1b"];
      else if (vp > 1) schedules = ["interleaved-1f1b"];
      else schedules = PIPELINE_SCHEDULES.filter((s) => s !== "interleaved-1f1b" && (s !== "dualpipe" || pp % 2 === 0));
      for (const pipelineSchedule of schedules) out.push({ pp, vp, pipelineSchedule });
    }
  }
  return out;
}

/**
 * How the remaining GPUs and the batch are split: context parallel, data parallel, expert tensor and expert
 * parallel, micro-batch.
 */
interface DataShape {
  readonly cp: number;
  readonly dp: number;
  readonly expertTp: number;
  readonly ep: number;
  readonly microBatch: number;
}

/** Expert tensor-parallel sizes explored: tp (unfolded) and, for MoE models with tp > 1, 1 (folded). */
function expertTps(run: ResolvedRun, fixed: ParallelismInput, tp: number): readonly number[] {
  if (fixed.expertTp !== undefined) return [fixed.expertTp];
  return run.model.moe === null || tp === 1 ? [tp] : [tp, 1];
}

function dataShapes(run: ResolvedRun, fixed: ParallelismInput, gpusPerReplica: number, tp: number): DataShape[] {
  const m = run.model;
  const out: DataShape[] = [];
  const etps = expertTps(run, fixed, tp);
  for (const cp of pick(fixed.cp, divisors(gpusPerReplica).filter((c) => c === 1 || m.seqLen % (2 * c) === 0))) {
    const dp = gpusPerReplica / cp;
    if (!Number.isInteger(dp) || run.globalBatch % dp !== 0) continue;
    for (const expertTp of etps) {
      if (tp % expertTp !== 0) continue;
      // The expert layers fold the stage's tp·dp·cp ranks as expertTp × ep × expert-dp.
      const eps = m.moe === null ? [1] : pick(fixed.ep, divisors((tp / expertTp) * dp * cp).filter((e) => m.moe !== null && m.moe.experts % e === 0));
      for (const ep of eps) for (const microBatch of pick(fixed.microBatch, divisors(run.globalBatch / dp))) out.push({ cp, dp, expertTp, ep, microBatch });
    }
  }
  return out;
}

/** Memory trade-offs: ZeRO stage, recompute, sequence parallelism (on whenever tp > 1 unless fixed). */
interface MemoryShape {
  readonly zero: 0 | 1 | 2 | 3;
  readonly recompute: RecomputeMode;
  readonly sequenceParallel: boolean;
}

function memoryShapes(fixed: ParallelismInput, tp: number): MemoryShape[] {
  const out: MemoryShape[] = [];
  const sequenceParallel = fixed.sequenceParallel ?? tp > 1;
  for (const zero of pick(fixed.zero, [0, 1, 2, 3] as const)) for (const recompute of pick<RecomputeMode>(fixed.recompute, RECOMPUTE_MODES)) out.push({ zero, recompute, sequenceParallel });
  return out;
}

/**
 * Every layout the search considers for one tensor-parallel degree, as the product of three independent
 * choices (pipeline shape × data shape × memory shape); fields given in `parallelism` stay fixed. Layouts that
 * break a rule of run-config.md are skipped by the caller (`brokenLayoutRule`).
 */
export function forEachLayout(run: ResolvedRun, fixed: ParallelismInput, tp: number, visit: (l: Layout) => void): void {
  const memory = memoryShapes(fixed, tp);
  const first = fixed.firstStageLayers ?? null;
  const last = fixed.lastStageLayers ?? null;
  const offload = fixed.activationOffloadLayers ?? 0;
  for (const p of pipelineShapes(run, fixed, tp)) {
    for (const d of dataShapes(run, fixed, run.gpuCount / (tp * p.pp), tp)) {
      for (const x of memory) {
        visit({
          tp,
          pp: p.pp,
          vp: p.vp,
          cp: d.cp,
          ep: d.ep,
          expertTp: d.expertTp,
          dp: d.dp,
          sequenceParallel: x.sequenceParallel,
          zero: x.zero,
          recompute: x.recompute,
          pipelineSchedule: p.pipelineSchedule,
          microBatch: d.microBatch,
          firstStageLayers: first,
          lastStageLayers: last,
          activationOffloadLayers: offload,
        });
      }
    }
  }
}

/** Keeps the `top` fastest layouts that fit, and the layout that needs the least memory. */
class Ranking {
  readonly best: RankedLayout[] = [];
  evaluated = 0;
  fitting = 0;
  smallest = Infinity;
  smallestLayout: Layout | null = null;
  private worstBest = Infinity;
  private readonly top: number;
  private readonly usableBytes: number;
  private readonly tokensPerStep: number;
  private readonly modelFlops: number;
  private readonly gpus: number;
  private readonly peakFlopsBf16: number;

  constructor(top: number, usableBytes: number, tokensPerStep: number, modelFlops: number, gpus: number, peakFlopsBf16: number) {
    this.top = top;
    this.usableBytes = usableBytes;
    this.tokensPerStep = tokensPerStep;
    this.modelFlops = modelFlops;
    this.gpus = gpus;
    this.peakFlopsBf16 = peakFlopsBf16;
  }

  add(layout: Layout, e: LayoutEvaluation): void {
    this.evaluated++;
    const mem = e.memory.total;
    if (mem < this.smallest) {
      this.smallest = mem;
      this.smallestLayout = layout;
    }
    if (mem > this.usableBytes) return;
    this.fitting++;
    const t = e.time.stepTime;
    if (this.best.length >= this.top && t >= this.worstBest) return;
    const ranked: RankedLayout = {
      layout,
      stepTimeSeconds: t,
      tokensPerSecondPerGpu: this.tokensPerStep / (t * this.gpus),
      mfu: this.modelFlops / (t * this.gpus * this.peakFlopsBf16),
      memoryPerGpuGiB: mem / GIB,
    };
    const best = this.best;
    let i = best.length;
    while (i > 0 && best[i - 1]!.stepTimeSeconds > t) i--;
    best.splice(i, 0, ranked);
    if (best.length > this.top) best.pop();
    this.worstBest = best.length >= this.top ? best[best.length - 1]!.stepTimeSeconds : Infinity;
  }
}

export function searchLayouts(config: RunConfig, options: SearchOptions = {}): SearchResult {
  // Across sites: one site's replica is searched, each layout's step plus its cross-site term (diloco-step.ts).
  const sites = sitesSetup(config);
  const site = siteReplicaConfig(config, requireWithinBound("gpus", options.gpus ?? config.hardware.count, GPU_COUNT));
  const gpus = site.hardware.count;
  const run = resolveRun(site);
  const ctx: StepContext = stepContext(run);
  const fixed = config.parallelism ?? {};
  const m = run.model;
  const usableBytes = ctx.hbmBytes * (1 - ctx.k.hbmReserveFraction);
  const tokensPerStep = run.globalBatch * m.seqLen;
  const ranking = new Ranking(requireWithinBound("top", options.top ?? 10, SEARCH_TOP), usableBytes, tokensPerStep, ctx.counts.modelFlopsPerToken * tokensPerStep, gpus, ctx.peakFlopsBf16);
  const out = emptyEvaluation();
  const visit = (layout: Layout): void => {
    if (brokenLayoutRule(run, layout) !== null) return;
    const e = evaluateLayout(ctx, layout, out);
    if (sites.count > 1) e.time.stepTime += crossSiteTime(sites, crossSiteShard(ctx.counts, layout, sites.count), e.time.stepTime).exposedPerStepSeconds;
    ranking.add(layout, e);
  };
  const tps = pick(fixed.tp, divisors(gpus).filter((t) => m.heads % t === 0));
  tps.forEach((tp, i) => {
    if (gpus % tp === 0) forEachLayout(run, fixed, tp, visit);
    options.onProgress?.(i + 1, tps.length);
  });
  return {
    gpus: gpus * sites.count,
    evaluated: ranking.evaluated,
    fitting: ranking.fitting,
    best: ranking.best,
    smallestMemoryGiB: ranking.smallest / GIB,
    smallestMemoryLayout: ranking.smallestLayout,
    usableMemoryGiB: usableBytes / GIB,
  };
}

/**
 * Layout in the words people use: "tp8 pp8 vp3 cp1 ep1 dp16 sp zero1 selective mb1 interleaved-1f1b", with
 * "first N" / "last N" for pinned end stages and "offload N" for offloaded layers.
 */
export function describeLayout(l: Layout | LayoutOutput): string {
  const pins = `${l.firstStageLayers == null ? "" : ` first${l.firstStageLayers}`}${l.lastStageLayers == null ? "" : ` last${l.lastStageLayers}`}`;
  const offload = l.activationOffloadLayers > 0 ? ` offload${l.activationOffloadLayers}` : "";
  // "etpN" only for a folded layout (expertTp ≠ tp), so unfolded layouts read as before.
  const etp = l.expertTp === undefined || l.expertTp === l.tp ? "" : ` etp${l.expertTp}`;
  return `tp${l.tp} pp${l.pp} vp${l.vp} cp${l.cp} ep${l.ep}${etp} dp${l.dp}${l.sequenceParallel ? " sp" : ""} zero${l.zero} ${l.recompute} mb${l.microBatch} ${l.pipelineSchedule}${pins}${offload}`;
}

/** Throws the "nothing fits" ComputationError (exit 1) with the smallest memory any valid layout needs. */
export function requireSomethingFits(result: SearchResult): void {
  if (result.best.length > 0) return;
  if (result.smallestMemoryLayout === null) {
    throw new ComputationError(`no valid layout for ${result.gpus} GPUs (check that the GPU count, batch, heads and layers share divisors)`);
  }
  throw new ComputationError(
    `no layout fits in ${result.usableMemoryGiB.toFixed(1)} GiB usable per GPU; the smallest needs ${result.smallestMemoryGiB.toFixed(1)} GiB per GPU (${describeLayout(result.smallestMemoryLayout)})`,
  );
}
