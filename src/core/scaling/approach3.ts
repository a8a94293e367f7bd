import { BOOTSTRAP_RESAMPLES, requireWithinBound, RUN_ROWS } from "../config/bounds.ts";
import { ComputationError, InputError } from "../errors.ts";
import { minimizeLbfgs } from "../optimize/lbfgs.ts";
import { seededRandom } from "../util/random.ts";
import { approach3Objective, toLogData, type LogData } from "./approach3-objective.ts";
import { chinchillaFrontier, chinchillaLoss, type ChinchillaParams, type Frontier } from "./chinchilla-law.ts";
import { centralInterval, resampleCounts } from "./percentile.ts";
import { maxOf, minOf } from "../util/extent.ts";

/** One training run reduced to (N parameters, D tokens, final loss in nats/token). */
export interface RunPoint {
  readonly n: number;
  readonly d: number;
  readonly loss: number;
}

/** Start values per coordinate; every combination is one L-BFGS start. a = ln A, b = ln B, e = ln E. */
export interface StartGrid {
  readonly alpha: readonly number[];
  readonly beta: readonly number[];
  readonly e: readonly number[];
  readonly a: readonly number[];
  readonly b: readonly number[];
}

/** Hoffmann et al. 2022 App. D.2: α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −.5, …, 1}, a, b ∈ {0, 5, …, 25}: 4,500 starts. */
export const CHINCHILLA_GRID: StartGrid = {
  alpha: [0, 0.5, 1, 1.5, 2],
  beta: [0, 0.5, 1, 1.5, 2],
  e: [-1, -0.5, 0, 0.5, 1],
  a: [0, 5, 10, 15, 20, 25],
  b: [0, 5, 10, 15, 20, 25],
};

/**
 * The default grid: 3⁵ = 243 starts spanning the same box as Chinchilla's. On the Chinchilla data it reaches the
 * same optimum as the full grid (test/scaling/approach3.test.ts checks this).
 */
export const DEFAULT_GRID: StartGrid = {
  alpha: [0, 1, 2],
  beta: [0, 1, 2],
  e: [-1, 0, 1],
  a: [0, 12.5, 25],
  b: [0, 12.5, 25],
};

export function gridSize(grid: StartGrid): number {
  return grid.alpha.length * grid.beta.length * grid.e.length * grid.a.length * grid.b.length;
}

export interface Approach3Options {
  /** Huber threshold on log residuals (Chinchilla: 1e-3). */
  readonly delta?: number;
  readonly grid?: StartGrid;
  /** Bootstrap resamples (0 = none). Each resample refits from the full-data optimum (as Besiroglu et al.). */
  readonly bootstrap?: number;
  readonly seed?: number;
  /** Central interval level for the bootstrap intervals (0.95 → 2.5th–97.5th percentiles). */
  readonly level?: number;
  /**
   * Relative objective decrease per iteration at which a grid start stops in the screening pass (default 1e-4:
   * most starts end in flat, poor regions and need no more). The best starts are then refined and polished, so
   * this trades time, not the optimum found (the 4,500-start test checks the same optimum).
   */
  readonly screenTolerance?: number;
  /** Relative objective decrease at which the refined starts stop (see refineFraction). */
  readonly refineTolerance?: number;
  /** Fraction of the screened starts (lowest objective first, at least 20) continued to refineTolerance. */
  readonly refineFraction?: number;
  /** Distinct screened candidates polished to full tolerance. */
  readonly polish?: number;
  /** Called every few hundred starts / resamples (the CLI draws progress on stderr). */
  readonly onProgress?: (stage: "grid" | "bootstrap", done: number, total: number) => void;
  /**
   * Called with the point estimate (the fit without its bootstrap) before the bootstrap starts: the web app shows
   * it at once, and the bootstrap refits from the same optimum instead of fitting the grid again.
   */
  readonly onPointEstimate?: (fit: Approach3Fit) => void;
}

