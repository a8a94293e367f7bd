// Exhaustive search for the fastest parallel layout of one model on N GPUs (spec §2.9), with the reference's
// own narrowings (spec §5 Q2): N_EP = gcd(N, E); ordered factorizations N/N_EP = N_TP·N_DP·N_PP with
// N_TP | d·f, N_DP | B, N_PP | L; 2-D TP aspect N_TPf ∈ [⌊√N_TP⌋, 4⌊√N_TP⌋]; the 4 smallest admissible microbatch
// counts for 1F1B (m ≥ N_PP) and the smallest for zero-bubble (m ≥ 2·N_PP); interleaving v = L/N_PP for 1F1B;
// the memory check; then every split of the degrees over the network levels.
//
// Result equality with the reference. The reference visits layouts in a fixed order (divisors ascending, 1F1B
// before zero-bubble, level splits in itertools.product order) and replaces its incumbent when a layout is faster,
// or equally fast with strictly less total network time. Its pruning (the "optimistic network") never drops a
// layout that takes the minimum time t*, so its winner is: among the layouts taking exactly t*, the end of the
// replacement chain in visiting order. We find the same winner faster, with lower bounds that never exceed the
// time of any layout they cover (every step-time term at its own minimum; the step formula is monotone in each):
//  1. the (N_TP, N_DP, N_PP) factorizations are visited by ascending coarse bound (compute, and the TP and DP
//     communication at their floors over every aspect and level split: communication-floors.ts), and the visit
//     stops once that bound exceeds the best time found;
//  2. within one, a candidate (TP aspect, schedule, microbatches) is evaluated only if its bound, built from the
//     exact minima of the TP, PP/EP and DP communication over their level splits (cost tables per cluster size),
//     does not exceed the best time; its level splits are grouped by TP projection and pruned the same way;
//     layouts taking exactly the best time so far are recorded;
//  3. the recorded layouts taking t* are replayed in the reference's order with its replacement rule, comparing
//     network times exactly as it does (candidate TP + DP + PP against incumbent TP + PP + DP).
// Times come from the same expressions as evaluateStepInto, so equal layouts give bit-identical times.
// With a deadline, anything whose bound already misses it is dropped.
import { communicationFloorsOf, type CommunicationFloors } from "./communication-floors.ts";
import { innerMap } from "../util/inner-map.ts";
import { divisors, gcd, isqrt } from "./divisors.ts";
import type { DerivedGpu } from "./gpus.ts";
import { sixMatmulArithmeticTimeS, sixMatmulTimeS } from "./matmul.ts";
import type { ScaledModel } from "./scaling-rules.ts";
import { dataParallelCost, networkArrays, pipelineExpertCost, tensorParallelCost, type CommCost, type NetworkArrays, type StepTraffic } from "./network.ts";
import {
  bubbleFraction,
  emptyBreakdown,
  evaluateStepInto,
  stepSeconds,
  fitsInMemory,
  type NetworkLayout,
  type OverlapFlags,
  type ReferencePipelineSchedule,
  type DataMovementStepBreakdown,
  type DataMovementStepContext,
  type ZeroBubbleLatency,
} from "./step-time.ts";

/**
 * Number.POSITIVE_INFINITY as a module constant: read as `Number.POSITIVE_INFINITY` on a path that had not run
 * before V8 optimized its function (a schedule without admissible microbatch count), the property read threw the
 * optimized code away.
 */
const INFINITY = Number.POSITIVE_INFINITY;

/** Seconds per year in the reference (3.154e7): training times are compared in years. */
export const SECONDS_PER_YEAR = 3.154e7;

export interface NetworkLayoutSearchOptions {
  readonly overlap: OverlapFlags;
  readonly zeroBubbleLatency: ZeroBubbleLatency;
  /** Consider zero-bubble pipelines besides interleaved 1F1B (reference: yes). */
  readonly considerZeroBubble: boolean;
}

/** The chosen layout with its step-time breakdown, as plain data. */
export interface LayoutChoice {
  readonly clusterSize: number;
  readonly layout: NetworkLayout;
  readonly dp: number;
  readonly tpModel: number;
  readonly tpFf: number;
  readonly pp: number;
  readonly ep: number;
  readonly microbatches: number;
  readonly interleave: number;
  readonly schedule: ReferencePipelineSchedule;
  readonly utilization: number;
  readonly trainingS: number;
  readonly step: DataMovementStepBreakdown;
  /** Training-total network times (per-step times × steps), as the reference reports them. */
  readonly tpCommS: number;
  readonly dpCommS: number;
  readonly ppEpCommS: number;
  readonly latencyS: number;
}

/** A search bound to one GPU, model and options, with its caches; reuse it for every cluster size. */
export interface LayoutSearch {
  /**
   * The best layout on `clusterSize` GPUs, or null when none exists; with `maxYears`, null also when no layout
   * trains in under that many years (training seconds / 3.154e7 < maxYears, as the reference tests it).
   */
  best(clusterSize: number, maxYears?: number): LayoutChoice | null;
  /** Number of full (per-level) layout evaluations so far: a work counter for benchmarks. */
  evaluations(): number;
}

interface LevelCombos {
  readonly count: number;
  /** count × bounded levels × 5 factors (DP, TPm, TPf, PP, EP), level-major within a combo. */
  readonly factors: Float64Array;
  /** count × 5: product of each degree's factors over the bounded levels. */
  readonly products: Float64Array;
  /**
   * Each split is also described by its projections: the (TPm, TPf) factors, the (PP, EP) factors and the DP
   * factors over the bounded levels. The communication costs depend on one projection each, so the search
   * computes them once per projection (options × bounded × width) and combines them per split.
   */
  readonly tp: Projection;
  readonly ppEp: Projection;
  readonly dp: Projection;
  /** Splits grouped by TP projection, ascending within each group: byTp[byTpStart[t] … byTpStart[t+1]). */
  readonly byTpStart: Int32Array;
  readonly byTp: Int32Array;
}

interface Projection {
  readonly count: number;
  /** Factors per option: count × bounded × width (width 2 for TP and PP/EP: first degree, second degree). */
  readonly factors: Float64Array;
  /** Products over the bounded levels: count × width. */
  readonly products: Float64Array;
  /** For every split, the index of its option. */
  readonly ofSplit: Int32Array;
}

/** Ordered factorizations of n into `count` factors, lexicographic with each factor's divisors ascending. */
function orderedFactorizations(n: number, count: number): number[][] {
  if (count === 0) return n === 1 ? [[]] : [];
  const result: number[][] = [];
  for (const d of divisors(n)) {
    for (const rest of orderedFactorizations(n / d, count - 1)) result.push([d, ...rest]);
  }
  return result;
}

/**
 * The reference's level sizes for a cluster of n GPUs: clipped top-down so their running product does not exceed
 * n, padded with 1s. Returns null when n cannot be tiled by the hierarchy (the reference asserts instead).
 */
export function clippedLevelSizes(levelSizes: readonly number[], n: number): number[] | null {
  let running = 1;
  for (const size of levelSizes) {
    running *= size;
    if (n > running && n % running !== 0) return null;
  }
  const adjusted: number[] = [];
  running = 1;
  for (const size of levelSizes) {
    const below = running;
    running *= size;
    if (running < n) adjusted.push(size);
    else {
      adjusted.push(Math.floor(n / below));
      break;
    }
  }
  while (adjusted.length < levelSizes.length) adjusted.push(1);
  return adjusted;
}

