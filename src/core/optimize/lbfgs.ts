import { DEFAULT_LINE_SEARCH, lineSearchWorkspace, strongWolfeLineSearch, type LineSearchOptions } from "./line-search.ts";
import type { MinimizeResult, ObjectiveWithGradient, StopReason } from "./types.ts";
import { allFinite, copy, dot, norm } from "./vector.ts";

export interface LbfgsOptions {
  /** Correction pairs kept (m in N&W Alg. 7.5); 5–20 is typical. */
  readonly memory?: number;
  readonly maxIterations?: number;
  /** Objective+gradient evaluations allowed in total. */
  readonly maxEvaluations?: number;
  /** Stop when ‖∇f‖₂ ≤ gradTolerance. */
  readonly gradTolerance?: number;
  /**
   * Stop when the relative decrease (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|) ≤ fTolerance. Relative without a
   * floor of 1 on purpose: objectives with a small natural scale (a sum of Huber terms ≈ 1e-3) must not stop
   * early — the failure Besiroglu et al. (2024) found in the original Chinchilla fit.
   */
  readonly fTolerance?: number;
  /** Stop when the step ‖x_{k+1} − x_k‖ ≤ stepTolerance · (1 + ‖x_k‖). */
  readonly stepTolerance?: number;
  readonly lineSearch?: Partial<LineSearchOptions>;
  /**
   * Called after every iteration with the new iterate (do not keep a reference: the array is reused). Return true
   * to stop; the result then has converged = false and reason "stopped by callback".
   */
  readonly onIteration?: (x: Float64Array, f: number, iteration: number) => boolean | void;
}

export const DEFAULT_LBFGS = {
  memory: 10,
  maxIterations: 1000,
  maxEvaluations: 5000,
  gradTolerance: 1e-9,
  fTolerance: 1e-13,
  stepTolerance: 1e-14,
} as const;

/**
 * The m most recent correction pairs s = x⁺ − x, y = g⁺ − g with ρ = 1/sᵀy, in a ring buffer (N&W Alg. 7.4).
 * Pair j occupies entries j·n … j·n + n − 1 of one array per vector: two allocations per minimisation instead of
 * 2m (a multi-start fit runs hundreds of minimisations, and a fresh worker pays for every typed array it makes).
 */
class CorrectionPairs {
  private readonly s: Float64Array;
  private readonly y: Float64Array;
  private readonly rho: Float64Array;
  private readonly alpha: Float64Array;
  /** Number of valid pairs. */
  stored = 0;
  /** Next slot to write. */
  private head = 0;
  private readonly m: number;
  private readonly n: number;

  constructor(m: number, n: number) {
    this.m = m;
    this.n = n;
    this.s = new Float64Array(m * n);
    this.y = new Float64Array(m * n);
    this.rho = new Float64Array(m);
    this.alpha = new Float64Array(m);
  }

  /**
   * d = −H∇f by the two-loop recursion, with H₀ = γI, γ = sᵀy / yᵀy (N&W eq. 7.20). Returns the line search's
   * first trial step: 1, or (without pairs) a step moving x by at most ~1 unit.
   */
  direction(g: Float64Array, d: Float64Array): number {
    const { s, y, rho, alpha, m, n, head, stored } = this;
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = 0; k < stored; k++) {
      const j = (head - 1 - k + m) % m;
      const a = rho[j]! * dotAt(s, j * n, d, n);
      alpha[j] = a;
      axpyAt(-a, y, j * n, d, n);
    }
    let initialStep = 1;
    if (stored > 0) {
      const j = (head - 1 + m) % m;
      let yy = 0;
      for (let i = j * n; i < j * n + n; i++) yy += y[i]! * y[i]!;
      const gamma = 1 / (rho[j]! * yy); // sᵀy / yᵀy (N&W eq. 7.20)
      for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
    } else {
      initialStep = Math.min(1, 1 / norm(g));
    }
    for (let k = stored - 1; k >= 0; k--) {
      const j = (head - 1 - k + m) % m;
      const b = rho[j]! * dotAt(y, j * n, d, n);
      axpyAt(alpha[j]! - b, s, j * n, d, n);
    }
    return initialStep;
  }

  /**
   * Writes the pair from (x, g) to (xNext, gNext) into the next slot and keeps it only with positive curvature
   * (always true after a successful strong-Wolfe search). Returns ‖s‖².
   */
  record(x: Float64Array, g: Float64Array, xNext: Float64Array, gNext: Float64Array): number {
    const { s, y, n } = this;
    const o = this.head * n;
    let stepNorm2 = 0;
    for (let i = 0; i < n; i++) {
      s[o + i] = xNext[i]! - x[i]!;
      y[o + i] = gNext[i]! - g[i]!;
      stepNorm2 += s[o + i]! * s[o + i]!;
    }
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) sy += s[o + i]! * y[o + i]!;
    for (let i = 0; i < n; i++) yy += y[o + i]! * y[o + i]!;
    if (sy > 1e-16 * Math.sqrt(stepNorm2) * Math.sqrt(yy)) {
      this.rho[this.head] = 1 / sy;
      this.head = (this.head + 1) % this.m;
      this.stored = Math.min(this.stored + 1, this.m);
    }
    return stepNorm2;
  }
}