export interface StartReport {
  readonly alpha: number;
  readonly beta: number;
  readonly e: number;
  readonly a: number;
  readonly b: number;
}

export interface Approach3Fit {
  readonly law: ChinchillaParams;
  /** Summed Huber objective at the optimum. */
  readonly objective: number;
  readonly points: number;
  readonly delta: number;
  readonly frontier: Frontier;
  readonly optimizer: {
    readonly starts: number;
    /** Starts whose screening run stopped on a tolerance (not on an iteration or evaluation limit). */
    readonly startsConverged: number;
    /** Refined starts whose objective came within 0.1 % of the best (the same basin; (A, B) lie in a flat valley). */
    readonly startsReachingBest: number;
    /** A start that reached the best optimum; an interior one when any did. */
    readonly bestStart: StartReport;
    /** True when every start that reached the best optimum lies on the edge of the grid. */
    readonly bestStartOnBoundary: boolean;
    /** True when the optimum [α, β, e, a, b] lies inside the box the grid spans (otherwise widen the grid). */
    readonly optimumInsideGrid: boolean;
    readonly evaluations: number;
    readonly gradNorm: number;
    readonly reason: string;
  };
  readonly residuals: {
    /** Root-mean-square of ln L̂ − ln L. */
    readonly rmsLog: number;
    readonly maxAbsLog: number;
  };
  readonly bootstrap?: {
    readonly resamples: number;
    readonly seed: number;
    readonly level: number;
    /** Resamples whose refit did not converge or had a non-positive exponent (excluded from the intervals). */
    readonly failed: number;
    /** [E, A, B, α, β] per converged resample: intervals of any derived quantity (predictions, N_opt) come from these. */
    readonly samples: ReadonlyArray<readonly [number, number, number, number, number]>;
  };
  readonly intervals?: {
    readonly E: [number, number];
    readonly A: [number, number];
    readonly B: [number, number];
    readonly alpha: [number, number];
    readonly beta: [number, number];
    readonly a: [number, number];
    readonly b: [number, number];
  };
}

const TIGHT = { fTolerance: 1e-14, gradTolerance: 1e-11, maxIterations: 2000, maxEvaluations: 10000 } as const;

/** Checks the points are usable for a 5-parameter law: enough of them, positive, and N and D both varying. */
export function validateRunPoints(points: readonly RunPoint[], minPoints: number): void {
  if (points.length < minPoints) {
    throw new InputError("points", points.length, `at least ${minPoints} runs to fit this law`, `points: ${points.length} runs are too few; the law needs at least ${minPoints}`);
  }
  points.forEach((p, i) => {
    for (const [field, v] of [["n", p.n], ["d", p.d], ["loss", p.loss]] as const) {
      if (!Number.isFinite(v) || v <= 0) throw new InputError(`points[${i}].${field}`, v, "a finite number > 0");
    }
  });
}

function distinctCount(values: Iterable<number>): number {
  return new Set(Array.from(values, (v) => v.toPrecision(6))).size;
}

/** Throws InputError unless N, D and the loss each vary between the points (else the law has nothing to fit). */
function requireVaryingPoints(points: readonly RunPoint[]): void {
  if (distinctCount(points.map((p) => p.n)) < 2) {
    throw new InputError("points.n", points[0]!.n, "runs at two or more model sizes", "points: every run has the same N; α and A cannot be fitted (need runs at two or more model sizes)");
  }
  if (distinctCount(points.map((p) => p.d)) < 2) {
    throw new InputError("points.d", points[0]!.d, "runs at two or more token counts", "points: every run has the same D; β and B cannot be fitted (need runs at two or more token counts)");
  }
  if (maxOf(points.map((p) => p.loss)) - minOf(points.map((p) => p.loss)) <= 1e-12 * points[0]!.loss) {
    throw new InputError("points.loss", points[0]!.loss, "losses that vary between runs", `points: every run has the same loss (${points[0]!.loss}); there is nothing to fit`);
  }
}