const combosByLevels = new Map<string, LevelCombos>();

/** All splits of the bounded levels over the five degrees, memoized by (clipped) level sizes. */
function levelCombos(levelSizes: readonly number[]): LevelCombos {
  const key = levelSizes.join(",");
  const cached = combosByLevels.get(key);
  if (cached) return cached;
  const built = buildLevelCombos(levelSizes);
  combosByLevels.set(key, built);
  return built;
}

function buildLevelCombos(levelSizes: readonly number[]): LevelCombos {
  const perLevel = levelSizes.map((s) => orderedFactorizations(s, 5));
  // itertools.product order: the first level varies slowest. Filled in place (no array per split: 2^20-GPU
  // datacenters have ~200k splits).
  const k = levelSizes.length;
  const optionCounts = perLevel.map((options) => options.length);
  const count = optionCounts.reduce((a, b) => a * b, 1);
  const factors = new Float64Array(count * k * 5);
  const products = new Float64Array(count * 5).fill(1);
  const option = new Array<number>(k).fill(0);
  for (let c = 0; c < count; c++) {
    for (let level = 0; level < k; level++) {
      const f = perLevel[level]![option[level]!]!;
      for (let i = 0; i < 5; i++) {
        factors[(c * k + level) * 5 + i] = f[i]!;
        products[c * 5 + i]! *= f[i]!;
      }
    }
    for (let level = k - 1; level >= 0; level--) {
      if (++option[level]! < optionCounts[level]!) break;
      option[level] = 0;
    }
  }
  const project = (columns: readonly number[]): Projection => projectSplits(levelSizes, factors, count, columns);
  const tp = project([1, 2]);
  const byTpStart = new Int32Array(tp.count + 1);
  for (let c = 0; c < count; c++) byTpStart[tp.ofSplit[c]! + 1]!++;
  for (let t = 0; t < tp.count; t++) byTpStart[t + 1]! += byTpStart[t]!;
  const byTp = new Int32Array(count);
  const fill = byTpStart.slice(0, tp.count);
  for (let c = 0; c < count; c++) byTp[fill[tp.ofSplit[c]!]!++] = c;
  return { count, factors, products, tp, ppEp: project([3, 4]), dp: project([0]), byTpStart, byTp };
}

/**
 * The distinct options of some degrees (`columns` of the five) over all splits, in order of first appearance,
 * and each split's option. A split's factors on those degrees are keyed by one number in mixed radix (base
 * size + 1 per level and degree: exact below 2^53, and GPU_COUNT keeps the bounded levels' product ≤ 2^20),
 * with a text key only past that; string keys made `limits --datacenter-size 2^20` spend ~9 s here.
 */
function projectSplits(levelSizes: readonly number[], factors: Float64Array, splits: number, columns: readonly number[]): Projection {
  const k = levelSizes.length;
  const width = columns.length;
  const radix = levelSizes.reduce((r, s) => r * (s + 1) ** width, 1);
  const exact = radix <= Number.MAX_SAFE_INTEGER;
  const keys = new Map<number | string, number>();
  const firstSplit: number[] = [];
  const ofSplit = new Int32Array(splits);
  for (let c = 0; c < splits; c++) {
    let key: number | string = exact ? 0 : "";
    for (let level = 0; level < k; level++) {
      for (let j = 0; j < width; j++) {
        const f = factors[(c * k + level) * 5 + columns[j]!]!;
        key = exact ? (key as number) * (levelSizes[level]! + 1) + f : `${key as string}${f},`;
      }
    }
    let index = keys.get(key);
    if (index === undefined) {
      index = firstSplit.length;
      keys.set(key, index);
      firstSplit.push(c);
    }
    ofSplit[c] = index;
  }
  const count = firstSplit.length;
  const optionFactors = new Float64Array(count * k * width);
  const products = new Float64Array(count * width).fill(1);
  firstSplit.forEach((c, o) => {
    for (let level = 0; level < k; level++) {
      for (let j = 0; j < width; j++) {
        const f = factors[(c * k + level) * 5 + columns[j]!]!;
        optionFactors[(o * k + level) * width + j] = f;
        products[o * width + j]! *= f;
      }
    }
  });
  return { count, factors: optionFactors, products, ofSplit };
}

/**
 * The state of one search (one GPU, model and options): constants, caches, scratch and candidate storage.
 * The search functions are module-level and take it as their first argument, so V8 keeps one optimized copy of
 * them for every model of every sweep (closures created per model would each start unoptimized).
 */
interface SearchState {
  readonly gpu: DerivedGpu;
  readonly model: ScaledModel;
  readonly options: NetworkLayoutSearchOptions;
  readonly net: NetworkArrays;
  readonly levels: number;
  readonly bounded: number;
  readonly ctx: DataMovementStepContext;
  readonly dModel: number;
  readonly dFf: number;
  readonly layers: number;
  readonly experts: number;
  readonly batchTokens: number;
  readonly params: number;
  readonly beta: number;
  readonly modelArea: number;
  readonly steps: number;
  readonly minHopLatency: number;
  /** Six-matmul times per (TP_model, TP_ff) shard shape, then per token count b. */
  readonly sixCache: Map<number, Map<number, Map<number, number>>>;
  readonly combosCache: Map<number, LevelCombos | null>;
  evaluationCount: number;
  readonly split: { dp: Float64Array; tpModel: Float64Array; tpFf: Float64Array; pp: Float64Array; ep: Float64Array };
  readonly splitList: readonly Float64Array[];
  readonly scratch: DataMovementStepBreakdown;
  readonly cost: CommCost;
  // Candidates of one cluster size (structure of arrays, grown on demand).
  capacity: number;
  cTpModel: Float64Array;
  cTpFf: Float64Array;
  cDp: Float64Array;
  cPp: Float64Array;
  cM: Float64Array;
  cV: Float64Array;
  cZb: Uint8Array;
  cSix: Float64Array;
  /** Position of each candidate in the reference's visiting order. */
  cKey: Float64Array;
  /** Layouts (candidate index, split index) taking exactly the best time so far. */
  ties: number[];
  /** Candidates kept for the current cluster size. */
  candidateCount: number;
  readonly cursor: FactorizationCursor;
  // Communication cost tables of the current cluster size, per projection option: [bw, lat] pairs (NaN where the
  // option does not divide the degrees), followed by the minimum bw and minimum latency over valid options.
  tablesCluster: number;
  readonly tpTables: Map<number, Map<number, Float64Array>>;
  readonly ppEpTables: Map<number, Map<number, Float64Array>>;
  readonly dpTables: Map<number, Float64Array>;
  /** The storage of the current cluster size's tables (freed for reuse when the size changes: see freeTables). */
  readonly tablesInUse: Float64Array[];
  readonly tpA: Float64Array;
  readonly tpB: Float64Array;
  // tpA/tpB as each cost function's split, and what a step moves on the current cluster size: one object each per
  // search, so that filling a table allocates nothing per entry.
  readonly tpSplit: { readonly tpModel: Float64Array; readonly tpFf: Float64Array };
  readonly ppEpSplit: { readonly pp: Float64Array; readonly ep: Float64Array; interleave: number };
  readonly dpSplit: { readonly dp: Float64Array };
  readonly traffic: { -readonly [K in keyof StepTraffic]: StepTraffic[K] };
  // The (N_TP, N_DP) pairs of one cluster size: degrees, coarse bounds (both schedules, each schedule), order key.
  pairCapacity: number;
  pTp: Float64Array;
  pDp: Float64Array;
  pCoarse: Float64Array;
  pCoarse1: Float64Array;
  pCoarseZb: Float64Array;
  pKey: Float64Array;
  pOrder: Uint32Array;
  /** Floors of the TP and DP communication over the level splits, shared by the searches of one sweep. */
  readonly floors: CommunicationFloors;
  /** The floors of the TP degree and the DP degree being recorded (one object each, overwritten). */
  readonly tpFloor: CommCost;
  readonly dpFloor: CommCost;
  readonly share: FactorizationShare;
}