/** Σ a[from + i]·b[i] for i < n, in index order (as dot). */
function dotAt(a: Float64Array, from: number, b: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[from + i]! * b[i]!;
  return sum;
}

/** y[i] ← y[i] + a·x[from + i] for i < n (as axpy). */
function axpyAt(a: number, x: Float64Array, from: number, y: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] = y[i]! + a * x[from + i]!;
}

/** The pairs' direction into `d`, or steepest descent (and a reset memory) when that is not a descent direction. */
function descentDirection(pairs: CorrectionPairs, g: Float64Array, d: Float64Array): { initialStep: number; slope: number } {
  let initialStep = pairs.direction(g, d);
  let slope = dot(g, d);
  if (!(slope < 0)) {
    // Not a descent direction (numerical trouble): restart from steepest descent.
    for (let i = 0; i < g.length; i++) d[i] = -g[i]!;
    slope = dot(g, d);
    pairs.stored = 0;
    initialStep = Math.min(1, 1 / norm(g));
  }
  return { initialStep, slope };
}

type Settings = Required<Omit<LbfgsOptions, "lineSearch" | "onIteration">> & { readonly lineSearch: LineSearchOptions };

function settings(options: LbfgsOptions): Settings {
  return {
    memory: options.memory ?? DEFAULT_LBFGS.memory,
    maxIterations: options.maxIterations ?? DEFAULT_LBFGS.maxIterations,
    maxEvaluations: options.maxEvaluations ?? DEFAULT_LBFGS.maxEvaluations,
    gradTolerance: options.gradTolerance ?? DEFAULT_LBFGS.gradTolerance,
    fTolerance: options.fTolerance ?? DEFAULT_LBFGS.fTolerance,
    stepTolerance: options.stepTolerance ?? DEFAULT_LBFGS.stepTolerance,
    lineSearch: { ...DEFAULT_LINE_SEARCH, ...options.lineSearch },
  };
}

/** The tolerance an accepted step met (‖∇f‖, relative decrease, step length), or undefined. */
function toleranceMet(o: Settings, gradNorm: number, fPrev: number, f: number, stepNorm2: number, xNorm: number): StopReason | undefined {
  if (gradNorm <= o.gradTolerance) return "gradient tolerance";
  if (fPrev - f <= o.fTolerance * Math.max(Math.abs(fPrev), Math.abs(f))) return "function tolerance";
  if (Math.sqrt(stepNorm2) <= o.stepTolerance * (1 + xNorm)) return "step tolerance";
  return undefined;
}

/**
 * Limited-memory BFGS (Nocedal & Wright 2006, Alg. 7.4 two-loop recursion inside Alg. 7.5) with a strong-Wolfe
 * line search (Alg. 3.5/3.6). Unconstrained; constrain through the parametrisation (log space, softplus).
 * Allocates its workspace once per call; never throws on non-convergence (see `converged` and `reason`).
 * A line search that fails once resets the memory and retries along −∇f before giving up.
 */
export function minimizeLbfgs(fg: ObjectiveWithGradient, x0: ArrayLike<number>, options: LbfgsOptions = {}): MinimizeResult {
  const o = settings(options);
  const ls = o.lineSearch;
  // The per-search options: the evaluation budget shrinks to what is left of maxEvaluations.
  const search = { c1: ls.c1, c2: ls.c2, maxStep: ls.maxStep, maxEvaluations: ls.maxEvaluations };
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const pairs = new CorrectionPairs(o.memory, n);
  const ws = lineSearchWorkspace(n);

  let f = fg(x, g);
  let evaluations = 1;
  let iterations = 0;
  const done = (converged: boolean, reason: StopReason): MinimizeResult => ({
    x: Float64Array.from(x),
    f,
    gradNorm: norm(g),
    iterations,
    evaluations,
    converged,
    reason,
  });

  if (!Number.isFinite(f) || !allFinite(g)) return done(false, "non-finite objective at start");
  if (norm(g) <= o.gradTolerance) return done(true, "gradient tolerance");

  let retried = false;
  while (iterations < o.maxIterations) {
    const { initialStep, slope } = descentDirection(pairs, g, d);
    const remaining = o.maxEvaluations - evaluations;
    if (remaining <= 0) return done(false, "max evaluations");
    search.maxEvaluations = Math.min(ls.maxEvaluations, remaining);
    const result = strongWolfeLineSearch(fg, x, d, f, slope, initialStep, ws, search);
    evaluations += result.evaluations;
    if (!result.ok && result.step === 0) {
      if (pairs.stored > 0 && !retried) {
        pairs.stored = 0;
        retried = true;
        continue;
      }
      return done(false, evaluations >= o.maxEvaluations ? "max evaluations" : "line search failed");
    }
    iterations++;
    const stepNorm2 = pairs.record(x, g, ws.xOut, ws.gOut);
    const fPrev = f;
    const xNorm = norm(x);
    copy(ws.xOut, x);
    copy(ws.gOut, g);
    f = result.f;
    retried = false;

    const met = toleranceMet(o, norm(g), fPrev, f, stepNorm2, xNorm);
    if (met !== undefined) return done(true, met);
    if (!result.ok && evaluations >= o.maxEvaluations) return done(false, "max evaluations");
    if (options.onIteration?.(x, f, iterations) === true) return done(false, "stopped by callback");
  }
  return done(false, "max iterations");
}
