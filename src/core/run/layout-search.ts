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
import { depthFloors, depthTimeFloor, emptyFloors, groupFloors, layoutMemory, memoryChoices, memoryFloor, type DepthLayers, type GroupFloors, type MemoryChoices } from "./step-floors.ts";
import { emptyEvaluation, evaluateLayout, stepContext, type LayoutEvaluation, type StepContext } from "./step-model.ts";
import { physicalStageLayers } from "./pipeline-split.ts";

const GIB = 1024 ** 3;

export interface SearchOptions {
  /** Overrides hardware.count. */
  readonly gpus?: number | undefined;
  /** How many layouts to return (best first). */
  readonly top?: number | undefined;
  /** Called after each tensor-parallel degree with the degrees done and the total. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  /**
   * Evaluate every layout instead of pruning: the same `best` and smallest memory (test/run/search-pruning.test.ts),
   * with `fitting` then counting every valid layout that fits.
   */
  readonly exhaustive?: boolean | undefined;
  /**
   * "when-nothing-fits": find the smallest memory any valid layout needs only when no layout fits (the plan's
   * searches, which read it only then); otherwise smallestMemoryGiB is Infinity and smallestMemoryLayout null.
   * Default "always".
   */
  readonly smallestMemory?: "always" | "when-nothing-fits" | undefined;
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
  /** Valid layouts the search covered: each either evaluated or proven unable to enter the result (pruned). */
  readonly considered: number;
  /** Layouts whose step time was computed (every considered one with `exhaustive`). */
  readonly evaluated: number;
  /** Of the evaluated layouts, those that fit in the usable memory. */
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
      const microBatches = fixed.microBatch === undefined ? divisors(run.globalBatch / dp) : [fixed.microBatch];
      for (const ep of eps) for (const microBatch of microBatches) out.push({ cp, dp, expertTp, ep, microBatch });
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

const ZERO_STAGES = [0, 1, 2, 3] as const;

function memoryShapes(fixed: ParallelismInput, tp: number): MemoryShape[] {
  const out: MemoryShape[] = [];
  const sequenceParallel = fixed.sequenceParallel ?? tp > 1;
  for (const zero of pick(fixed.zero, ZERO_STAGES)) for (const recompute of pick<RecomputeMode>(fixed.recompute, RECOMPUTE_MODES)) out.push({ zero, recompute, sequenceParallel });
  return out;
}

/** One layout of a group (forEachGroup): the group's pipeline and data shape with one memory shape. */
function withMemory(base: Layout, x: MemoryShape): Layout {
  return { ...base, zero: x.zero, recompute: x.recompute, sequenceParallel: x.sequenceParallel };
}

/**
 * Every layout the search considers for one tensor-parallel degree, as the product of three independent
 * choices (pipeline shape × data shape × memory shape), visited a group at a time: the layouts of one group share
 * the pipeline and data shape and differ in the memory shape (ZeRO stage and recompute mode), `base` being the
 * first of them. Fields given in `parallelism` stay fixed. Layouts that break a rule of run-config.md are
 * skipped by the caller (`brokenLayoutRule`, which no memory shape changes).
 */
export function forEachGroup(run: ResolvedRun, fixed: ParallelismInput, tp: number, visit: (base: Layout, memory: readonly MemoryShape[]) => void): void {
  const memory = memoryShapes(fixed, tp);
  const first = fixed.firstStageLayers ?? null;
  const last = fixed.lastStageLayers ?? null;
  const offload = fixed.activationOffloadLayers ?? 0;
  const x = memory[0]!;
  // The data shapes depend on the pipeline shape through pp only: computed once per pp.
  const byPp = new Map<number, DataShape[]>();
  for (const p of pipelineShapes(run, fixed, tp)) {
    let data = byPp.get(p.pp);
    if (data === undefined) byPp.set(p.pp, (data = dataShapes(run, fixed, run.gpuCount / (tp * p.pp), tp)));
    for (const d of data) {
      visit(
        {
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
        },
        memory,
      );
    }
  }
}

/** Every layout the search considers for one tensor-parallel degree (forEachGroup's groups, member by member). */
export function forEachLayout(run: ResolvedRun, fixed: ParallelismInput, tp: number, visit: (l: Layout) => void): void {
  forEachGroup(run, fixed, tp, (base, memory) => {
    for (const x of memory) visit(withMemory(base, x));
  });
}

/**
 * Keeps the `top` fastest layouts that fit and the layout that needs the least memory. Both are ordered by
 * (value, position in the enumeration order), which is what an exhaustive search in that order keeps (a later
 * layout never displaces an equal one): so the pruned search, which evaluates groups out of order, keeps the same.
 */
class Ranking {
  readonly best: RankedLayout[] = [];
  private readonly bestOrder: number[] = [];
  evaluated = 0;
  fitting = 0;
  smallest = Infinity;
  smallestLayout: Layout | null = null;
  private smallestOrder = Infinity;
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