type Objective = ReturnType<typeof approach3Objective>;
type Minimum = ReturnType<typeof minimizeLbfgs>;
interface Screened {
  readonly f: number;
  readonly x: Float64Array;
  readonly start: StartReport;
  readonly onBoundary: boolean;
  readonly converged: boolean;
}
/** Objective evaluations summed over every pass. */
interface EvaluationCount {
  evaluations: number;
}

/** Screening pass: every start of the grid minimised to `tolerance`; the finite ones, best first. */
function screenGrid(fg: Objective, grid: StartGrid, tolerance: number, count: EvaluationCount, onProgress: Approach3Options["onProgress"]): { screened: Screened[]; startsConverged: number } {
  const total = gridSize(grid);
  const screened: Screened[] = [];
  let startsConverged = 0;
  const edge = (v: number, axis: readonly number[]) => v === minOf(axis) || v === maxOf(axis);
  for (const alpha of grid.alpha)
    for (const beta of grid.beta)
      for (const e of grid.e)
        for (const a of grid.a)
          for (const b of grid.b) {
            const r = minimizeLbfgs(fg, [a, b, e, alpha, beta], { fTolerance: tolerance, gradTolerance: 1e-10 });
            count.evaluations += r.evaluations;
            if (r.converged) startsConverged++;
            if (Number.isFinite(r.f)) {
              const onBoundary = edge(alpha, grid.alpha) || edge(beta, grid.beta) || edge(e, grid.e) || edge(a, grid.a) || edge(b, grid.b);
              screened.push({ f: r.f, x: r.x, start: { alpha, beta, e, a, b }, onBoundary, converged: r.converged });
            }
            if (onProgress && screened.length % 250 === 0) onProgress("grid", screened.length, total);
          }
  onProgress?.("grid", total, total);
  if (screened.length === 0) throw new ComputationError("Approach 3 fit failed: the objective was not finite at any start of the grid");
  screened.sort((p, q) => p.f - q.f);
  return { screened, startsConverged };
}

/**
 * Refinement pass: the best `fraction` of the screened starts (at least `atLeast`) continue to `tolerance`, so
 * that which starts share the best basin (and whether any of them is interior) is judged on well-converged points.
 * Re-sorts `screened` in place.
 */
function refineBest(fg: Objective, screened: Screened[], fraction: number, atLeast: number, tolerance: number, count: EvaluationCount): void {
  const refineCount = Math.min(screened.length, Math.max(atLeast, Math.ceil(fraction * screened.length)));
  for (let i = 0; i < refineCount; i++) {
    const cand = screened[i]!;
    const r = minimizeLbfgs(fg, cand.x, { fTolerance: tolerance, gradTolerance: 1e-10 });
    count.evaluations += r.evaluations;
    if (r.f <= cand.f) screened[i] = { ...cand, f: r.f, x: r.x };
  }
  screened.sort((p, q) => p.f - q.f);
}

/** Polishes the best `polishCount` distinct candidates to full tolerance and keeps the lowest. */
function polishBest(fg: Objective, screened: readonly Screened[], polishCount: number, count: EvaluationCount): Minimum {
  let best: Minimum | undefined;
  const polished: Float64Array[] = [];
  for (const cand of screened) {
    if (polished.length >= polishCount) break;
    if (polished.some((x) => maxAbsDiff(x, cand.x) < 1e-3)) continue;
    polished.push(cand.x);
    const r = minimizeLbfgs(fg, cand.x, TIGHT);
    count.evaluations += r.evaluations;
    if (best === undefined || r.f < best.f) best = r;
  }
  if (best === undefined) throw new ComputationError("Approach 3 fit failed: no start could be polished");
  return best;
}

