// Exhaustive search for the fastest parallel layout of one model on N GPUs (spec §2.9), with the reference's
// own narrowings (spec §5 Q2): N_EP = gcd(N, E); ordered factorizations N/N_EP = N_TP·N_DP·N_PP with
// N_TP | d·f, N_DP | B, N_PP | L; 2-D TP aspect N_TPf ∈ [⌊√N_TP⌋, 4⌊√N_TP⌋]; the 4 smallest admissible microbatch
// counts for 1F1B (m ≥ N_PP) and the smallest for zero-bubble (m ≥ 2·N_PP); interleaving v = L/N_PP for 1F1B;
// the memory check; then every split of the degrees over the network levels.
//
// Result equality with the reference. Candidates are visited in the reference's order (divisors ascending,
// 1F1B before zero-bubble, level splits in itertools.product order) and a candidate replaces the incumbent when
// it is faster, or equally fast with strictly less total network time, compared exactly as the reference
// compares them. Two prunings skip only candidates that cannot win: the reference's own "optimistic network"
// bound (one level with the summed bandwidth and the smallest latency is never slower than the real hierarchy),
// and, when a deadline is given, every candidate whose optimistic time already misses it.
import { divisors, gcd, isqrt } from "./divisors.ts";
import type { DerivedGpu } from "./gpus.ts";
import { sixMatmulTimeS } from "./matmul.ts";
import type { NetworkArrays } from "./network.ts";
import type { ModelShape } from "./scaling-rules.ts";
import {
  emptyBreakdown,
  evaluateStepInto,
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

function levelCombos(levelSizes: readonly number[]): LevelCombos {
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
  return { count: combos.length, factors, products };
}

export function createLayoutSearch(gpu: DerivedGpu, model: ModelShape, options: SearchOptions): LayoutSearch {
  const net = networkArrays(gpu.spec.network);
  const levels = net.levels;
  const bounded = levels - 1;
  // The reference's optimistic network: one level, bandwidth = sum over levels, latency = min over levels.
  let bwSum = 0;
  for (const b of net.bandwidthsBps) bwSum += b;
  const optimisticNet: NetworkArrays = {
    levels: 1,
    bandwidthsBps: Float64Array.of(bwSum),
    latenciesS: Float64Array.of(Math.min(...net.latenciesS)),
  };
  const ctx: StepContext = { gpu, network: net, model, overlap: options.overlap, zeroBubbleLatency: options.zeroBubbleLatency };
  const optimisticCtx: StepContext = { ...ctx, network: optimisticNet };

  const { dModel, dFf, layers, experts, batchTokens, params } = model;
  const modelArea = dModel * dFf;

  // Six-matmul times per (TP_model, TP_ff) shard shape, then per token count b.
  const sixCache = new Map<number, Map<number, number>>();
  const combosCache = new Map<number, LevelCombos | null>();
  let evaluationCount = 0;

  // Reusable scratch: splits for the real and optimistic networks, and breakdowns.
  const split = {
    dp: new Float64Array(levels),
    tpModel: new Float64Array(levels),
    tpFf: new Float64Array(levels),
    pp: new Float64Array(levels),
    ep: new Float64Array(levels),
  };
  const splitList = [split.dp, split.tpModel, split.tpFf, split.pp, split.ep];
  const single = {
    dp: new Float64Array(1),
    tpModel: new Float64Array(1),
    tpFf: new Float64Array(1),
    pp: new Float64Array(1),
    ep: new Float64Array(1),
  };
  const scratch = emptyBreakdown();
  const degrees = new Float64Array(5);

  function combosFor(n: number): LevelCombos | null {
    let c = combosCache.get(n);
    if (c === undefined) {
      const clipped = clippedLevelSizes(gpu.spec.network.levelSizes, n);
      c = clipped ? levelCombos(clipped) : null;
      combosCache.set(n, c);
    }
    return c;
  }

  function best(n: number, maxYears = Number.POSITIVE_INFINITY): LayoutChoice | null {
    const combos = combosFor(n);
    if (combos === null) return null;
    const nEp = gcd(n, experts);
    const rest = n / nEp;

    let bestTime = Number.POSITIVE_INFINITY;
    let bestTp = 0;
    let bestDp = 0;
    let bestPp = 0;
    let found = false;
    let bestSplits: number[][] = [];
    let bestM = 0;
    let bestV = 0;
    let bestZb = false;
    let bestStep: StepBreakdown | null = null;

    const tpChoices = divisors(gcd(rest, modelArea));
    for (const nTp of tpChoices) {
      const afterTp = rest / nTp;
      const root = isqrt(nTp);
      const tpfChoices = divisors(nTp);
      for (const nDp of divisors(gcd(afterTp, batchTokens))) {
        const nPp = afterTp / nDp;
        if (layers % nPp !== 0) continue;
        if (!fitsInMemory(gpu, params, nDp, n)) continue;
        const perReplica = Math.floor(batchTokens / (experts * nDp));
        // Fewer tokens than experts × replicas: no whole token per expert (sympy's divisors(0) is empty).
        if (perReplica < 1) continue;
        const mbDivisors = divisors(perReplica);
        for (const nTpFf of tpfChoices) {
          if (nTpFf < root || nTpFf > 4 * root) continue;
          const nTpModel = nTp / nTpFf;
          if (dModel % nTpModel !== 0 || dFf % nTpFf !== 0) continue;
          const shapeKey = nTpModel * 1e7 + nTpFf;
          let perB = sixCache.get(shapeKey);
          if (perB === undefined) {
            perB = new Map();
            sixCache.set(shapeKey, perB);
          }
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
            for (let mi = lo; mi < end; mi++) {
              const m = mbDivisors[mi]!;
              const interleave = !zeroBubble && nPp > 1 ? Math.floor(layers / nPp) : 1;
              const b = Math.floor(batchTokens / (nDp * m * experts));
              let six = perB.get(b);
              if (six === undefined) {
                six = sixMatmulTimeS(gpu, Math.floor(dFf / nTpFf), Math.floor(dModel / nTpModel), b);
                perB.set(b, six);
              }
              // Optimistic one-level bound (reference pruning), plus the deadline.
              single.dp[0] = nDp;
              single.tpModel[0] = nTpModel;
              single.tpFf[0] = nTpFf;
              single.pp[0] = nPp;
              single.ep[0] = nEp;
              evaluateStepInto(scratch, optimisticCtx, single, m, interleave, zeroBubble, six);
              const optimistic = scratch.trainingS;
              if (!(optimistic <= bestTime)) continue;
              if (!(optimistic / SECONDS_PER_YEAR < maxYears)) continue;

              degrees[0] = nDp;
              degrees[1] = nTpModel;
              degrees[2] = nTpFf;
              degrees[3] = nPp;
              degrees[4] = nEp;
              for (let c = 0; c < combos.count; c++) {
                let ok = true;
                for (let i = 0; i < 5; i++) {
                  if (degrees[i]! % combos.products[c * 5 + i]! !== 0) {
                    ok = false;
                    break;
                  }
                }
                if (!ok) continue;
                for (let i = 0; i < 5; i++) {
                  const s = splitList[i]!;
                  for (let level = 0; level < bounded; level++) s[level] = combos.factors[(c * bounded + level) * 5 + i]!;
                  s[bounded] = degrees[i]! / combos.products[c * 5 + i]!;
                }
                evaluationCount++;
                evaluateStepInto(scratch, ctx, split, m, interleave, zeroBubble, six);
                const t = scratch.trainingS;
                let better = t < bestTime;
                if (!better && t === bestTime && found) {
                  const steps = scratch.steps;
                  const candidate = scratch.tpBandwidthS * steps + scratch.dpBandwidthS * steps + scratch.ppEpBandwidthS * steps;
                  const s = bestStep!;
                  const incumbent = s.tpBandwidthS * s.steps + s.ppEpBandwidthS * s.steps + s.dpBandwidthS * s.steps;
                  better = candidate < incumbent;
                }
                if (better) {
                  found = true;
                  bestTime = t;
                  bestTp = nTp;
                  bestDp = nDp;
                  bestPp = nPp;
                  bestM = m;
                  bestV = interleave;
                  bestZb = zeroBubble;
                  bestSplits = splitList.map((a) => Array.from(a));
                  bestStep = { ...scratch };
                }
              }
            }
          }
        }
      }
    }
    if (!found || !(bestTime / SECONDS_PER_YEAR < maxYears)) return null;
    const step = bestStep!;
    const [dpSplit = [], tpmSplit = [], tpfSplit = [], ppSplit = [], epSplit = []] = bestSplits;
    const layout: Layout = {
      dp: dpSplit,
      tpModel: tpmSplit,
      tpFf: tpfSplit,
      pp: ppSplit,
      ep: epSplit,
      microbatches: bestM,
      interleave: bestV,
      schedule: bestZb ? "zero-bubble" : "1f1b",
    };
    const tpModel = tpmSplit.reduce((a, b) => a * b, 1);
    return {
      clusterSize: n,
      layout,
      dp: bestDp,
      tpModel,
      tpFf: bestTp / tpModel,
      pp: bestPp,
      ep: nEp,
      microbatches: bestM,
      interleave: bestV,
      schedule: layout.schedule,
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