export function createLayoutSearch(gpu: DerivedGpu, model: ScaledModel, options: NetworkLayoutSearchOptions): LayoutSearch {
  const net = networkArrays(gpu.spec.network);
  const levels = net.levels;
  let minHopLatency = INFINITY;
  for (const l of net.latenciesS) if (l < minHopLatency) minHopLatency = l;
  const split = {
    dp: new Float64Array(levels),
    tpModel: new Float64Array(levels),
    tpFf: new Float64Array(levels),
    pp: new Float64Array(levels),
    ep: new Float64Array(levels),
  };
  const tpA = new Float64Array(levels);
  const tpB = new Float64Array(levels);
  const state: SearchState = {
    gpu,
    model,
    options,
    net,
    levels,
    bounded: levels - 1,
    ctx: { gpu, network: net, model, overlap: options.overlap, zeroBubbleLatency: options.zeroBubbleLatency },
    dModel: model.dModel,
    dFf: model.dFf,
    layers: model.layers,
    experts: model.experts,
    batchTokens: model.batchTokens,
    params: model.params,
    beta: gpu.bytesPerWord,
    modelArea: model.dModel * model.dFf,
    steps: model.datasetTokens / model.batchTokens,
    minHopLatency,
    sixCache: new Map(),
    combosCache: new Map(),
    evaluationCount: 0,
    split,
    splitList: [split.dp, split.tpModel, split.tpFf, split.pp, split.ep],
    scratch: emptyBreakdown(),
    cost: { bandwidthS: 0, latencyS: 0 },
    capacity: 0,
    cTpModel: new Float64Array(0),
    cTpFf: new Float64Array(0),
    cDp: new Float64Array(0),
    cPp: new Float64Array(0),
    cM: new Float64Array(0),
    cV: new Float64Array(0),
    cZb: new Uint8Array(0),
    cSix: new Float64Array(0),
    cKey: new Float64Array(0),
    ties: [],
    candidateCount: 0,
    cursor: newCursor(),
    tablesCluster: -1,
    tpTables: new Map(),
    ppEpTables: new Map(),
    dpTables: new Map(),
    tablesInUse: [],
    tpA,
    tpB,
    tpSplit: { tpModel: tpA, tpFf: tpB },
    ppEpSplit: { pp: tpA, ep: tpB, interleave: 1 },
    dpSplit: { dp: tpA },
    traffic: { dModel: model.dModel, dFf: model.dFf, layers: model.layers, params: model.params, batchTokens: model.batchTokens, bytesPerWord: gpu.bytesPerWord, clusterSize: 0 },
    pairCapacity: 0,
    pTp: new Float64Array(0),
    pDp: new Float64Array(0),
    pCoarse: new Float64Array(0),
    pCoarse1: new Float64Array(0),
    pCoarseZb: new Float64Array(0),
    pKey: new Float64Array(0),
    pOrder: new Uint32Array(0),
    floors: communicationFloorsOf(gpu),
    tpFloor: { bandwidthS: 0, latencyS: 0 },
    dpFloor: { bandwidthS: 0, latencyS: 0 },
    share: { microbatchChoices: new Float64Array(0), layersTimesExperts: 0, arithmeticS: 0 },
  };
  return { best: (n, maxYears) => best(state, n, maxYears), evaluations: () => state.evaluationCount };
}

function ensureCapacity(S: SearchState, n: number): void {
  if (n <= S.capacity) return;
  const grow = Math.max(n, S.capacity * 2, 256);
  const f64 = (a: Float64Array) => {
    const b = new Float64Array(grow);
    b.set(a);
    return b;
  };
  S.cTpModel = f64(S.cTpModel);
  S.cTpFf = f64(S.cTpFf);
  S.cDp = f64(S.cDp);
  S.cPp = f64(S.cPp);
  S.cM = f64(S.cM);
  S.cV = f64(S.cV);
  S.cSix = f64(S.cSix);
  S.cKey = f64(S.cKey);
  const zb = new Uint8Array(grow);
  zb.set(S.cZb);
  S.cZb = zb;
  S.capacity = grow;
}

function combosFor(S: SearchState, n: number): LevelCombos | null {
  let c = S.combosCache.get(n);
  if (c === undefined) {
    const clipped = clippedLevelSizes(S.gpu.spec.network.levelSizes, n);
    c = clipped ? levelCombos(clipped) : null;
    S.combosCache.set(n, c);
  }
  return c;
}

/** The memo of six-matmul times by token count for one shard shape (keys stay small integers). */
function sixMemo(S: SearchState, nTpModel: number, nTpFf: number): Map<number, number> {
  return innerMap(innerMap(S.sixCache, nTpModel), nTpFf);
}

function resetTables(S: SearchState, n: number): void {
  S.traffic.clusterSize = n;
  if (S.tablesCluster === n) return;
  releaseTables(S);
  S.tablesCluster = n;
}

/** Empties the cost tables and frees their storage (for any search's next cluster size). */
function releaseTables(S: SearchState): void {
  S.tablesCluster = -1;
  S.tpTables.clear();
  S.ppEpTables.clear();
  S.dpTables.clear();
  for (const table of S.tablesInUse) {
    let free = freeTables.get(table.length);
    if (free === undefined) {
      free = [];
      freeTables.set(table.length, free);
    }
    free.push(table);
  }
  S.tablesInUse.length = 0;
}

/**
 * Cost-table storage no search is using, by length: a sweep runs a search per width and each fills thousands of
 * tables, and a fresh worker pays for every typed array it makes, so the tables of finished cluster sizes are
 * reused (by any search: a table is only ever here while no search holds it).
 */
const freeTables = new Map<number, Float64Array[]>();

/** Storage for one table of the current cluster size (every entry is written by buildTable). */
function tableStorage(S: SearchState, length: number): Float64Array {
  const table = freeTables.get(length)?.pop() ?? new Float64Array(length);
  S.tablesInUse.push(table);
  return table;
}

/** The communication patterns the cost tables hold: tensor-parallel, pipeline/expert-parallel, data-parallel. */
type Pattern = "tp" | "ppEp" | "dp";

/** The cost of one pattern for the split in tpA/tpB (and ppEpSplit.interleave) into S.cost. */
function patternCost(S: SearchState, pattern: Pattern): void {
  if (pattern === "tp") tensorParallelCost(S.cost, S.net, S.traffic, S.tpSplit);
  else if (pattern === "ppEp") pipelineExpertCost(S.cost, S.net, S.traffic, S.ppEpSplit);
  else dataParallelCost(S.cost, S.net, S.traffic, S.dpSplit);
}

