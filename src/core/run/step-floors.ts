// Floors for the layout search's exact pruning (layout-search.ts). The search groups the layouts that differ
// only in ZeRO stage and recompute mode; these bound every member of such a group from below, term by term, so
// that a group that cannot change the result is skipped without changing it. test/run/search-pruning.test.ts
// compares the pruned search with the exhaustive one over every calibration and held-out run and the plan's
// candidates.

import { expertTensorParallel } from "./moe-folding.ts";
import type { Layout } from "./run-config.ts";
import { maxOf } from "../util/extent.ts";
import { FIRST, LAST, activationFootprint, activeFfnWidth, dataParallel, embeddingSync, layerParams, optimizerStep, peakMemory, pipeline, placeGroups, stageMemory, stageTerms, stageTime, zero3Gathers, type MemoryParts, type Mutable, type StepContext, type Work } from "./step-model.ts";

function copyLayout(from: Layout, to: Mutable<Layout>): void {
  to.tp = from.tp;
  to.pp = from.pp;
  to.vp = from.vp;
  to.cp = from.cp;
  to.ep = from.ep;
  to.expertTp = expertTensorParallel(from);
  to.dp = from.dp;
  to.sequenceParallel = from.sequenceParallel;
  to.zero = from.zero;
  to.recompute = from.recompute;
  to.pipelineSchedule = from.pipelineSchedule;
  to.microBatch = from.microBatch;
  to.firstStageLayers = from.firstStageLayers;
  to.lastStageLayers = from.lastStageLayers;
  to.activationOffloadLayers = from.activationOffloadLayers;
}

/** Recompute modes from the least work to the most: every time term is non-decreasing along this order. */
const RECOMPUTE_BY_WORK: readonly Layout["recompute"][] = ["none", "selective", "full"];

/**
 * The ZeRO stages and recompute modes a group of layouts spans (the search varies them innermost), with the
 * members whose memory is never above the others' (memoryFloor).
 */
export interface MemoryChoices {
  readonly zeros: readonly Layout["zero"][];
  /** The group's recompute modes, from the least work to the most. */
  readonly recomputes: readonly Layout["recompute"][];
  readonly dominantZeros: readonly Layout["zero"][];
  readonly dominantRecomputes: readonly Layout["recompute"][];
}

/**
 * Why these members dominate in memory: a stage's memory is states (ZeRO stage only) + activations and MoE
 * buffers (recompute mode only) + logits (stageMemory), and
 *   - ZeRO 0 ≥ 1 ≥ 2 on every stage (each shards one more state over dp·cp and changes nothing else); stage 3
 *     is not ordered with them (4-byte gradients, FSDP's gathered copies under PP, the gather buffers);
 *   - no recompute ≥ selective on every stage (selective keeps a subset of the tensors, the same MoE buffers);
 *     full is not ordered with them (the layer being rebuilt);
 * so a dominated member's memory, on any stage and so at the peak, is at least its dominating member's: the least
 * is among {the highest of stages 0-2, 3} × {selective (none without it), full}.
 */
export function memoryChoices(zeros: readonly Layout["zero"][], recomputes: readonly Layout["recompute"][]): MemoryChoices {
  const highestBelowThree = ([2, 1, 0] as const).find((z) => zeros.includes(z));
  return {
    zeros,
    recomputes: RECOMPUTE_BY_WORK.filter((r) => recomputes.includes(r)),
    dominantZeros: [...(highestBelowThree === undefined ? [] : [highestBelowThree]), ...zeros.filter((z) => z === 3)],
    dominantRecomputes: recomputes.includes("selective") ? recomputes.filter((r) => r !== "none") : recomputes,
  };
}

/** Floors of a group of layouts (groupFloors, depthFloors): seconds per step and bytes per GPU. */
export interface GroupFloors {
  time: number;
  memory: number;
  /**
   * groupFloors only: each member's own time floor, Infinity when it cannot fit, in the search's member order
   * (ZeRO stages outer, recompute modes inner, as `choices` lists them).
   */
  readonly members: Float64Array;
  /** depthFloors only: the time floor of each of the depth's pipeline shapes (DepthLayers.shapes), in order. */
  shapes: Float64Array;
}