/** The law at the polished optimum, or a ComputationError when it did not converge or is not a usable law. */
function acceptedLaw(best: Minimum): ChinchillaParams {
  // Converged means: stopped on a tolerance, or gradient small relative to the objective's scale.
  // A polish that stopped on a line-search failure at a tiny gradient (the Huber kinks) is still an optimum.
  const accepted = best.converged || best.gradNorm <= 1e-6;
  if (!accepted) {
    throw new ComputationError(`Approach 3 fit did not converge (${best.reason}, gradient norm ${best.gradNorm.toExponential(2)}); try more starts (--grid chinchilla) or check the data`);
  }
  const law = toParams(best.x);
  if (![law.E, law.A, law.B, law.alpha, law.beta].every(Number.isFinite)) {
    throw new ComputationError("Approach 3 fit failed: parameters are not finite (the data may not follow L = E + A/N^α + B/D^β)");
  }
  // A non-positive exponent means loss does not fall with N (or D) in these runs: the frontier is undefined.
  if (!(law.alpha > 0) || !(law.beta > 0)) {
    throw new ComputationError(`Approach 3 fit failed: the best fit has alpha = ${law.alpha.toPrecision(4)}, beta = ${law.beta.toPrecision(4)}; loss must fall with both N and D (check the columns and that runs are annealed)`);
  }
  return law;
}

/**
 * Chinchilla Approach 3 (Hoffmann et al. 2022 §3.3 and App. D.2, as corrected by Besiroglu et al. 2024):
 * minimise the summed Huber loss of log residuals over [a, b, e, α, β] with L-BFGS and analytic gradients from
 * every start of a grid, keep the best, then bootstrap. Throws InputError for unusable data and ComputationError
 * when no start converged.
 */
export function fitApproach3(points: readonly RunPoint[], options: Approach3Options = {}): Approach3Fit {
  validateRunPoints(points, 6);
  requireWithinBound("points", points.length, RUN_ROWS);
  requireVaryingPoints(points);
  const delta = options.delta ?? 1e-3;
  if (!(delta > 0) || !Number.isFinite(delta)) throw new InputError("delta", delta, "a finite number > 0");
  const resamples = requireWithinBound("bootstrap", options.bootstrap ?? 0, BOOTSTRAP_RESAMPLES);
  const grid = options.grid ?? DEFAULT_GRID;
  const data = toLogData(points);
  const fg = approach3Objective(data, delta);
  const count: EvaluationCount = { evaluations: 0 };
  const { screened, startsConverged } = screenGrid(fg, grid, options.screenTolerance ?? 1e-4, count, options.onProgress);
  refineBest(fg, screened, options.refineFraction ?? 0.1, 20, options.refineTolerance ?? 1e-7, count);
  const best = polishBest(fg, screened, options.polish ?? 5, count);
  const fBest = best.f;
  const reaching = screened.filter((s) => s.f <= fBest * (1 + 1e-3) + 1e-15);
  const interior = reaching.find((s) => !s.onBoundary);
  const bestStart = (interior ?? reaching[0] ?? screened[0]!).start;
  const law = acceptedLaw(best);
  const fit: Approach3Fit = {
    law,
    objective: fBest,
    points: points.length,
    delta,
    frontier: chinchillaFrontier(law),
    optimizer: {
      starts: gridSize(grid),
      startsConverged,
      startsReachingBest: reaching.length,
      bestStart,
      bestStartOnBoundary: interior === undefined,
      optimumInsideGrid: insideBox(best.x, grid),
      evaluations: count.evaluations,
      gradNorm: best.gradNorm,
      reason: best.reason,
    },
    residuals: residuals(law, data),
  };
  if (resamples === 0) return fit;
  options.onPointEstimate?.(fit);
  return { ...fit, ...bootstrapApproach3(data, best.x, delta, resamples, options.seed ?? 1, options.level ?? 0.95, options.onProgress) };
}

function insideBox(x: Float64Array, grid: StartGrid): boolean {
  const within = (v: number, axis: readonly number[]) => v >= minOf(axis) && v <= maxOf(axis);
  return within(x[0]!, grid.a) && within(x[1]!, grid.b) && within(x[2]!, grid.e) && within(x[3]!, grid.alpha) && within(x[4]!, grid.beta);
}