/** Fills a cost table of one pattern for the options of `proj` that divide (first, second) degrees. */
function buildTable(S: SearchState, proj: Projection, width: number, first: number, second: number, pattern: Pattern): Float64Array {
  const table = tableStorage(S, proj.count * 2 + 2);
  let minBw = INFINITY;
  let minLat = INFINITY;
  for (let o = 0; o < proj.count; o++) {
    const pa = proj.products[o * width]!;
    const pb = width > 1 ? proj.products[o * width + 1]! : 1;
    if (first % pa !== 0 || second % pb !== 0) {
      table[o * 2] = Number.NaN;
      table[o * 2 + 1] = Number.NaN;
      continue;
    }
    for (let level = 0; level < S.bounded; level++) {
      S.tpA[level] = proj.factors[(o * S.bounded + level) * width]!;
      S.tpB[level] = width > 1 ? proj.factors[(o * S.bounded + level) * width + 1]! : 1;
    }
    S.tpA[S.bounded] = first / pa;
    S.tpB[S.bounded] = second / pb;
    patternCost(S, pattern);
    table[o * 2] = S.cost.bandwidthS;
    table[o * 2 + 1] = S.cost.latencyS;
    if (S.cost.bandwidthS < minBw) minBw = S.cost.bandwidthS;
    if (S.cost.latencyS < minLat) minLat = S.cost.latencyS;
  }
  table[proj.count * 2] = minBw;
  table[proj.count * 2 + 1] = minLat;
  return table;
}

function tpTable(S: SearchState, combos: LevelCombos, nTpModel: number, nTpFf: number): Float64Array {
  const inner = innerMap(S.tpTables, nTpModel);
  let t = inner.get(nTpFf);
  if (t === undefined) {
    t = buildTable(S, combos.tp, 2, nTpModel, nTpFf, "tp");
    inner.set(nTpFf, t);
  }
  return t;
}

function ppEpTable(S: SearchState, combos: LevelCombos, nPp: number, nEp: number, interleave: number): Float64Array {
  const inner = innerMap(S.ppEpTables, nPp);
  let t = inner.get(interleave);
  if (t === undefined) {
    S.ppEpSplit.interleave = interleave;
    t = buildTable(S, combos.ppEp, 2, nPp, nEp, "ppEp");
    inner.set(interleave, t);
  }
  return t;
}

function dpTable(S: SearchState, combos: LevelCombos, nDp: number): Float64Array {
  let t = S.dpTables.get(nDp);
  if (t === undefined) {
    t = buildTable(S, combos.dp, 1, nDp, 1, "dp");
    S.dpTables.set(nDp, t);
  }
  return t;
}

/** Sets `split` to level split k of candidate c (the caller knows the split divides the degrees). */
function setSplit(S: SearchState, c: number, nEp: number, combos: LevelCombos, k: number): void {
  const products = combos.products;
  const factors = combos.factors;
  const p = k * 5;
  for (let level = 0; level < S.bounded; level++) {
    const f = (k * S.bounded + level) * 5;
    S.split.dp[level] = factors[f]!;
    S.split.tpModel[level] = factors[f + 1]!;
    S.split.tpFf[level] = factors[f + 2]!;
    S.split.pp[level] = factors[f + 3]!;
    S.split.ep[level] = factors[f + 4]!;
  }
  S.split.dp[S.bounded] = S.cDp[c]! / products[p]!;
  S.split.tpModel[S.bounded] = S.cTpModel[c]! / products[p + 1]!;
  S.split.tpFf[S.bounded] = S.cTpFf[c]! / products[p + 2]!;
  S.split.pp[S.bounded] = S.cPp[c]! / products[p + 3]!;
  S.split.ep[S.bounded] = nEp / products[p + 4]!;
}

function ensurePairCapacity(S: SearchState, n: number): void {
  if (n <= S.pairCapacity) return;
  const grow = Math.max(n, S.pairCapacity * 2, 64);
  const f64 = (a: Float64Array) => {
    const b = new Float64Array(grow);
    b.set(a);
    return b;
  };
  S.pTp = f64(S.pTp);
  S.pDp = f64(S.pDp);
  S.pCoarse = f64(S.pCoarse);
  S.pCoarse1 = f64(S.pCoarse1);
  S.pCoarseZb = f64(S.pCoarseZb);
  S.pKey = f64(S.pKey);
  S.pOrder = new Uint32Array(grow);
  S.pairCapacity = grow;
}

/**
 * Evaluates the level splits of candidate c from the cost tables, TP projections first (each skipped when its
 * own bound exceeds the best time). Updates `ties` and returns the new best time.
 */
function trySplits(
  S: SearchState,
  c: number,
  combos: LevelCombos,
  tpT: Float64Array,
  ppT: Float64Array,
  dpT: Float64Array,
  matmulS: number,
  bubble: number,
  zeroBubble: boolean,
  bestTime: number,
): number {
  const ppOf = combos.ppEp.ofSplit;
  const dpOf = combos.dp.ofSplit;
  const ppMinIndex = combos.ppEp.count * 2;
  const dpMinIndex = combos.dp.count * 2;
  const dpMinBw = dpT[dpMinIndex]!;
  const dpMinLat = dpT[dpMinIndex + 1]!;
  const ppMinBw = ppT[ppMinIndex]!;
  const ppMinLat = ppT[ppMinIndex + 1]!;
  const tpCount = combos.tp.count;
  const byTpStart = combos.byTpStart;
  const byTp = combos.byTp;
  for (let t = 0; t < tpCount; t++) {
    const tpBw = tpT[t * 2]!;
    if (Number.isNaN(tpBw)) continue;
    const tpLat = tpT[t * 2 + 1]!;
    const tpBound = S.steps * stepSeconds(S.ctx, matmulS, bubble, zeroBubble, tpBw, tpLat, dpMinBw, dpMinLat, ppMinBw, ppMinLat);
    if (!(tpBound <= bestTime)) continue;
    const end = byTpStart[t + 1]!;
    for (let j = byTpStart[t]!; j < end; j++) {
      const k = byTp[j]!;
      const q = ppOf[k]! * 2;
      const d = dpOf[k]! * 2;
      const ppBw = ppT[q]!;
      const dpBw = dpT[d]!;
      if (Number.isNaN(ppBw) || Number.isNaN(dpBw)) continue;
      S.evaluationCount++;
      const time = S.steps * stepSeconds(S.ctx, matmulS, bubble, zeroBubble, tpBw, tpLat, dpBw, dpT[d + 1]!, ppBw, ppT[q + 1]!);
      if (time < bestTime) {
        bestTime = time;
        S.ties = [c, k];
      } else if (time === bestTime) {
        S.ties.push(c, k);
      }
    }
  }
  return bestTime;
}

// --- Orders of the reference's visit, as packed keys (exact doubles: every part stays far below its range) ------
/** DP divisors of one TP degree are far fewer than this (divisors of the batch's token count). */
const DP_DIVISOR_RANGE = 4096;
/** TP aspects (divisors of N_TP) are far fewer than this. */
const TP_ASPECT_RANGE = 128;
/** Microbatch counts tried per schedule: at most ONE_F_ONE_B_MICROBATCH_CHOICES. */
const MICROBATCH_RANK_RANGE = 8;
/** The reference tries the 4 smallest admissible microbatch counts for 1F1B and the smallest for zero-bubble. */
const ONE_F_ONE_B_MICROBATCH_CHOICES = 4;
const ZERO_BUBBLE_MICROBATCH_CHOICES = 1;