export function emptyFloors(): GroupFloors {
  return { time: 0, memory: 0, members: new Float64Array(12), shapes: new Float64Array(0) };
}

/**
 * Floors of every layout that is `l` with its ZeRO stage and recompute mode among `choices`:
 *
 * `memory` ≤ the memory per GPU of every member: the least first-stage memory over the dominant members
 * (memoryChoices: dominance holds stage by stage; the peak over the stages is at least the first stage's). A
 * member whose first stage alone exceeds the usable memory cannot fit.
 *
 * `time` ≤ the step time of every member that can fit (Infinity when none can). For a member with recompute mode
 * r and ZeRO stage z, evaluateLayout's step time is pipeline + embedding sync + exposed DP sync + optimizer, and
 *   - the pipeline time is non-decreasing in every stage time (m·tMax + tOthers and its interleaved
 *     (tOthers/vp), zero-bubble (tOthers − (p−1)W ≥ 0) and DualPipe forms, m ≥ 1 micro-batches), and a stage
 *     time is a sum of non-negative terms to which activation offload adds: so the pipeline evaluated at r
 *     without offload is at most the member's, with the ZeRO-3 gathers for z = 3 (exact when nothing is
 *     offloaded, as the search's layouts unless the config fixes it) and without them below;
 *   - the embedding-gradient sync depends on neither choice;
 *   - the exposed DP sync and the optimizer step depend on z only (the DP sync is the same for stages 0-2 and
 *     none for 3; the optimizer steps over sharded states from stage 1).
 * Every stage-time term is also non-decreasing along none → selective → full recompute (the recompute pass,
 * full recompute's third TP/CP/EP collectives and gather pass; the exposed gathers hidden(c, W, ·, κ) shrink by
 * at most (1 − κ) of the recompute that widens their window W), so the modes are bounded in that order and the
 * later ones are skipped once the earlier pipelines cannot beat the floor found; a skipped mode's members get the
 * last computed mode's pipelines.
 */
export function groupFloors(ctx: StepContext, l: Layout, choices: MemoryChoices, out: GroupFloors): void {
  const w = ctx.work;
  const b = w.floorLayout;
  copyLayout(l, b);
  memoryShape(ctx, b, w);
  const ends = l.pp === 1 ? FIRST | LAST : FIRST;
  const mayFit = w.floorMayFit;
  // Only the dominant ZeRO stages (memoryChoices) are checked: a stage 0-2 that may fit implies the highest one
  // may fit, and that one's DP sync + optimizer is the least of them.
  out.memory = dominantMemory(ctx, b, choices, null, ends);
  b.activationOffloadLayers = 0;
  const gathers = stageGathers(ctx, b, choices);
  b.zero = 0;
  let time = Infinity;
  let belowThree = NaN;
  // Each mode's pipeline (with the embedding sync), without and with the ZeRO-3 gathers; a mode after the loop
  // stops is at least the last computed.
  const pipes = w.floorPipes;
  const pipesZero3 = w.floorPipesZero3;
  pipes.fill(Infinity);
  pipesZero3.fill(Infinity);
  for (let i = 0; i < choices.recomputes.length; i++) {
    if (!anyMayFit(choices, mayFit, i)) continue;
    b.recompute = choices.recomputes[i]!;
    stageTerms(ctx, b, w);
    const stages = pipeline(ctx, b, w, w.floorEvaluation);
    if (Number.isNaN(belowThree)) {
      // The DP sync and the embedding sync depend on neither choice: computed once.
      dataParallel(ctx, b, w);
      belowThree = Infinity;
      for (const zero of choices.zeros) if (zero < 3) belowThree = Math.min(belowThree, shardedTerms(ctx, zero, w));
    }
    const pipe = stages + w.embeddingSync;
    const pipeZero3 = gathers.zero3 >= 0 && mayFit[i * 4 + gathers.zero3] ? gatheredPipeline(ctx, b, gathers) + w.embeddingSync : pipe;
    pipes[i] = pipe;
    pipesZero3[i] = pipeZero3;
    for (let j = 0; j < choices.dominantZeros.length; j++) {
      const zero = choices.dominantZeros[j]!;
      if (mayFit[i * 4 + j]) time = Math.min(time, (zero === 3 ? pipeZero3 : pipe) + shardedTerms(ctx, zero, w));
    }
    // The later modes' pipelines are no shorter: with the least DP sync + optimizer of any stage they cannot beat `time`.
    const zero3Least = choices.zeros.includes(3) ? pipeZero3 + shardedTerms(ctx, 3, w) : Infinity;
    if (pipe + belowThree >= time && zero3Least >= time) {
      for (let k = i + 1; k < choices.recomputes.length; k++) {
        pipes[k] = pipe;
        pipesZero3[k] = pipeZero3;
      }
      break;
    }
  }
  memberFloors(ctx, choices, w, out.members);
  out.time = time;
}