  /** The step time a layout must beat to enter the ranking (Infinity while it has fewer than `top`). */
  get worstTime(): number {
    return this.best.length >= this.top ? this.best[this.best.length - 1]!.stepTimeSeconds : Infinity;
  }

  /** `order`: the layout's position in the enumeration order (ties go to the earlier layout). */
  noteMemory(layout: Layout, bytes: number, order: number): void {
    if (bytes < this.smallest || (bytes === this.smallest && order < this.smallestOrder)) {
      this.smallest = bytes;
      this.smallestLayout = layout;
      this.smallestOrder = order;
    }
  }

  add(layout: Layout, e: LayoutEvaluation, order: number): void {
    this.evaluated++;
    const mem = e.memory.total;
    if (mem > this.usableBytes) return;
    this.fitting++;
    const t = e.time.stepTime;
    const best = this.best;
    const before = (i: number) => best[i]!.stepTimeSeconds > t || (best[i]!.stepTimeSeconds === t && this.bestOrder[i]! > order);
    if (best.length >= this.top && !before(best.length - 1)) return;
    let i = best.length;
    while (i > 0 && before(i - 1)) i--;
    best.splice(i, 0, {
      layout,
      stepTimeSeconds: t,
      tokensPerSecondPerGpu: this.tokensPerStep / (t * this.gpus),
      mfu: this.modelFlops / (t * this.gpus * this.peakFlopsBf16),
      memoryPerGpuGiB: mem / GIB,
    });
    this.bestOrder.splice(i, 0, order);
    if (best.length > this.top) {
      best.pop();
      this.bestOrder.pop();
    }
  }
}

/** Enumeration-order positions: a group's members are numbered group × MEMBER_SLOTS + member (≤ 4 × 3 members). */
const MEMBER_SLOTS = 16;
/**
 * Relative floating-point slack of a floor: stepTimeFloor sums the step time's terms in another order than
 * evaluateLayout, so a floor may exceed the step time it bounds by a few units in the last place.
 */
const FLOOR_SLACK = 1e-9;

/**
 * A group of layouts (forEachGroup) with the floors of its step time and memory (step-floors.ts groupFloors), or,
 * until it is `floored`, its shape's floor from its depth (depthFloors' `shapes`).
 */
interface LayoutGroup {
  readonly base: Layout;
  readonly memory: readonly MemoryShape[];
  readonly index: number;
  timeFloor: number;
  memoryFloor: number;
  /** Each member's own time floor (Infinity: it cannot fit), in member order. */
  memberFloors: Float64Array;
  floored: boolean;
}

interface SearchSetup {
  readonly run: ResolvedRun;
  readonly ctx: StepContext;
  readonly fixed: ParallelismInput;
  readonly tps: readonly number[];
  readonly usableBytes: number;
  readonly onProgress: ((done: number, total: number) => void) | undefined;
  readonly smallestMemory: NonNullable<SearchOptions["smallestMemory"]>;
  /** Scratch floors (refine, floorGroup). */
  readonly floors: GroupFloors;
}

/** Every layout evaluated in the enumeration order; returns how many were considered (all of them). */
function exhaustiveSearch(s: SearchSetup, ranking: Ranking, sites: ReturnType<typeof sitesSetup>): number {
  const { run, ctx, fixed, tps } = s;
  const out = emptyEvaluation();
  let order = 0;
  tps.forEach((tp, i) => {
    if (run.gpuCount % tp === 0) {
      forEachGroup(run, fixed, tp, (base, memory) => {
        order++;
        if (brokenLayoutRule(run, base) !== null) return;
        memory.forEach((x, j) => {
          const layout = withMemory(base, x);
          const e = evaluateLayout(ctx, layout, out);
          if (sites.count > 1) e.time.stepTime += crossSiteTime(sites, crossSiteShard(ctx.counts, layout, sites.count), e.time.stepTime).exposedPerStepSeconds;
          ranking.noteMemory(layout, e.memory.total, order * MEMBER_SLOTS + j);
          ranking.add(layout, e, order * MEMBER_SLOTS + j);
        });
      });
    }
    s.onProgress?.(i + 1, tps.length);
  });
  return ranking.evaluated;
}

/**
 * One tp, pp and data shape: the groups of every pipeline shape of that depth (`pipelines`) with this data shape,
 * bounded at once (depthTimeFloor, then depthFloors) before any of them is (groupFloors). Group `k` has the
 * enumeration position `firstIndex + k·stride`.
 */
interface DepthGroup {
  readonly tp: number;
  readonly data: DataShape;
  readonly pipelines: readonly PipelineShape[];
  readonly memory: readonly MemoryShape[];
  readonly layers: DepthLayers;
  readonly firstIndex: number;
  readonly stride: number;
  /** depthTimeFloor until refined, then depthFloors' time. */
  timeFloor: number;
  /** depthFloors' memory once refined (NaN before). */
  memoryFloor: number;
  /** depthFloors' time floor of each pipeline shape once refined. */
  shapeFloors: Float64Array;
  refined: boolean;
  /** The valid groups, with their floors, once expanded. */
  groups: LayoutGroup[] | null;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A layout of the search from its parts (the group's first memory shape), written into `into` when given. */
function layoutOf(s: SearchSetup, tp: number, p: PipelineShape, d: DataShape, x: MemoryShape, into: Mutable<Layout> = { ...SCRATCH_LAYOUT }): Layout {
  const f = s.fixed;
  into.tp = tp;
  into.pp = p.pp;
  into.vp = p.vp;
  into.cp = d.cp;
  into.ep = d.ep;
  into.expertTp = d.expertTp;
  into.dp = d.dp;
  into.sequenceParallel = x.sequenceParallel;
  into.zero = x.zero;
  into.recompute = x.recompute;
  into.pipelineSchedule = p.pipelineSchedule;
  into.microBatch = d.microBatch;
  into.firstStageLayers = f.firstStageLayers ?? null;
  into.lastStageLayers = f.lastStageLayers ?? null;
  into.activationOffloadLayers = f.activationOffloadLayers ?? 0;
  return into;
}

const SCRATCH_LAYOUT: Layout = { tp: 1, pp: 1, vp: 1, cp: 1, ep: 1, expertTp: 1, dp: 1, sequenceParallel: false, zero: 0, recompute: "none", pipelineSchedule: "1f1b", microBatch: 1, firstStageLayers: null, lastStageLayers: null, activationOffloadLayers: 0 };

/**
 * Every depth group of the search with its time floor without memory (depthTimeFloor: most depth groups never
 * need more), in the enumeration order (forEachGroup's: pipeline shapes, pp first, then data shapes), and how
 * many valid layouts they hold.
 */
function depthGroups(s: SearchSetup, choices: MemoryChoices): { groups: DepthGroup[]; considered: number } {
  const { run, ctx, fixed, tps } = s;
  const scratch: Mutable<Layout> = { ...SCRATCH_LAYOUT };
  const groups: DepthGroup[] = [];
  let considered = 0;
  let index = 0;
  tps.forEach((tp, t) => {
    if (run.gpuCount % tp === 0) {
      const memory = memoryShapes(fixed, tp);
      const shapes = pipelineShapes(run, fixed, tp);
      for (let i = 0; i < shapes.length; ) {
        const pp = shapes[i]!.pp;
        let end = i;
        while (end < shapes.length && shapes[end]!.pp === pp) end++;
        const pipelines = shapes.slice(i, end);
        const data = dataShapes(run, fixed, run.gpuCount / (tp * pp), tp);
        const firstLayers = pipelines.map((p) => physicalStageLayers(run.model.layers, pp, p.vp, fixed.firstStageLayers ?? null, fixed.lastStageLayers ?? null, 0));
        const layers = depthLayers(run.model.layers, pp, pipelines, firstLayers, fixed);
        data.forEach((d, j) => {
          let valid = 0;
          layoutOf(s, tp, pipelines[0]!, d, memory[0]!, scratch);
          for (const p of pipelines) {
            // Only the pipeline shape changes between them.
            scratch.vp = p.vp;
            scratch.pipelineSchedule = p.pipelineSchedule;
            if (brokenLayoutRule(run, scratch) === null) valid++;
          }
          if (valid === 0) return;
          considered += valid * memory.length;
          const timeFloor = depthTimeFloor(ctx, layoutOf(s, tp, pipelines[0]!, d, memory[0]!, scratch), choices, layers);
          groups.push({ tp, data: d, pipelines, memory, layers, firstIndex: index + 1 + j, stride: data.length, timeFloor, memoryFloor: NaN, shapeFloors: NO_FLOORS, refined: false, groups: null });
        });
        index += pipelines.length * data.length;
        i = end;
      }
    }
    s.onProgress?.(t + 1, tps.length);
  });
  return { groups, considered };
}

/**
 * Stage sizes every shape of one depth shares: the most layers of any stage is at least ⌈layers/pp⌉, stage 0 holds
 * the least of `firstLayers`, and without pinned end stages every virtual stage holds at least
 * ⌊layers/(pp·vp)⌋ layers (pipeline-split.ts), so every physical stage vp times that.
 */
function depthLayers(layers: number, pp: number, pipelines: readonly PipelineShape[], firstLayers: readonly number[], fixed: ParallelismInput): DepthLayers {
  const pinned = (fixed.firstStageLayers ?? null) !== null || (fixed.lastStageLayers ?? null) !== null;
  return {
    most: Math.ceil(layers / pp),
    firstLeast: firstLayers.reduce((a, n) => Math.min(a, n), Infinity),
    least: pinned ? 0 : pipelines.reduce((a, p) => Math.min(a, p.vp * Math.floor(layers / (pp * p.vp))), Infinity),
    shapes: pipelines,
  };
}

/** Sets a depth group's full floors (depthFloors: memory, and time over the members that may fit) once; false if already set. */
function refine(s: SearchSetup, choices: MemoryChoices, dg: DepthGroup): boolean {
  if (dg.refined) return false;
  const floors = s.floors;
  depthFloors(s.ctx, layoutOf(s, dg.tp, dg.pipelines[0]!, dg.data, dg.memory[0]!), choices, dg.layers, floors);
  dg.timeFloor = floors.time;
  dg.memoryFloor = floors.memory;
  dg.shapeFloors = floors.shapes;
  dg.refined = true;
  return true;
}

const NO_FLOORS = new Float64Array(0);

/** The valid groups of a (refined) depth group, each with its shape's floor from the depth, computed once. */
function expand(s: SearchSetup, choices: MemoryChoices, dg: DepthGroup): LayoutGroup[] {
  if (dg.groups !== null) return dg.groups;
  refine(s, choices, dg);
  const out: LayoutGroup[] = [];
  dg.pipelines.forEach((p, k) => {
    const base = layoutOf(s, dg.tp, p, dg.data, dg.memory[0]!);
    if (brokenLayoutRule(s.run, base) !== null) return;
    out.push({ base, memory: dg.memory, index: dg.firstIndex + k * dg.stride, timeFloor: dg.shapeFloors[k]!, memoryFloor: NaN, memberFloors: NO_FLOORS, floored: false });
  });
  return (dg.groups = out);
}

/** Sets a group's own floors (groupFloors) once; false if already set. */
function floorGroup(s: SearchSetup, choices: MemoryChoices, g: LayoutGroup): boolean {
  if (g.floored) return false;
  const floors = s.floors;
  groupFloors(s.ctx, g.base, choices, floors);
  g.timeFloor = floors.time;
  g.memoryFloor = floors.memory;
  g.memberFloors = floors.members.slice(0, g.memory.length);
  g.floored = true;
  return true;
}

/** A binary min-heap by `less`, built from `items` (which it takes over) in linear time. */
class MinHeap<T> {
  private readonly items: T[];
  private readonly less: (a: T, b: T) => boolean;
  constructor(less: (a: T, b: T) => boolean, items: T[] = []) {
    this.less = less;
    this.items = items;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }
  get top(): T | undefined {
    return this.items[0];
  }
  push(g: T): void {
    const a = this.items;
    a.push(g);
    for (let i = a.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      const x = a[i]!;
      if (!this.less(x, a[up]!)) break;
      a[i] = a[up]!;
      a[up] = x;
      i = up;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      this.siftDown(0);
    }
    return top;
  }
  private siftDown(from: number): void {
    const a = this.items;
    for (let i = from; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
      if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
      if (m === i) break;
      const x = a[i]!;
      a[i] = a[m]!;
      a[m] = x;
      i = m;
    }
  }
}

/**
 * The fastest layouts, best first by floor: the depth groups in order of their floor (a heap), each refined to its
 * full floors (depthFloors) when its floor without memory comes up and expanded into its groups (a heap by floor,
 * each group starting from its shape's floor in the depth) when its full floor comes up, each group given its own
 * floors (groupFloors) when its shape's floor comes up and evaluated in full when its own floor comes up, until the
 * next floor is above the `top`-th best time: no layout left can enter the ranking.
 */
function rankFastest(s: SearchSetup, choices: MemoryChoices, depth: readonly DepthGroup[], ranking: Ranking): void {
  const byFloor = new MinHeap<DepthGroup>((a, b) => a.timeFloor < b.timeFloor || (a.timeFloor === b.timeFloor && a.firstIndex < b.firstIndex), [...depth]);
  const heap = new MinHeap<LayoutGroup>((a, b) => a.timeFloor < b.timeFloor || (a.timeFloor === b.timeFloor && a.index < b.index));
  const out = emptyEvaluation();
  for (;;) {
    const dg = byFloor.top;
    const g = heap.top;
    const floor = Math.min(dg?.timeFloor ?? Infinity, g?.timeFloor ?? Infinity);
    if (floor === Infinity || floor * (1 - FLOOR_SLACK) > ranking.worstTime) return;
    if (dg !== undefined && dg.timeFloor === floor) {
      byFloor.pop();
      if (refine(s, choices, dg)) byFloor.push(dg);
      else for (const child of expand(s, choices, dg)) heap.push(child);
      continue;
    }
    heap.pop();
    if (floorGroup(s, choices, g!)) {
      heap.push(g!);
      continue;
    }
    g!.memory.forEach((x, j) => {
      // A member that cannot fit, or whose own floor is above the ranking's worst, cannot enter it.
      if (g!.memberFloors[j]! * (1 - FLOOR_SLACK) > ranking.worstTime) return;
      const layout = withMemory(g!.base, x);
      ranking.add(layout, evaluateLayout(s.ctx, layout, out), g!.index * MEMBER_SLOTS + j);
    });
  }
}

/**
 * The layout that needs the least memory: the depth groups in order of their memory floor, expanded, each group's
 * exact least memory (memoryFloor) while a floor can still reach the least found; then the first member of the
 * winning group that needs exactly that.
 */
function smallestMemory(s: SearchSetup, choices: MemoryChoices, depth: readonly DepthGroup[], ranking: Ranking): void {
  const mem = emptyEvaluation().memory;
  let least: LayoutGroup | null = null;
  let leastBytes = Infinity;
  for (const dg of depth) refine(s, choices, dg);
  for (const dg of [...depth].sort((a, b) => a.memoryFloor - b.memoryFloor || a.firstIndex - b.firstIndex)) {
    if (dg.memoryFloor > leastBytes) break;
    for (const g of expand(s, choices, dg)) {
      floorGroup(s, choices, g);
      if (g.memoryFloor > leastBytes) continue;
      const bytes = memoryFloor(s.ctx, g.base, choices, mem);
      if (bytes < leastBytes || (bytes === leastBytes && least !== null && g.index < least.index)) {
        least = g;
        leastBytes = bytes;
      }
    }
  }
  if (least === null) return;
  const winner = least;
  winner.memory.some((x, j) => {
    const layout = withMemory(winner.base, x);
    if (layoutMemory(s.ctx, layout, mem) !== leastBytes) return false;
    ranking.noteMemory(layout, leastBytes, winner.index * MEMBER_SLOTS + j);
    return true;
  });
}

/**
 * Branch and bound (exact pruning): floors for every depth group, then the fastest layouts and the smallest memory
 * from the floors up (rankFastest, smallestMemory). Returns the layouts considered.
 */
function prunedSearch(s: SearchSetup, ranking: Ranking): number {
  const choices = memoryChoices(pick(s.fixed.zero, ZERO_STAGES), pick<RecomputeMode>(s.fixed.recompute, RECOMPUTE_MODES));
  const { groups, considered } = depthGroups(s, choices);
  rankFastest(s, choices, groups, ranking);
  if (s.smallestMemory === "always" || ranking.best.length === 0) smallestMemory(s, choices, groups, ranking);
  return considered;
}

/**
 * The `top` fastest layouts that fit and the smallest memory any valid layout needs. Exact pruning (prunedSearch)
 * returns the same layouts as evaluating every one (`exhaustive`), in fewer evaluations; across sites (the
 * cross-site term is not covered by the floors) every layout is evaluated.
 */
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
  const tps = pick(fixed.tp, divisors(gpus).filter((t) => m.heads % t === 0));
  const setup: SearchSetup = { run, ctx, fixed, tps, usableBytes, onProgress: options.onProgress, smallestMemory: options.smallestMemory ?? "always", floors: emptyFloors() };
  const considered = options.exhaustive === true || sites.count > 1 ? exhaustiveSearch(setup, ranking, sites) : prunedSearch(setup, ranking);
  return {
    gpus: gpus * sites.count,
    considered,
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
