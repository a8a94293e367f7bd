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
//  1. the (N_TP, N_DP, N_PP) factorizations are visited by ascending compute-only bound, and the visit stops once
//     that bound exceeds the best time found;
//  2. within one, a candidate (TP aspect, schedule, microbatches) is evaluated only if its bound, built from the
//     exact minima of the TP, PP/EP and DP communication over their level splits (cost tables per cluster size),
//     does not exceed the best time; its level splits are grouped by TP projection and pruned the same way;
//     layouts taking exactly the best time so far are recorded;
//  3. the recorded layouts taking t* are replayed in the reference's order with its replacement rule, comparing
//     network times exactly as it does (candidate TP + DP + PP against incumbent TP + PP + DP).
// Times come from the same expressions as evaluateStepInto, so equal layouts give bit-identical times.
// With a deadline, anything whose bound already misses it is dropped.
import { divisors, gcd, isqrt } from "./divisors.ts";
import type { DerivedGpu } from "./gpus.ts";
import { sixMatmulArithmeticTimeS, sixMatmulTimeS } from "./matmul.ts";
import type { ModelShape } from "./scaling-rules.ts";
import { dataParallelCost, pipelineExpertCost, tensorParallelCost, type CommCost } from "./network.ts";
import {
  bubbleFraction,
  emptyBreakdown,
  evaluateStepInto,
  stepSeconds,
  fitsInMemory,
  networkArrays,
  type Layout,
  type OverlapFlags,
  type PipelineSchedule,
  type StepBreakdown,
  type StepContext,
  type ZeroBubbleLatency,
} from "./step-time.ts";

/** Seconds per year in the reference (3.154e7): training times are compared in years. */
export const SECONDS_PER_YEAR = 3.154e7;

export interface SearchOptions {
  readonly overlap: OverlapFlags;
  readonly zeroBubbleLatency: ZeroBubbleLatency;
  /** Consider zero-bubble pipelines besides interleaved 1F1B (reference: yes). */
  readonly considerZeroBubble: boolean;
}

/** The chosen layout with its step-time breakdown, as plain data. */
export interface LayoutChoice {
  readonly clusterSize: number;
  readonly layout: Layout;
  readonly dp: number;
  readonly tpModel: number;
  readonly tpFf: number;
  readonly pp: number;
  readonly ep: number;
  readonly microbatches: number;
  readonly interleave: number;
  readonly schedule: PipelineSchedule;
  readonly utilization: number;
  readonly trainingS: number;
  readonly step: StepBreakdown;
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
  // itertools.product order: the first level varies slowest.
  let combos: number[][][] = [[]];
  for (const options of perLevel) {
    const next: number[][][] = [];
    for (const prefix of combos) for (const f of options) next.push([...prefix, f]);
    combos = next;
  }
  const k = levelSizes.length;
  const factors = new Float64Array(combos.length * k * 5);
  const products = new Float64Array(combos.length * 5).fill(1);
  combos.forEach((combo, c) => {
    combo.forEach((f, level) => {
      for (let i = 0; i < 5; i++) {
        factors[(c * k + level) * 5 + i] = f[i]!;
        products[c * 5 + i]! *= f[i]!;
      }
    });
  });
  const project = (columns: readonly number[]): Projection => {
    const keys = new Map<string, number>();
    const tuples: number[][] = [];
    const ofSplit = new Int32Array(combos.length);
    combos.forEach((combo, c) => {
      const tuple = combo.flatMap((f) => columns.map((i) => f[i]!));
      const key = tuple.join(",");
      let index = keys.get(key);
      if (index === undefined) {
        index = tuples.length;
        keys.set(key, index);
        tuples.push(tuple);
      }
      ofSplit[c] = index;
    });
    const width = columns.length;
    const products = new Float64Array(tuples.length * width).fill(1);
    tuples.forEach((t, o) => t.forEach((f, j) => (products[o * width + (j % width)]! *= f)));
    return { count: tuples.length, factors: Float64Array.from(tuples.flat()), products, ofSplit };
  };
  const tp = project([1, 2]);
  const byTpStart = new Int32Array(tp.count + 1);
  for (let c = 0; c < combos.length; c++) byTpStart[tp.ofSplit[c]! + 1]!++;
  for (let t = 0; t < tp.count; t++) byTpStart[t + 1]! += byTpStart[t]!;
  const byTp = new Int32Array(combos.length);
  const fill = byTpStart.slice(0, tp.count);
  for (let c = 0; c < combos.length; c++) byTp[fill[tp.ofSplit[c]!]!++] = c;
  return { count: combos.length, factors, products, tp, ppEp: project([3, 4]), dp: project([0]), byTpStart, byTp };
}