/** The ZeRO-3 gathers of a group's stage (zero3Gathers), and the index of ZeRO 3 among its dominant stages (-1: none, or no gathers). */
interface StageGathers {
  zero3: number;
  layer: number;
  embedding: number;
  output: number;
}

const GATHERS: StageGathers = { zero3: -1, layer: 0, embedding: 0, output: 0 };

/**
 * The gathers depend on the stage's parameters and groups only (not on the recompute mode): computed once per
 * group, then set for the ZeRO-3 pipeline only. Leaves the work record without gathers.
 */
function stageGathers(ctx: StepContext, b: Mutable<Layout>, choices: MemoryChoices): StageGathers {
  const w = ctx.work;
  GATHERS.zero3 = choices.dominantZeros.indexOf(3);
  b.zero = GATHERS.zero3 >= 0 ? 3 : 0;
  zero3Gathers(ctx, b, w);
  GATHERS.layer = w.gatherLayer;
  GATHERS.embedding = w.gatherEmbedding;
  GATHERS.output = w.gatherOutput;
  if (GATHERS.layer === 0 && GATHERS.embedding === 0 && GATHERS.output === 0) GATHERS.zero3 = -1;
  b.zero = 0;
  zero3Gathers(ctx, b, w);
  return GATHERS;
}

/** The pipeline of `b` at ZeRO 3 (its gathers, no offload); the work record is left without gathers. */
function gatheredPipeline(ctx: StepContext, b: Mutable<Layout>, g: StageGathers): number {
  const w = ctx.work;
  b.zero = 3;
  w.gatherLayer = g.layer;
  w.gatherEmbedding = g.embedding;
  w.gatherOutput = g.output;
  const t = pipeline(ctx, b, w, w.floorEvaluation);
  w.gatherLayer = 0;
  w.gatherEmbedding = 0;
  w.gatherOutput = 0;
  b.zero = 0;
  return t;
}

/** Layer counts that hold for every pipeline shape of one depth pp (any vp, any pins the search holds fixed). */
export interface DepthLayers {
  /** The most layers of any stage is at least this (⌈layers/pp⌉: pp stages hold them all). */
  readonly most: number;
  /** Stage 0 holds at least this many layers (the least over the interleavings searched). */
  readonly firstLeast: number;
  /** Every physical stage holds at least this many layers (0 when the end stages are pinned). */
  readonly least: number;
  /** The depth's pipeline shapes: interleaving and schedule (their bubbles, depthPipeline). */
  readonly shapes: readonly { readonly vp: number; readonly pipelineSchedule: Layout["pipelineSchedule"] }[];
}