function toParams(x: Float64Array): ChinchillaParams {
  return { E: Math.exp(x[2]!), A: Math.exp(x[0]!), B: Math.exp(x[1]!), alpha: x[3]!, beta: x[4]! };
}

function maxAbsDiff(p: Float64Array, q: Float64Array): number {
  let m = 0;
  for (let i = 0; i < p.length; i++) m = Math.max(m, Math.abs(p[i]! - q[i]!));
  return m;
}

function residuals(law: ChinchillaParams, data: LogData): { rmsLog: number; maxAbsLog: number } {
  let ss = 0;
  let max = 0;
  const k = data.logN.length;
  for (let i = 0; i < k; i++) {
    const r = Math.log(chinchillaLoss(law, Math.exp(data.logN[i]!), Math.exp(data.logD[i]!))) - data.logL[i]!;
    ss += r * r;
    max = Math.max(max, Math.abs(r));
  }
  return { rmsLog: Math.sqrt(ss / k), maxAbsLog: max };
}

/**
 * Nonparametric bootstrap: resample the points with replacement (same size), refit from the full-data optimum
 * with L-BFGS (Besiroglu et al. 2024 refit each of their 4,000 resamples from the point estimate), and take
 * central percentile intervals. Resamples are multiplicity weights, so no data is copied.
 */
function bootstrapApproach3(
  data: LogData,
  x0: Float64Array,
  delta: number,
  resamples: number,
  seed: number,
  level: number,
  onProgress: Approach3Options["onProgress"],
): Pick<Approach3Fit, "bootstrap" | "intervals"> {
  const k = data.logN.length;
  const counts = new Float64Array(k);
  const fg = approach3Objective(data, delta, counts);
  const random = seededRandom(seed);
  const samples: Array<[number, number, number, number, number]> = [];
  let failed = 0;
  for (let j = 0; j < resamples; j++) {
    resampleCounts(k, random, counts);
    const r = minimizeLbfgs(fg, x0, { fTolerance: 1e-12, gradTolerance: 1e-11 });
    const p = toParams(r.x);
    if (r.converged && [p.E, p.A, p.B, p.alpha, p.beta].every(Number.isFinite) && p.alpha > 0 && p.beta > 0) samples.push([p.E, p.A, p.B, p.alpha, p.beta]);
    else failed++;
    if (onProgress && (j + 1) % 100 === 0) onProgress("bootstrap", j + 1, resamples);
  }
  if (samples.length < 2) throw new ComputationError(`bootstrap failed: only ${samples.length} of ${resamples} resamples converged`);
  const col = (i: number) => samples.map((s) => s[i]!);
  const aExp = samples.map((s) => s[4] / (s[3] + s[4]));
  const bExp = samples.map((s) => s[3] / (s[3] + s[4]));
  return {
    bootstrap: { resamples, seed, level, failed, samples },
    intervals: {
      E: centralInterval(col(0), level),
      A: centralInterval(col(1), level),
      B: centralInterval(col(2), level),
      alpha: centralInterval(col(3), level),
      beta: centralInterval(col(4), level),
      a: centralInterval(aExp, level),
      b: centralInterval(bExp, level),
    },
  };
}

/** Loss predicted by a fit at (N, D), with the bootstrap interval when the fit has samples. */
export function predictWithInterval(fit: Pick<Approach3Fit, "law" | "bootstrap">, n: number, d: number): { loss: number; interval?: [number, number] } {
  const loss = chinchillaLoss(fit.law, n, d);
  if (!fit.bootstrap || fit.bootstrap.samples.length < 2) return { loss };
  const values = fit.bootstrap.samples.map(([E, A, B, alpha, beta]) => chinchillaLoss({ E, A, B, alpha, beta }, n, d));
  return { loss, interval: centralInterval(values, fit.bootstrap.level) };
}