export function createLayoutSearch(gpu: DerivedGpu, model: ModelShape, options: SearchOptions): LayoutSearch {
  const net = networkArrays(gpu.spec.network);
  const levels = net.levels;
  const bounded = levels - 1;
  const ctx: StepContext = { gpu, network: net, model, overlap: options.overlap, zeroBubbleLatency: options.zeroBubbleLatency };

  const { dModel, dFf, layers, experts, batchTokens, params } = model;
  const beta = gpu.bytesPerWord;
  const modelArea = dModel * dFf;
  const steps = model.datasetTokens / model.batchTokens;

  // Six-matmul times per (TP_model, TP_ff) shard shape, then per token count b.
  const sixCache = new Map<number, Map<number, Map<number, number>>>();
  const combosCache = new Map<number, LevelCombos | null>();
  let evaluationCount = 0;

  // Reusable scratch.
  const split = {
    dp: new Float64Array(levels),
    tpModel: new Float64Array(levels),
    tpFf: new Float64Array(levels),
    pp: new Float64Array(levels),
    ep: new Float64Array(levels),
  };
  const splitList = [split.dp, split.tpModel, split.tpFf, split.pp, split.ep];
  const scratch = emptyBreakdown();
  const cost: CommCost = { bandwidthS: 0, latencyS: 0 };

  // Candidate list of one cluster size (structure of arrays, grown on demand) in the reference's visiting order.
  let capacity = 0;
  let cTpModel = new Float64Array(0);
  let cTpFf = new Float64Array(0);
  let cDp = new Float64Array(0);
  let cPp = new Float64Array(0);
  let cM = new Float64Array(0);
  let cV = new Float64Array(0);
  let cZb = new Uint8Array(0);
  let cSix = new Float64Array(0);
  function ensureCapacity(n: number): void {
    if (n <= capacity) return;
    const grow = Math.max(n, capacity * 2, 256);
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(grow);
      b.set(a);
      return b;
    };
    cTpModel = f64(cTpModel);
    cTpFf = f64(cTpFf);
    cDp = f64(cDp);
    cPp = f64(cPp);
    cM = f64(cM);
    cV = f64(cV);
    cSix = f64(cSix);
    const zb = new Uint8Array(grow);
    zb.set(cZb);
    cZb = zb;
    capacity = grow;
  }
  // Layouts (candidate index, split index) taking exactly the best time so far.
  let ties: number[] = [];

  function combosFor(n: number): LevelCombos | null {
    let c = combosCache.get(n);
    if (c === undefined) {
      const clipped = clippedLevelSizes(gpu.spec.network.levelSizes, n);
      c = clipped ? levelCombos(clipped) : null;
      combosCache.set(n, c);
    }
    return c;
  }

  /** The memo of six-matmul times by token count for one shard shape (keys stay small integers). */
  function sixMemo(nTpModel: number, nTpFf: number): Map<number, number> {
    let byFf = sixCache.get(nTpModel);
    if (byFf === undefined) {
      byFf = new Map();
      sixCache.set(nTpModel, byFf);
    }
    let perB = byFf.get(nTpFf);
    if (perB === undefined) {
      perB = new Map();
      byFf.set(nTpFf, perB);
    }
    return perB;
  }

  // Communication cost tables of the current cluster size, per projection option: [bw, lat] pairs (NaN where the
  // option does not divide the degrees), followed by the minimum bw and minimum latency over valid options.
  let tablesCluster = -1;
  const tpTables = new Map<number, Map<number, Float64Array>>();
  const ppEpTables = new Map<number, Map<number, Float64Array>>();
  const dpTables = new Map<number, Float64Array>();
  const tpA = new Float64Array(levels);
  const tpB = new Float64Array(levels);
  function resetTables(n: number): void {
    if (tablesCluster === n) return;
    tablesCluster = n;
    tpTables.clear();
    ppEpTables.clear();
    dpTables.clear();
  }

  /** Fills a cost table for the options of `proj` that divide (first, second) degrees. */
  function buildTable(proj: Projection, width: number, first: number, second: number, compute: (a: Float64Array, b: Float64Array) => void): Float64Array {
    const table = new Float64Array(proj.count * 2 + 2);
    let minBw = Number.POSITIVE_INFINITY;
    let minLat = Number.POSITIVE_INFINITY;
    for (let o = 0; o < proj.count; o++) {
      const pa = proj.products[o * width]!;
      const pb = width > 1 ? proj.products[o * width + 1]! : 1;
      if (first % pa !== 0 || second % pb !== 0) {
        table[o * 2] = Number.NaN;
        table[o * 2 + 1] = Number.NaN;
        continue;
      }
      for (let level = 0; level < bounded; level++) {
        tpA[level] = proj.factors[(o * bounded + level) * width]!;
        tpB[level] = width > 1 ? proj.factors[(o * bounded + level) * width + 1]! : 1;
      }
      tpA[bounded] = first / pa;
      tpB[bounded] = second / pb;
      compute(tpA, tpB);
      table[o * 2] = cost.bandwidthS;
      table[o * 2 + 1] = cost.latencyS;
      if (cost.bandwidthS < minBw) minBw = cost.bandwidthS;
      if (cost.latencyS < minLat) minLat = cost.latencyS;
    }
    table[proj.count * 2] = minBw;
    table[proj.count * 2 + 1] = minLat;
    return table;
  }

  function nested(map: Map<number, Map<number, Float64Array>>, a: number): Map<number, Float64Array> {
    let inner = map.get(a);
    if (inner === undefined) {
      inner = new Map();
      map.set(a, inner);
    }
    return inner;
  }

  function tpTable(n: number, combos: LevelCombos, nTpModel: number, nTpFf: number): Float64Array {
    const inner = nested(tpTables, nTpModel);
    let t = inner.get(nTpFf);
    if (t === undefined) {
      t = buildTable(combos.tp, 2, nTpModel, nTpFf, (a, b) => tensorParallelCost(cost, net, a, b, dModel, dFf, layers, batchTokens, beta, n));
      inner.set(nTpFf, t);
    }
    return t;
  }

  function ppEpTable(n: number, combos: LevelCombos, nPp: number, nEp: number, interleave: number): Float64Array {
    const inner = nested(ppEpTables, nPp);
    let t = inner.get(interleave);
    if (t === undefined) {
      t = buildTable(combos.ppEp, 2, nPp, nEp, (a, b) => pipelineExpertCost(cost, net, a, b, interleave, dModel, layers, batchTokens, beta, n));
      inner.set(interleave, t);
    }
    return t;
  }

  function dpTable(n: number, combos: LevelCombos, nDp: number): Float64Array {
    let t = dpTables.get(nDp);
    if (t === undefined) {
      t = buildTable(combos.dp, 1, nDp, 1, (a) => dataParallelCost(cost, net, a, params, beta, n));
      dpTables.set(nDp, t);
    }
    return t;
  }

  /** Sets `split` to level split k of candidate c (the caller knows the split divides the degrees). */
  function setSplit(c: number, nEp: number, combos: LevelCombos, k: number): void {
    const products = combos.products;
    const factors = combos.factors;
    const p = k * 5;
    for (let level = 0; level < bounded; level++) {
      const f = (k * bounded + level) * 5;
      split.dp[level] = factors[f]!;
      split.tpModel[level] = factors[f + 1]!;
      split.tpFf[level] = factors[f + 2]!;
      split.pp[level] = factors[f + 3]!;
      split.ep[level] = factors[f + 4]!;
    }
    split.dp[bounded] = cDp[c]! / products[p]!;
    split.tpModel[bounded] = cTpModel[c]! / products[p + 1]!;
    split.tpFf[bounded] = cTpFf[c]! / products[p + 2]!;
    split.pp[bounded] = cPp[c]! / products[p + 3]!;
    split.ep[bounded] = nEp / products[p + 4]!;
  }

  // The (N_TP, N_DP) pairs of one cluster size: degrees, tokens per replica, coarse bound, reference order.
  let pairCapacity = 0;
  let pTp = new Float64Array(0);
  let pDp = new Float64Array(0);
  let pCoarse = new Float64Array(0);
  let pKey = new Float64Array(0);
  let pOrder = new Uint32Array(0);
  function ensurePairCapacity(n: number): void {
    if (n <= pairCapacity) return;
    const grow = Math.max(n, pairCapacity * 2, 64);
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(grow);
      b.set(a);
      return b;
    };
    pTp = f64(pTp);
    pDp = f64(pDp);
    pCoarse = f64(pCoarse);
    pKey = f64(pKey);
    pOrder = new Uint32Array(grow);
    pairCapacity = grow;
  }
  let cKey = new Float64Array(0);

  /**
   * Evaluates the level splits of candidate c from the cost tables, TP projections first (each skipped when its
   * own bound exceeds the best time). Updates `ties` and returns the new best time.
   */
  function trySplits(
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
      const tpBound = steps * stepSeconds(ctx, matmulS, bubble, zeroBubble, tpBw, tpLat, dpMinBw, dpMinLat, ppMinBw, ppMinLat);
      if (!(tpBound <= bestTime)) continue;
      const end = byTpStart[t + 1]!;
      for (let j = byTpStart[t]!; j < end; j++) {
        const k = byTp[j]!;
        const q = ppOf[k]! * 2;
        const d = dpOf[k]! * 2;
        const ppBw = ppT[q]!;
        const dpBw = dpT[d]!;
        if (Number.isNaN(ppBw) || Number.isNaN(dpBw)) continue;
        evaluationCount++;
        const time = steps * stepSeconds(ctx, matmulS, bubble, zeroBubble, tpBw, tpLat, dpBw, dpT[d + 1]!, ppBw, ppT[q + 1]!);
        if (time < bestTime) {
          bestTime = time;
          ties = [c, k];
        } else if (time === bestTime) {
          ties.push(c, k);
        }
      }
    }
    return bestTime;
  }

  function best(n: number, maxYears = Number.POSITIVE_INFINITY): LayoutChoice | null {
    const combos = combosFor(n);
    if (combos === null) return null;
    resetTables(n);
    const nEp = gcd(n, experts);
    const rest = n / nEp;
    const share = Math.floor(experts / nEp);

    // The reference's ordered factorizations N/N_EP = N_TP·N_DP·N_PP (with its divisibility and memory filters),
    // each with a coarse bound valid for every TP aspect, schedule and microbatch count: the unpadded arithmetic
    // of one GPU's share of the batch plus ≥ N_PP microbatches' kernel latencies. A different expression from the
    // exact times, so it prunes only with a 1e-9 relative margin.
    let pairs = 0;
    const tpDivisors = divisors(gcd(rest, modelArea));
    for (let iTp = 0; iTp < tpDivisors.length; iTp++) {
      const nTp = tpDivisors[iTp]!;
      const afterTp = rest / nTp;
      const dpDivisors = divisors(gcd(afterTp, batchTokens));
      for (let iDp = 0; iDp < dpDivisors.length; iDp++) {
        const nDp = dpDivisors[iDp]!;
        const nPp = afterTp / nDp;
        if (layers % nPp !== 0) continue;
        if (!fitsInMemory(gpu, params, nDp, n)) continue;
        const perReplica = Math.floor(batchTokens / (experts * nDp));
        // Fewer tokens than experts × replicas: no whole token per expert (sympy's divisors(0) is empty).
        if (perReplica < 1) continue;
        const coarse = steps * (Math.floor(layers / nPp) * share) * ((12 * modelArea * perReplica) / (nTp * gpu.flopPerS) + 6 * nPp * gpu.spec.matmulLatencyS);
        ensurePairCapacity(pairs + 1);
        pTp[pairs] = nTp;
        pDp[pairs] = nDp;
        pCoarse[pairs] = coarse * (1 - 1e-9);
        pKey[pairs] = iTp * 4096 + iDp;
        pairs++;
      }
    }
    // Visit the pairs by ascending coarse bound: good layouts come early and the rest is cut off.
    for (let i = 0; i < pairs; i++) pOrder[i] = i;
    const byCoarse = pOrder.subarray(0, pairs).sort((x, y) => pCoarse[x]! - pCoarse[y]! || x - y);

    let bestTime = Number.POSITIVE_INFINITY;
    ties = [];
    let count = 0;
    const ppMinIndex = combos.ppEp.count * 2;
    const dpMinIndex = combos.dp.count * 2;
    const tpMinIndex = combos.tp.count * 2;
    for (let pi = 0; pi < pairs; pi++) {
      const pair = byCoarse[pi]!;
      const coarse = pCoarse[pair]!;
      if (!(coarse <= bestTime) || !(coarse / SECONDS_PER_YEAR < maxYears)) break;
      const nTp = pTp[pair]!;
      const nDp = pDp[pair]!;
      const nPp = rest / nTp / nDp;
      const perReplica = Math.floor(batchTokens / (experts * nDp));
      const mbDivisors = divisors(perReplica);
      const root = isqrt(nTp);
      const tpfChoices = divisors(nTp);
      const dpT = dpTable(n, combos, nDp);
      const layerShare = Math.floor(layers / nPp);
      for (let iTpf = 0; iTpf < tpfChoices.length; iTpf++) {
        const nTpFf = tpfChoices[iTpf]!;
        if (nTpFf < root || nTpFf > 4 * root) continue;
        const nTpModel = nTp / nTpFf;
        if (dModel % nTpModel !== 0 || dFf % nTpFf !== 0) continue;
        const tpT = tpTable(n, combos, nTpModel, nTpFf);
        const perB = sixMemo(nTpModel, nTpFf);
        const fShard = Math.floor(dFf / nTpFf);
        const dShard = Math.floor(dModel / nTpModel);
        for (let zb = 0; zb < (options.considerZeroBubble ? 2 : 1); zb++) {
          const zeroBubble = zb === 1;
          const minM = zeroBubble ? 2 * nPp : nPp;
          const keep = zeroBubble ? 1 : 4;
          // First divisor >= minM (binary search), then the `keep` smallest from there.
          let lo = 0;
          let hi = mbDivisors.length;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (mbDivisors[mid]! < minM) lo = mid + 1;
            else hi = mid;
          }
          const end = Math.min(mbDivisors.length, lo + keep);
          if (lo >= end) continue;
          const interleave = !zeroBubble && nPp > 1 ? Math.floor(layers / nPp) : 1;
          const ppT = ppEpTable(n, combos, nPp, nEp, interleave);
          for (let mi = lo; mi < end; mi++) {
            const m = mbDivisors[mi]!;
            const b = Math.floor(batchTokens / (nDp * m * experts));
            const bubble = bubbleFraction(zeroBubble ? "zero-bubble" : "1f1b", nPp, m, interleave);
            // Lower bound over all level splits: each communication term at its own minimum (the step formula is
            // monotone in every term), first with the arithmetic-only matmul time, then with the exact one. Same
            // expressions as evaluateStepInto, so bounds and times compare exactly.
            let six = perB.get(b);
            if (six === undefined) {
              const arithmetic = sixMatmulArithmeticTimeS(gpu, fShard, dShard, b);
              const optimistic =
                steps *
                stepSeconds(ctx, layerShare * share * m * arithmetic, bubble, zeroBubble, tpT[tpMinIndex]!, tpT[tpMinIndex + 1]!, dpT[dpMinIndex]!, dpT[dpMinIndex + 1]!, ppT[ppMinIndex]!, ppT[ppMinIndex + 1]!);
              if (!(optimistic <= bestTime) || !(optimistic / SECONDS_PER_YEAR < maxYears)) continue;
              six = sixMatmulTimeS(gpu, fShard, dShard, b);
              perB.set(b, six);
            }
            const matmulS = layerShare * share * m * six;
            const bound =
              steps *
              stepSeconds(ctx, matmulS, bubble, zeroBubble, tpT[tpMinIndex]!, tpT[tpMinIndex + 1]!, dpT[dpMinIndex]!, dpT[dpMinIndex + 1]!, ppT[ppMinIndex]!, ppT[ppMinIndex + 1]!);
            if (!(bound <= bestTime) || !(bound / SECONDS_PER_YEAR < maxYears)) continue;

            // A candidate worth evaluating: keep it (for the replay) and try its level splits, TP projections first.
            ensureCapacity(count + 1);
            if (cKey.length < capacity) {
              const k2 = new Float64Array(capacity);
              k2.set(cKey);
              cKey = k2;
            }
            const c = count++;
            cTpModel[c] = nTpModel;
            cTpFf[c] = nTpFf;
            cDp[c] = nDp;
            cPp[c] = nPp;
            cM[c] = m;
            cV[c] = interleave;
            cZb[c] = zb;
            cSix[c] = six;
            // The reference's visiting order: factorization, TP aspect, schedule, microbatch count.
            cKey[c] = ((pKey[pair]! * 128 + iTpf) * 2 + zb) * 8 + (mi - lo);
            bestTime = trySplits(c, combos, tpT, ppT, dpT, matmulS, bubble, zeroBubble, bestTime);
          }
        }
      }
    }
    if (!(bestTime / SECONDS_PER_YEAR < maxYears)) return null;

    // Pass 2: replay the layouts taking t* in the reference's order with its replacement rule, each evaluated in
    // full (the same arithmetic as the tables, so the time is t* again).
    const tied: Array<[number, number]> = [];
    for (let i = 0; i < ties.length; i += 2) tied.push([ties[i]!, ties[i + 1]!]);
    tied.sort((a, b) => cKey[a[0]]! - cKey[b[0]]! || a[1] - b[1]);
    let found = false;
    let bestCandidate = 0;
    let bestSplits: number[][] = [];
    let bestStep: StepBreakdown = emptyBreakdown();
    let incumbentComm = 0;
    for (const [c, k] of tied) {
      setSplit(c, nEp, combos, k);
      evaluateStepInto(scratch, ctx, split, cM[c]!, cV[c]!, cZb[c] === 1, cSix[c]!);
      const stepCount = scratch.steps;
      if (found) {
        // The reference sums the candidate as TP + DP + PP and the incumbent as TP + PP + DP.
        const candidate = scratch.tpBandwidthS * stepCount + scratch.dpBandwidthS * stepCount + scratch.ppEpBandwidthS * stepCount;
        if (!(candidate < incumbentComm)) continue;
      }
      found = true;
      bestCandidate = c;
      bestSplits = splitList.map((a) => Array.from(a));
      bestStep = { ...scratch };
      incumbentComm = scratch.tpBandwidthS * stepCount + scratch.ppEpBandwidthS * stepCount + scratch.dpBandwidthS * stepCount;
    }
    const c = bestCandidate;
    const [dpSplit = [], tpmSplit = [], tpfSplit = [], ppSplit = [], epSplit = []] = bestSplits;
    const schedule: PipelineSchedule = cZb[c] === 1 ? "zero-bubble" : "1f1b";
    const layout: Layout = {
      dp: dpSplit,
      tpModel: tpmSplit,
      tpFf: tpfSplit,
      pp: ppSplit,
      ep: epSplit,
      microbatches: cM[c]!,
      interleave: cV[c]!,
      schedule,
    };
    const step = bestStep;
    return {
      clusterSize: n,
      layout,
      dp: cDp[c]!,
      tpModel: cTpModel[c]!,
      tpFf: cTpFf[c]!,
      pp: cPp[c]!,
      ep: nEp,
      microbatches: cM[c]!,
      interleave: cV[c]!,
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

  return { best, evaluations: () => evaluationCount };
}