/**
 * Floors of every layout with `l`'s tp, pp and data shape (cp, dp, ep, expertTp, micro-batch), whatever its
 * interleaving and schedule (`layers` bounds their stage sizes) and its memory shape among `choices`: what
 * groupFloors bounds for one pipeline shape, here for all of a depth's at once, from two stages every shape has:
 *
 * memory: a stage of at least `most` layers holding at least one micro-batch (rank pp − 1 of 1F1B, the least any
 * schedule holds), and stage 0 with at least `firstLeast` layers, the embedding and at least min(pp, m)
 * micro-batches (1F1B's, which every schedule's stage 0 reaches: GPipe m, interleaved pp + (pp − 1)/vp, DualPipe
 * pp + 1, with two copies of the weights); memory grows with layers, micro-batches held, ends and copies.
 *
 * time: m times the larger of those two stages' times (every schedule runs m slots of its slowest stage and a
 * bubble ≥ 0; a stage time grows with its layers and ends), each with DualPipe's hiding of its EP and PP traffic
 * behind compute (no more exposed than any schedule's) and one PP send pair (vp ≥ 1), without offload and, for
 * ZeRO-3 members, with a floor of the gathers that grows with the layers (gatheredStageFloor); plus the embedding
 * sync and the optimizer step over at least `most` layers; the DP sync (≥ 0) left out.
 * Recompute modes and ZeRO stages as in groupFloors (fit checked on the two stages, dominant stages only).
 */
export function depthFloors(ctx: StepContext, l: Layout, choices: MemoryChoices, layers: DepthLayers, out: GroupFloors): void {
  const w = ctx.work;
  const b = w.floorLayout;
  copyLayout(l, b);
  b.vp = 1;
  b.pipelineSchedule = "1f1b";
  memoryShape(ctx, b, w);
  const mayFit = w.floorMayFit;
  out.memory = dominantMemory(ctx, b, choices, layers, 0);
  b.activationOffloadLayers = 0;
  b.pipelineSchedule = "dualpipe";
  const gathers = stageGathers(ctx, b, choices);
  b.zero = 0;
  let time = Infinity;
  let belowThree = NaN;
  const shapes = (out.shapes = new Float64Array(layers.shapes.length).fill(Infinity));
  const pipes = shapes.length <= w.floorShapePipes.length ? w.floorShapePipes : new Float64Array(shapes.length);
  const pipesZero3 = shapes.length <= w.floorShapePipesZero3.length ? w.floorShapePipesZero3 : new Float64Array(shapes.length);
  for (let i = 0; i < choices.recomputes.length; i++) {
    if (!anyMayFit(choices, mayFit, i)) continue;
    b.recompute = choices.recomputes[i]!;
    stageTerms(ctx, b, w);
    const most = stageTime(ctx, b, w, layers.most, 0, false);
    const first = stageTime(ctx, b, w, layers.firstLeast, FIRST, false);
    const least = stageTime(ctx, b, w, layers.least, 0, false);
    const last = stageTime(ctx, b, w, layers.least, lastEnds(b), false);
    if (Number.isNaN(belowThree)) {
      embeddingSync(ctx, b, w);
      belowThree = Infinity;
      for (const zero of choices.zeros) if (zero < 3) belowThree = Math.min(belowThree, optimizerStep(ctx, zero, w, layers.most));
    }
    const pipe = depthPipeline(ctx, b.pp, layers, most, first, least, last, pipes) + w.embeddingSync;
    const gathered = gathers.zero3 >= 0 && mayFit[i * 4 + gathers.zero3];
    const pipeZero3 = gathered
      ? depthPipeline(
          ctx,
          b.pp,
          layers,
          gatheredStageFloor(ctx, b, gathers, layers.most, 0, most),
          gatheredStageFloor(ctx, b, gathers, layers.firstLeast, FIRST, first),
          gatheredStageFloor(ctx, b, gathers, layers.least, 0, least),
          gatheredStageFloor(ctx, b, gathers, layers.least, lastEnds(b), last),
          pipesZero3,
        ) + w.embeddingSync
      : pipe;
    if (!gathered) pipesZero3.set(pipes);
    for (let j = 0; j < choices.dominantZeros.length; j++) {
      const zero = choices.dominantZeros[j]!;
      if (!mayFit[i * 4 + j]) continue;
      const optimizer = optimizerStep(ctx, zero, w, layers.most);
      time = Math.min(time, (zero === 3 ? pipeZero3 : pipe) + optimizer);
      const own = zero === 3 ? pipesZero3 : pipes;
      for (let k = 0; k < shapes.length; k++) shapes[k] = Math.min(shapes[k]!, own[k]! + w.embeddingSync + optimizer);
    }
    // The later modes' floors are no shorter (stageTime and gatheredStageFloor grow along RECOMPUTE_BY_WORK).
    const zero3Optimizer = choices.zeros.includes(3) ? optimizerStep(ctx, 3, w, layers.most) : Infinity;
    if (pipe + belowThree >= time && pipeZero3 + zero3Optimizer >= time) {
      for (let k = 0; k < shapes.length; k++) shapes[k] = Math.min(shapes[k]!, pipes[k]! + w.embeddingSync + belowThree, pipesZero3[k]! + w.embeddingSync + zero3Optimizer);
      break;
    }
  }
  out.time = time;
}