/** Position of a factorization (N_TP, N_DP) in the reference's order: TP divisor, then DP divisor, ascending. */
function factorizationOrderKey(iTp: number, iDp: number): number {
  return iTp * DP_DIVISOR_RANGE + iDp;
}

/** Position of a candidate in the reference's order: factorization, TP aspect, schedule (1F1B first), microbatch rank. */
function candidateOrderKey(factorizationKey: number, iTpAspect: number, zeroBubble: number, microbatchRank: number): number {
  return ((factorizationKey * TP_ASPECT_RANGE + iTpAspect) * 2 + zeroBubble) * MICROBATCH_RANK_RANGE + microbatchRank;
}

/** A bound (or time) that can still beat the best time and meet the deadline. */
function worthVisiting(bound: number, bestTime: number, maxYears: number): boolean {
  return bound <= bestTime && bound / SECONDS_PER_YEAR < maxYears;
}

/** Tokens of one data-parallel replica per expert (the reference's B / (E·N_DP)). */
function tokensPerReplica(S: SearchState, nDp: number): number {
  return Math.floor(S.batchTokens / (S.experts * nDp));
}

// --- Pass 1: the reference's ordered factorizations N/N_EP = N_TP·N_DP·N_PP, each with coarse bounds -----------

/** The reference's filters on a factorization: N_PP divides L, the model fits, every expert gets a whole token. */
function admissibleFactorization(S: SearchState, n: number, nDp: number, nPp: number): boolean {
  // Fewer tokens than experts × replicas: no whole token per expert (sympy's divisors(0) is empty).
  return S.layers % nPp === 0 && fitsInMemory(S.gpu, S.params, nDp, n) && tokensPerReplica(S, nDp) >= 1;
}

/**
 * A coarse bound valid for every TP aspect, microbatch count and level split of one schedule: the step formula
 * (monotone in every argument) with the unpadded arithmetic of one GPU's share of the batch plus ≥ m_min
 * microbatches' kernel latencies (m_min the smallest count tried: ≥ N_PP for 1F1B, ≥ 2·N_PP for zero-bubble), the
 * bubble at the largest count tried (it shrinks as m grows), the TP and DP communication at their floors over every
 * aspect and level split (communication-floors.ts; for 1F1B the pipeline latency also ≥ 4L hops of TP all-reduce
 * latency when N_TP > 1), and no PP/EP time. Infinite when the schedule has no admissible microbatch count. A
 * different expression from the exact times, so it prunes only with a 1e-9 relative margin.
 */
function coarseScheduleBound(S: SearchState, zeroBubble: boolean, nTp: number, nPp: number, pair: FactorizationShare, dpFloor: CommCost, tpFloor: CommCost): number {
  const choices = pair.microbatchChoices;
  const first = firstAtLeast(choices, zeroBubble ? 2 * nPp : nPp);
  const end = Math.min(choices.length, first + (zeroBubble ? ZERO_BUBBLE_MICROBATCH_CHOICES : ONE_F_ONE_B_MICROBATCH_CHOICES));
  if (first >= end) return INFINITY;
  const matmulS = pair.layersTimesExperts * (pair.arithmeticS + 6 * choices[first]! * S.gpu.spec.matmulLatencyS);
  const interleave = !zeroBubble && nPp > 1 ? Math.floor(S.layers / nPp) : 1;
  const bubble = bubbleFraction(zeroBubble ? "zero-bubble" : "1f1b", nPp, choices[end - 1]!, interleave);
  return S.steps * stepSeconds(S.ctx, matmulS, bubble, zeroBubble, tpFloor.bandwidthS, coarsePipelineLatency(S, zeroBubble, nTp, tpFloor), dpFloor.bandwidthS, dpFloor.latencyS, 0, 0) * (1 - 1e-9);
}

/** The coarse bounds' TP latency term: its floor, and for 1F1B with N_TP > 1 at least 4L hops of TP all-reduce latency. */
function coarsePipelineLatency(S: SearchState, zeroBubble: boolean, nTp: number, tpFloor: CommCost): number {
  const hopLatency = !zeroBubble && nTp > 1 ? 4 * S.layers * S.minHopLatency : 0;
  return tpFloor.latencyS > hopLatency ? tpFloor.latencyS : hopLatency;
}

/** What both schedules' coarse bounds of one factorization share (one object per search, overwritten). */
interface FactorizationShare {
  /** Divisors of the tokens per replica: the admissible microbatch counts. */
  microbatchChoices: Float64Array;
  /** ⌊L/N_PP⌋ · ⌊E/N_EP⌋: the layer-experts one GPU computes. */
  layersTimesExperts: number;
  /** Unpadded arithmetic time of one GPU's share of the batch for one layer-expert. */
  arithmeticS: number;
}

/**
 * Records one admissible factorization with its coarse bounds (each schedule's, and the lower of the two), unless
 * each schedule's coarse bound before its microbatch counts are known already misses the deadline: the unpadded
 * arithmetic with N_PP (1F1B) or 2·N_PP (zero-bubble) microbatches' kernel latencies, no bubble, the TP and DP
 * floors (and for 1F1B the pipeline latency of coarseScheduleBound). Returns whether it was recorded.
 */
function recordFactorization(S: SearchState, i: number, nTp: number, nDp: number, nPp: number, share: number, orderKey: number, tpFloor: CommCost, dpFloor: CommCost, maxYears: number): boolean {
  const pair = S.share;
  const tokens = tokensPerReplica(S, nDp);
  pair.layersTimesExperts = Math.floor(S.layers / nPp) * share;
  pair.arithmeticS = (12 * S.modelArea * tokens) / (nTp * S.gpu.flopPerS);
  // 1F1B runs m ≥ N_PP microbatches and adds the pipeline latency; zero-bubble runs m ≥ 2·N_PP.
  const latencyS = S.gpu.spec.matmulLatencyS;
  const least1 = stepSeconds(S.ctx, pair.layersTimesExperts * (pair.arithmeticS + 6 * nPp * latencyS), 0, false, tpFloor.bandwidthS, coarsePipelineLatency(S, false, nTp, tpFloor), dpFloor.bandwidthS, dpFloor.latencyS, 0, 0);
  const leastZb = S.options.considerZeroBubble ? stepSeconds(S.ctx, pair.layersTimesExperts * (pair.arithmeticS + 12 * nPp * latencyS), 0, true, tpFloor.bandwidthS, coarsePipelineLatency(S, true, nTp, tpFloor), dpFloor.bandwidthS, dpFloor.latencyS, 0, 0) : INFINITY;
  if (!worthVisiting(S.steps * (least1 < leastZb ? least1 : leastZb) * (1 - 1e-9), INFINITY, maxYears)) return false;
  pair.microbatchChoices = divisors(tokens);
  storeFactorization(S, i, nTp, nDp, nPp, orderKey, tpFloor, dpFloor);
  return true;
}

/**
 * Stores a factorization with both schedules' coarse bounds (apart from recordFactorization: a fresh sweep meets
 * many factorizations that miss the deadline before the first that does not, and code V8 optimizes before it ever
 * ran would be thrown away when it first runs).
 */