/**
 * depthFloors' time floor with every member taken to fit (no memory terms, no ZeRO-3 gathers): the least
 * recompute mode's pipeline, computed as depthFloors computes it, with the least optimizer step of any ZeRO
 * stage. At most depthFloors' time, at a fraction of its cost: the search starts every depth group from it and
 * computes depthFloors only for the depth groups whose floor comes up.
 */
export function depthTimeFloor(ctx: StepContext, l: Layout, choices: MemoryChoices, layers: DepthLayers): number {
  const w = ctx.work;
  const b = w.floorLayout;
  copyLayout(l, b);
  b.vp = 1;
  b.pipelineSchedule = "dualpipe";
  b.zero = 0;
  b.activationOffloadLayers = 0;
  b.recompute = choices.recomputes[0]!;
  memoryShape(ctx, b, w);
  zero3Gathers(ctx, b, w);
  stageTerms(ctx, b, w);
  const most = stageTime(ctx, b, w, layers.most, 0, false);
  const first = stageTime(ctx, b, w, layers.firstLeast, FIRST, false);
  const pipe = depthPipeline(ctx, b.pp, layers, most, first, stageTime(ctx, b, w, layers.least, 0, false), stageTime(ctx, b, w, layers.least, lastEnds(b), false), null);
  embeddingSync(ctx, b, w);
  // The optimizer step shards its states from ZeRO 1 on and is otherwise the same: the highest stage's is the least.
  return pipe + w.embeddingSync + optimizerStep(ctx, maxOf(choices.zeros) as Layout["zero"], w, layers.most);
}

/** The ends the last stage carries: the output layer, and with one stage the embedding too. */
const lastEnds = (l: Layout): number => (l.pp === 1 ? FIRST | LAST : LAST);

/** Whether any dominant member of recompute mode `i` may fit (w.floorMayFit). */
function anyMayFit(choices: MemoryChoices, mayFit: readonly boolean[], i: number): boolean {
  for (let j = 0; j < choices.dominantZeros.length; j++) if (mayFit[i * 4 + j]) return true;
  return false;
}

/**
 * A floor of the pipeline time (step-model.ts `pipeline`) of every shape of one depth, from floors of four stage
 * times: `most` (a stage of at least layers.most layers), `first` (stage 0), `least` (any stage) and `last`
 * (stage pp − 1, at least layers.least layers and the output layer). Every
 * schedule's pipeline time is m·tMax plus a bubble that is a function of Σ − tMax, Σ the sum of the stage times
 * (the middle ones at their mean): 1F1B and GPipe Σ − tMax, interleaved (Σ − tMax)/vp, zero-bubble
 * max(0, Σ − tMax − (p−1)W), DualPipe (p/2 − 1)·max(0, F + 2((Σ − tMax)/(p−1) − F) − 3W) with W and F the mean
 * stage's weight-gradient and forward times (fixed by the depth's tp, cp and micro-batch). Each form is
 * non-decreasing in Σ and in tMax (its slope in tMax is at least m − 1 ≥ 0, or m − (p−2)/(p−1) > 0 for
 * DualPipe), so it is at least its value at tMax = max(most, first, last) ≤ tMax and
 * Σ = first + last + (p−2)·least ≤ Σ.
 * The least over the depth's shapes bounds them all; each shape's own is written into `shapes` when given.
 */
function depthPipeline(ctx: StepContext, pp: number, layers: DepthLayers, most: number, first: number, least: number, last: number, shapes: Float64Array | null): number {
  const w = ctx.work;
  const m = w.microBatches;
  const tMax = Math.max(most, first, last);
  if (pp === 1) {
    shapes?.fill(m * tMax);
    return m * tMax;
  }
  const others = first + last + (pp - 2) * least - tMax;
  const meanLayers = ctx.run.model.layers / pp;
  const tWeight = meanLayers * w.layerWeightGrad;
  const tFwd = meanLayers * (w.layerFwd + w.tpFwd + w.cpFwd);
  let fastest = Infinity;
  for (let k = 0; k < layers.shapes.length; k++) {
    const { vp, pipelineSchedule } = layers.shapes[k]!;
    let bubble: number;
    if (pipelineSchedule === "interleaved-1f1b") bubble = others / vp;
    else if (pipelineSchedule === "zero-bubble") bubble = Math.max(0, others - (pp - 1) * tWeight);
    else if (pipelineSchedule === "dualpipe") bubble = (pp / 2 - 1) * Math.max(0, tFwd + 2 * (others / (pp - 1) - tFwd) - 3 * tWeight);
    else bubble = others;
    const t = m * tMax + Math.max(0, bubble);
    if (shapes !== null) shapes[k] = t;
    if (t < fastest) fastest = t;
  }
  return fastest;
}

/**
 * A floor of the per-micro-batch time of a ZeRO-3 stage of at least `n` layers carrying at least `ends`, at the
 * recompute mode of `b`, from `withoutGathers`, the same stage's stageTime without the gathers (and offload). In
 * stageTime the gathers add hidden(c, W, c/n, κ) = (1 − κ)·base + κ·c with base ≥ max(0, c − W), where c are the
 * gather passes' seconds and W the compute + recompute they hide behind (both part of the stage time), so the stage
 * time is at least withoutGathers + κ·c and at least c + κ·W. With FSDP keeping the stage gathered (pp > 1) the
 * two per-step passes add at least κ·2·stage/m. Every term grows with the layers, the ends and along
 * none → selective → full recompute (c: a third forward gather pass with full recompute), so a floor at (`n`,
 * `ends`) holds for every larger stage.
 */
function gatheredStageFloor(ctx: StepContext, b: Layout, g: StageGathers, n: number, ends: number, withoutGathers: number): number {
  const w = ctx.work;
  const kappa = ctx.k.overlapInterference;
  const stage = n * g.layer + (ends & FIRST ? g.embedding : 0) + (ends & LAST ? g.output : 0);
  if (ctx.fsdpKeepsStageGathered && b.pp > 1) return withoutGathers + (kappa * 2 * stage) / w.microBatches;
  const c = ((b.recompute === "full" ? 3 : 2) + 1) * stage;
  const compute = n * (w.layerFwd + w.layerBwd) + (ends & FIRST ? w.firstExtraCompute : 0) + (ends & LAST ? w.lastExtraCompute : 0);
  return Math.max(withoutGathers + kappa * c, c + kappa * (compute + n * w.layerRecompute));
}

/**
 * What the memory terms read before activationFootprint: the stage placement, the layer parameters and the active
 * FFN width (which evaluateLayout sets in layerCompute, a time term the memory-only paths skip).
 */