function storeFactorization(S: SearchState, i: number, nTp: number, nDp: number, nPp: number, orderKey: number, tpFloor: CommCost, dpFloor: CommCost): void {
  const pair = S.share;
  const coarse1 = coarseScheduleBound(S, false, nTp, nPp, pair, dpFloor, tpFloor);
  const coarseZb = S.options.considerZeroBubble ? coarseScheduleBound(S, true, nTp, nPp, pair, dpFloor, tpFloor) : INFINITY;
  ensurePairCapacity(S, i + 1);
  S.pTp[i] = nTp;
  S.pDp[i] = nDp;
  S.pCoarse[i] = Math.min(coarse1, coarseZb);
  S.pCoarse1[i] = coarse1;
  S.pCoarseZb[i] = coarseZb;
  S.pKey[i] = orderKey;
}

/**
 * The floor of N_TP's communication on the current cluster size: the least TP bandwidth and latency times over its
 * admissible aspects and their level splits, into S.tpFloor (infinite when no aspect is admissible). Overlapped TP
 * bandwidth decides most large layouts (~80–99 % of the training time of the largest H100 runs).
 */
function tensorParallelFloor(S: SearchState, combos: LevelCombos, nTp: number): CommCost {
  const floor = S.tpFloor;
  floor.bandwidthS = INFINITY;
  floor.latencyS = INFINITY;
  const root = isqrt(nTp);
  const aspects = divisors(nTp);
  for (let i = firstAtLeast(aspects, root); i < aspects.length && aspects[i]! <= 4 * root; i++) {
    const nTpFf = aspects[i]!;
    if (!admissibleTpAspect(S, nTp, nTpFf, root)) continue;
    aspectFloor(S, combos, nTp / nTpFf, nTpFf);
    if (S.floors.bandwidthS < floor.bandwidthS) floor.bandwidthS = S.floors.bandwidthS;
    if (S.floors.latencyS < floor.latencyS) floor.latencyS = S.floors.latencyS;
  }
  return floor;
}

/** One TP aspect's floor into S.floors' fields: rescaled if measured in this sweep, else measured from its table. */
function aspectFloor(S: SearchState, combos: LevelCombos, nTpModel: number, nTpFf: number): void {
  const bandwidthScale = (S.layers * S.batchTokens * S.dModel) / S.traffic.clusterSize;
  const ratio = S.dFf / S.dModel;
  if (S.floors.findTensorParallel(combos, nTpModel, nTpFf, ratio, bandwidthScale, S.layers)) return;
  const table = tpTable(S, combos, nTpModel, nTpFf);
  const min = combos.tp.count * 2;
  const floor = { bandwidthS: table[min]!, latencyS: table[min + 1]!, bandwidthScale, latencyScale: S.layers, ratio };
  S.floors.recordTensorParallel(combos, nTpModel, nTpFf, floor);
  S.floors.bandwidthS = floor.bandwidthS;
  S.floors.latencyS = floor.latencyS;
}

/** N_DP's floor on the current cluster size (rescaled, or measured from its table), into S.dpFloor. */
function dataParallelFloor(S: SearchState, combos: LevelCombos, nDp: number): CommCost {
  const floor = S.dpFloor;
  const bandwidthScale = S.params / S.traffic.clusterSize;
  if (S.floors.findDataParallel(combos, nDp, bandwidthScale)) {
    floor.bandwidthS = S.floors.bandwidthS;
    floor.latencyS = S.floors.latencyS;
    return floor;
  }
  const table = dpTable(S, combos, nDp);
  const min = combos.dp.count * 2;
  floor.bandwidthS = table[min]!;
  floor.latencyS = table[min + 1]!;
  S.floors.recordDataParallel(combos, nDp, { bandwidthS: floor.bandwidthS, latencyS: floor.latencyS, bandwidthScale, latencyScale: 1, ratio: 0 });
  return floor;
}

/**
 * Records every admissible factorization of n/N_EP GPUs that could meet the deadline; returns how many. A TP degree
 * without admissible aspect has none, nor one whose TP bandwidth floor alone misses the deadline: every step time is
 * at least its TP bandwidth time (overlapped or not), so every coarse bound of that row is at least this one.
 */
function collectFactorizations(S: SearchState, n: number, nEp: number, combos: LevelCombos, maxYears: number): number {
  const rest = n / nEp;
  const share = Math.floor(S.experts / nEp);
  let pairs = 0;
  const tpDivisors = divisors(gcd(rest, S.modelArea));
  for (let iTp = 0; iTp < tpDivisors.length; iTp++) {
    const nTp = tpDivisors[iTp]!;
    const tpFloor = tensorParallelFloor(S, combos, nTp);
    if (tpFloor.bandwidthS === INFINITY || !worthVisiting(S.steps * tpFloor.bandwidthS * (1 - 1e-9), INFINITY, maxYears)) continue;
    const afterTp = rest / nTp;
    const dpDivisors = divisors(gcd(afterTp, S.batchTokens));
    for (let iDp = 0; iDp < dpDivisors.length; iDp++) {
      const nDp = dpDivisors[iDp]!;
      const nPp = afterTp / nDp;
      if (!admissibleFactorization(S, n, nDp, nPp)) continue;
      if (recordFactorization(S, pairs, nTp, nDp, nPp, share, factorizationOrderKey(iTp, iDp), tpFloor, dataParallelFloor(S, combos, nDp), maxYears)) pairs++;
    }
  }
  return pairs;
}

/** The first recorded factorization with the lowest coarse bound (the first of the visiting order), or −1. */
function lowestCoarseBound(S: SearchState, pairs: number): number {
  let lowest = -1;
  for (let i = 0; i < pairs; i++) if (lowest < 0 || S.pCoarse[i]! < S.pCoarse[lowest]!) lowest = i;
  return lowest;
}

/**
 * The factorizations other than `except` still worth visiting, by ascending coarse bound (ties in recording
 * order): good layouts come early, the rest is cut off. The best time only falls, so the ones left out now would
 * never be visited.
 */
function worthVisitingByCoarseBound(S: SearchState, pairs: number, except: number, bestTime: number, maxYears: number): Uint32Array {
  let kept = 0;
  for (let i = 0; i < pairs; i++) if (i !== except && worthVisiting(S.pCoarse[i]!, bestTime, maxYears)) S.pOrder[kept++] = i;
  return S.pOrder.subarray(0, kept).sort((x, y) => {
    // Comparators returning -1/0/1 (small integers) avoid boxing a double per comparison.
    const a = S.pCoarse[x]!;
    const b = S.pCoarse[y]!;
    return a < b ? -1 : a > b ? 1 : x - y;
  });
}

// --- Pass 2: candidates (TP aspect, schedule, microbatch count) of one factorization, then their level splits ---

/** The factorization being searched and what its candidates share (one object per search, overwritten). */
interface FactorizationCursor {
  n: number;
  nEp: number;
  combos: LevelCombos;
  pair: number;
  nTp: number;
  nDp: number;
  nPp: number;
  /** Layers of one pipeline stage (⌊L/N_PP⌋) and experts of one GPU (⌊E/N_EP⌋). */
  layerShare: number;
  expertShare: number;
  microbatchChoices: ArrayLike<number>;
  /** The DP cost table, built once a candidate's splits are tried (empty until then), and the DP floor. */
  dpTable: Float64Array;
  dpLeastBw: number;
  dpLeastLat: number;
  // The TP aspect being searched.
  iTpAspect: number;
  nTpModel: number;
  nTpFf: number;
  /** The TP aspect's cost table (empty until a candidate's splits are tried) and its floor. */
  tpTable: Float64Array;
  tpLeastBw: number;
  tpLeastLat: number;
  sixByTokens: Map<number, number>;
  fShard: number;
  dShard: number;
}