function memoryShape(ctx: StepContext, l: Layout, w: Work): void {
  placeGroups(ctx, l, w);
  layerParams(ctx, l, w);
  w.ffnAvg = activeFfnWidth(ctx);
}

/**
 * The least of `stageBytes` over the group's dominant members (memoryChoices) at each recompute mode, marking in
 * w.floorMayFit (recompute mode × 4 + dominant ZeRO index) which may fit the usable memory.
 */
function dominantMemory(ctx: StepContext, b: Mutable<Layout>, choices: MemoryChoices, depth: DepthLayers | null, ends: number): number {
  const w = ctx.work;
  const usable = ctx.hbmBytes * (1 - ctx.k.hbmReserveFraction);
  let memory = Infinity;
  for (let i = 0; i < choices.recomputes.length; i++) {
    b.recompute = choices.recomputes[i]!;
    activationFootprint(ctx, b, w);
    for (let j = 0; j < choices.dominantZeros.length; j++) {
      b.zero = choices.dominantZeros[j]!;
      const bytes =
        depth === null
          ? stageMemory(ctx, b, w, w.stages.first, 0, ends, w.otherMemory)
          : Math.max(stageMemory(ctx, b, w, depth.most, b.pp - 1, 0, w.otherMemory), stageMemory(ctx, b, w, depth.firstLeast, 0, FIRST, w.otherMemory));
      if (bytes < memory) memory = bytes;
      w.floorMayFit[i * 4 + j] = bytes <= usable;
    }
  }
  return memory;
}

/**
 * Each member's time floor (groupFloors' pipeline of its recompute mode + its ZeRO stage's DP sync and optimizer),
 * Infinity when its dominant member's first stage exceeds the usable memory (a stage 0-2 is dominated by the
 * highest of them, memoryChoices) or when no member of its mode may fit.
 */
function memberFloors(ctx: StepContext, choices: MemoryChoices, w: Work, out: Float64Array): void {
  const modes = choices.recomputes.length;
  for (let zi = 0; zi < choices.zeros.length; zi++) {
    const zero = choices.zeros[zi]!;
    const dominant = zero === 3 ? choices.dominantZeros.indexOf(3) : 0;
    const pipes = zero === 3 ? w.floorPipesZero3 : w.floorPipes;
    for (let ri = 0; ri < modes; ri++) {
      const pipe = pipes[ri]!;
      out[zi * modes + ri] = w.floorMayFit[ri * 4 + dominant] && pipe < Infinity ? pipe + shardedTerms(ctx, zero, w) : Infinity;
    }
  }
}

/** Exposed DP sync and optimizer step at ZeRO stage `zero` (the DP sync as last computed for stages 0-2). */
function shardedTerms(ctx: StepContext, zero: Layout["zero"], w: Work): number {
  return (zero < 3 ? w.dpExposed : 0) + optimizerStep(ctx, zero, w);
}

/** Memory per GPU of one layout: evaluateLayout's `memory` (the same terms, bit for bit) without the time terms. */
export function layoutMemory(ctx: StepContext, l: Layout, mem: MemoryParts): number {
  const w = ctx.work;
  memoryShape(ctx, l, w);
  activationFootprint(ctx, l, w);
  peakMemory(ctx, l, w, mem);
  return mem.total;
}

/**
 * The least memory per GPU of any layout that is `l` with its ZeRO stage and recompute mode among `choices`:
 * exact, the least peak memory of the dominant members (memoryChoices).
 */
export function memoryFloor(ctx: StepContext, l: Layout, choices: MemoryChoices, mem: MemoryParts): number {
  const w = ctx.work;
  const v = w.floorLayout;
  copyLayout(l, v);
  memoryShape(ctx, v, w);
  let least = Infinity;
  for (const recompute of choices.dominantRecomputes) {
    v.recompute = recompute;
    activationFootprint(ctx, v, w);
    for (const zero of choices.dominantZeros) {
      v.zero = zero;
      peakMemory(ctx, v, w, mem);
      if (mem.total < least) least = mem.total;
    }
  }
  return least;
}