/** A cost table not built yet. */
const NO_TABLE = new Float64Array(0);

function newCursor(): FactorizationCursor {
  const none = NO_TABLE;
  return { n: 0, nEp: 0, combos: levelCombos([]), pair: 0, nTp: 0, nDp: 0, nPp: 0, layerShare: 0, expertShare: 0, microbatchChoices: [], dpTable: none, dpLeastBw: 0, dpLeastLat: 0, iTpAspect: 0, nTpModel: 0, nTpFf: 0, tpTable: none, tpLeastBw: 0, tpLeastLat: 0, sixByTokens: new Map(), fShard: 0, dShard: 0 };
}

/** The reference's 2-D TP aspects: N_TPf ∈ [⌊√N_TP⌋, 4⌊√N_TP⌋], and both shards whole. */
function admissibleTpAspect(S: SearchState, nTp: number, nTpFf: number, root: number): boolean {
  return nTpFf >= root && nTpFf <= 4 * root && S.dModel % (nTp / nTpFf) === 0 && S.dFf % nTpFf === 0;
}

/** Index of the first entry ≥ min in an ascending list (binary search). */
function firstAtLeast(ascending: ArrayLike<number>, min: number): number {
  let lo = 0;
  let hi = ascending.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ascending[mid]! < min) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Step time with every communication term at its floor over the level splits (TP and DP: communication-floors.ts,
 * the exact minimum or at most 1e-9 below it; PP/EP: its table's minimum): a bound for all of them.
 */
function stepWithLeastCommunication(S: SearchState, cur: FactorizationCursor, ppT: Float64Array, matmulS: number, bubble: number, zeroBubble: boolean): number {
  const ppMin = cur.combos.ppEp.count * 2;
  return S.steps * stepSeconds(S.ctx, matmulS, bubble, zeroBubble, cur.tpLeastBw, cur.tpLeastLat, cur.dpLeastBw, cur.dpLeastLat, ppT[ppMin]!, ppT[ppMin + 1]!);
}

/** Keeps a candidate for the replay (structure of arrays); returns its index. */
function storeCandidate(S: SearchState, cur: FactorizationCursor, m: number, interleave: number, zb: number, six: number, orderKey: number): number {
  const c = S.candidateCount++;
  ensureCapacity(S, c + 1);
  S.cTpModel[c] = cur.nTpModel;
  S.cTpFf[c] = cur.nTpFf;
  S.cDp[c] = cur.nDp;
  S.cPp[c] = cur.nPp;
  S.cM[c] = m;
  S.cV[c] = interleave;
  S.cZb[c] = zb;
  S.cSix[c] = six;
  S.cKey[c] = orderKey;
  return c;
}

/**
 * One candidate (TP aspect, schedule, microbatch count m): bounded first with the arithmetic-only matmul time,
 * then with the exact one (each communication term at its minimum; the step formula is monotone in every term,
 * and the same expressions as evaluateStepInto, so bounds and times compare exactly); if still worth it, kept and
 * its level splits tried. Returns the new best time.
 */
function tryCandidate(S: SearchState, cur: FactorizationCursor, zb: number, interleave: number, ppT: Float64Array, m: number, rank: number, bestTime: number, maxYears: number): number {
  const zeroBubble = zb === 1;
  const b = Math.floor(S.batchTokens / (cur.nDp * m * S.experts));
  const bubble = bubbleFraction(zeroBubble ? "zero-bubble" : "1f1b", cur.nPp, m, interleave);
  let six = cur.sixByTokens.get(b);
  if (six === undefined) {
    const arithmetic = sixMatmulArithmeticTimeS(S.gpu, cur.fShard, cur.dShard, b);
    const optimistic = stepWithLeastCommunication(S, cur, ppT, cur.layerShare * cur.expertShare * m * arithmetic, bubble, zeroBubble);
    if (!worthVisiting(optimistic, bestTime, maxYears)) return bestTime;
    six = sixMatmulTimeS(S.gpu, cur.fShard, cur.dShard, b);
    cur.sixByTokens.set(b, six);
  }
  const matmulS = cur.layerShare * cur.expertShare * m * six;
  if (!worthVisiting(stepWithLeastCommunication(S, cur, ppT, matmulS, bubble, zeroBubble), bestTime, maxYears)) return bestTime;
  const c = storeCandidate(S, cur, m, interleave, zb, six, candidateOrderKey(S.pKey[cur.pair]!, cur.iTpAspect, zb, rank));
  if (cur.tpTable === NO_TABLE) cur.tpTable = tpTable(S, cur.combos, cur.nTpModel, cur.nTpFf);
  if (cur.dpTable === NO_TABLE) cur.dpTable = dpTable(S, cur.combos, cur.nDp);
  return trySplits(S, c, cur.combos, cur.tpTable, ppT, cur.dpTable, matmulS, bubble, zeroBubble, bestTime);
}

/**
 * A bound for every microbatch count m_min … m_max of one schedule on the current TP aspect: each communication
 * term at its minimum over the level splits, the unpadded arithmetic with m_min microbatches' kernel latencies
 * (the six matmuls' time is at least that), and the bubble at m_max (it shrinks as m grows). A different
 * expression from the exact times, so it prunes only with a 1e-9 relative margin.
 */
function scheduleOnAspectBound(S: SearchState, cur: FactorizationCursor, ppT: Float64Array, zeroBubble: boolean, mMin: number, mMax: number, interleave: number): number {
  const arithmetic = (12 * cur.fShard * cur.dShard * tokensPerReplica(S, cur.nDp)) / S.gpu.flopPerS;
  const matmulS = cur.layerShare * cur.expertShare * (arithmetic + 6 * mMin * S.gpu.spec.matmulLatencyS);
  const bubble = bubbleFraction(zeroBubble ? "zero-bubble" : "1f1b", cur.nPp, mMax, interleave);
  return stepWithLeastCommunication(S, cur, ppT, matmulS, bubble, zeroBubble) * (1 - 1e-9);
}

/** One schedule of the current TP aspect: its smallest admissible microbatch counts. Returns the new best time. */
function trySchedule(S: SearchState, cur: FactorizationCursor, zb: number, bestTime: number, maxYears: number): number {
  const zeroBubble = zb === 1;
  const scheduleBound = zeroBubble ? S.pCoarseZb[cur.pair]! : S.pCoarse1[cur.pair]!;
  if (!worthVisiting(scheduleBound, bestTime, maxYears)) return bestTime;
  const choices = cur.microbatchChoices;
  const first = firstAtLeast(choices, zeroBubble ? 2 * cur.nPp : cur.nPp);
  const end = Math.min(choices.length, first + (zeroBubble ? ZERO_BUBBLE_MICROBATCH_CHOICES : ONE_F_ONE_B_MICROBATCH_CHOICES));
  if (first >= end) return bestTime;
  const interleave = !zeroBubble && cur.nPp > 1 ? Math.floor(S.layers / cur.nPp) : 1;
  const ppT = ppEpTable(S, cur.combos, cur.nPp, cur.nEp, interleave);
  if (!worthVisiting(scheduleOnAspectBound(S, cur, ppT, zeroBubble, choices[first]!, choices[end - 1]!, interleave), bestTime, maxYears)) return bestTime;
  for (let mi = first; mi < end; mi++) bestTime = tryCandidate(S, cur, zb, interleave, ppT, choices[mi]!, mi - first, bestTime, maxYears);
  return bestTime;
}

/** Every candidate of one factorization: TP aspects, then schedules (1F1B first). Returns the new best time. */
function searchFactorization(S: SearchState, cur: FactorizationCursor, pair: number, bestTime: number, maxYears: number): number {
  const nTp = S.pTp[pair]!;
  const nDp = S.pDp[pair]!;
  cur.pair = pair;
  cur.nTp = nTp;
  cur.nDp = nDp;
  cur.nPp = cur.n / cur.nEp / nTp / nDp;
  cur.layerShare = Math.floor(S.layers / cur.nPp);
  cur.microbatchChoices = divisors(tokensPerReplica(S, nDp));
  // The DP and TP tables are built only for candidates whose splits are tried; the bounds before use the floors.
  cur.dpTable = NO_TABLE;
  const dpFloor = dataParallelFloor(S, cur.combos, nDp);
  cur.dpLeastBw = dpFloor.bandwidthS;
  cur.dpLeastLat = dpFloor.latencyS;
  const root = isqrt(nTp);
  const aspects = divisors(nTp);
  // Only the divisors in the aspect range [⌊√N_TP⌋, 4⌊√N_TP⌋] can be admissible (the list is ascending); i keeps
  // its index in the full list, which orders the candidates.
  for (let i = firstAtLeast(aspects, root); i < aspects.length && aspects[i]! <= 4 * root; i++) {
    const nTpFf = aspects[i]!;
    if (!admissibleTpAspect(S, nTp, nTpFf, root)) continue;
    cur.iTpAspect = i;
    cur.nTpFf = nTpFf;
    cur.nTpModel = nTp / nTpFf;
    cur.tpTable = NO_TABLE;
    aspectFloor(S, cur.combos, cur.nTpModel, nTpFf);
    cur.tpLeastBw = S.floors.bandwidthS;
    cur.tpLeastLat = S.floors.latencyS;
    cur.sixByTokens = sixMemo(S, cur.nTpModel, nTpFf);
    cur.fShard = Math.floor(S.dFf / nTpFf);
    cur.dShard = Math.floor(S.dModel / cur.nTpModel);
    for (let zb = 0; zb < (S.options.considerZeroBubble ? 2 : 1); zb++) bestTime = trySchedule(S, cur, zb, bestTime, maxYears);
  }
  return bestTime;
}

/** The fastest layout on n GPUs (null when none fits, or none meets the deadline): passes 1–3 of the header. */
function best(S: SearchState, n: number, maxYears = INFINITY): LayoutChoice | null {
  const combos = combosFor(S, n);
  if (combos === null) return null;
  resetTables(S, n);
  const nEp = gcd(n, S.experts);
  const pairs = collectFactorizations(S, n, nEp, combos, maxYears);
  const cur = S.cursor;
  cur.n = n;
  cur.nEp = nEp;
  cur.combos = combos;
  cur.expertShare = Math.floor(S.experts / nEp);
  let bestTime = INFINITY;
  S.ties = [];
  S.candidateCount = 0;
  // Ascending coarse bound, stopping at the first one not worth visiting. The lowest is searched before the rest is
  // sorted: only the factorizations worth visiting after it are (the same visits, in the same order, fewer sorted).
  const lowest = lowestCoarseBound(S, pairs);
  if (lowest >= 0 && worthVisiting(S.pCoarse[lowest]!, bestTime, maxYears)) {
    bestTime = searchFactorization(S, cur, lowest, bestTime, maxYears);
    const remaining = worthVisitingByCoarseBound(S, pairs, lowest, bestTime, maxYears);
    for (let i = 0; i < remaining.length; i++) {
      const pair = remaining[i]!;
      if (!worthVisiting(S.pCoarse[pair]!, bestTime, maxYears)) break;
      bestTime = searchFactorization(S, cur, pair, bestTime, maxYears);
    }
  }
  // Each cluster size is asked once (cluster-sizing.ts): its tables are not kept for another call.
  const choice = bestTime / SECONDS_PER_YEAR < maxYears ? replayTies(S, n, nEp, combos) : null;
  releaseTables(S);
  return choice;
}

/**
 * Pass 3: replays the layouts taking t* (recorded in S.ties) in the reference's order with its replacement rule,
 * each evaluated in full (the same arithmetic as the tables, so the time is t* again), and builds the result.
 * Kept apart from `best` so that building the result never deoptimizes the search loops.
 */
function replayTies(S: SearchState, n: number, nEp: number, combos: LevelCombos): LayoutChoice {
  const tied: Array<[number, number]> = [];
  for (let i = 0; i < S.ties.length; i += 2) tied.push([S.ties[i]!, S.ties[i + 1]!]);
  tied.sort((a, b) => S.cKey[a[0]]! - S.cKey[b[0]]! || a[1] - b[1]);
  let found = false;
  let bestCandidate = 0;
  const bestSplits: number[][] = [[], [], [], [], []];
  let bestStep: DataMovementStepBreakdown = emptyBreakdown();
  let incumbentComm = 0;
  for (const [c, k] of tied) {
    setSplit(S, c, nEp, combos, k);
    evaluateStepInto(S.scratch, S.ctx, S.split, S.cM[c]!, S.cV[c]!, S.cZb[c] === 1, S.cSix[c]!);
    const stepCount = S.scratch.steps;
    if (found) {
      // The reference sums the candidate as TP + DP + PP and the incumbent as TP + PP + DP.
      const candidate = S.scratch.tpBandwidthS * stepCount + S.scratch.dpBandwidthS * stepCount + S.scratch.ppEpBandwidthS * stepCount;
      if (!(candidate < incumbentComm)) continue;
    }
    found = true;
    bestCandidate = c;
    for (let i = 0; i < 5; i++) bestSplits[i] = Array.from(S.splitList[i]!);
    bestStep = { ...S.scratch };
    incumbentComm = S.scratch.tpBandwidthS * stepCount + S.scratch.ppEpBandwidthS * stepCount + S.scratch.dpBandwidthS * stepCount;
  }
  const c = bestCandidate;
  const dpSplit = bestSplits[0] ?? [];
  const tpmSplit = bestSplits[1] ?? [];
  const tpfSplit = bestSplits[2] ?? [];
  const ppSplit = bestSplits[3] ?? [];
  const epSplit = bestSplits[4] ?? [];
  const schedule: ReferencePipelineSchedule = S.cZb[c] === 1 ? "zero-bubble" : "1f1b";
  const layout: NetworkLayout = {
    dp: dpSplit,
    tpModel: tpmSplit,
    tpFf: tpfSplit,
    pp: ppSplit,
    ep: epSplit,
    microbatches: S.cM[c]!,
    interleave: S.cV[c]!,
    schedule,
  };
  const step = bestStep;
  return {
    clusterSize: n,
    layout,
    dp: S.cDp[c]!,
    tpModel: S.cTpModel[c]!,
    tpFf: S.cTpFf[c]!,
    pp: S.cPp[c]!,
    ep: nEp,
    microbatches: S.cM[c]!,
    interleave: S.cV[c]!,
    schedule,
    utilization: step.utilization,
    trainingS: step.trainingS,
    step,
    tpCommS: step.tpBandwidthS * step.steps,
    dpCommS: step.dpBandwidthS * step.steps,
    ppEpCommS: step.ppEpBandwidthS * step.steps,
    latencyS: step.steps * (step.tpLatencyS + step.ppEpLatencyS + step.dpLatencyS),
  };
}
