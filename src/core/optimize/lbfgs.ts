import { DEFAULT_LINE_SEARCH, lineSearchWorkspace, strongWolfeLineSearch, type LineSearchOptions } from "./line-search.ts";
import type { MinimizeResult, ObjectiveWithGradient, StopReason } from "./types.ts";
import { allFinite, axpy, copy, dot, norm } from "./vector.ts";

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
 * Limited-memory BFGS (Nocedal & Wright 2006, Alg. 7.4 two-loop recursion inside Alg. 7.5) with a strong-Wolfe
 * line search (Alg. 3.5/3.6). Unconstrained; constrain through the parametrisation (log space, softplus).
 * Allocates its workspace once per call; never throws on non-convergence (see `converged` and `reason`).
 * A line search that fails once resets the memory and retries along −∇f before giving up.
 */
export function minimizeLbfgs(fg: ObjectiveWithGradient, x0: ArrayLike<number>, options: LbfgsOptions = {}): MinimizeResult {
  const m = options.memory ?? DEFAULT_LBFGS.memory;
  const maxIterations = options.maxIterations ?? DEFAULT_LBFGS.maxIterations;
  const maxEvaluations = options.maxEvaluations ?? DEFAULT_LBFGS.maxEvaluations;
  const gtol = options.gradTolerance ?? DEFAULT_LBFGS.gradTolerance;
  const ftol = options.fTolerance ?? DEFAULT_LBFGS.fTolerance;
  const xtol = options.stepTolerance ?? DEFAULT_LBFGS.stepTolerance;
  const ls: LineSearchOptions = { ...DEFAULT_LINE_SEARCH, ...options.lineSearch };
  // The per-search options: the evaluation budget shrinks to what is left of maxEvaluations.
  const search = { c1: ls.c1, c2: ls.c2, maxStep: ls.maxStep, maxEvaluations: ls.maxEvaluations };

  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const s = Array.from({ length: m }, () => new Float64Array(n));
  const y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  const ws = lineSearchWorkspace(n);

  let f = fg(x, g);
  let evaluations = 1;
  let iterations = 0;
  let stored = 0; // number of valid pairs
  let head = 0; // next slot to write
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
  if (norm(g) <= gtol) return done(true, "gradient tolerance");

  let retried = false;
  while (iterations < maxIterations) {
    // Two-loop recursion: d = −H∇f.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = 0; k < stored; k++) {
      const j = (head - 1 - k + m) % m;
      const a = rho[j]! * dot(s[j]!, d);
      alpha[j] = a;
      axpy(-a, y[j]!, d);
    }
    let initialStep = 1;
    if (stored > 0) {
      const j = (head - 1 + m) % m;
      const yy = dot(y[j]!, y[j]!);
      const gamma = 1 / (rho[j]! * yy); // sᵀy / yᵀy (N&W eq. 7.20)
      for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
    } else {
      // First step (or after a reset): scale so the first trial moves x by at most ~1 unit.
      initialStep = Math.min(1, 1 / norm(g));
    }
    for (let k = stored - 1; k >= 0; k--) {
      const j = (head - 1 - k + m) % m;
      const b = rho[j]! * dot(y[j]!, d);
      axpy(alpha[j]! - b, s[j]!, d);
    }
    let dphi0 = dot(g, d);
    if (!(dphi0 < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      dphi0 = dot(g, d);
      stored = 0;
      initialStep = Math.min(1, 1 / norm(g));
    }

    const remaining = maxEvaluations - evaluations;
    if (remaining <= 0) return done(false, "max evaluations");
    search.maxEvaluations = Math.min(ls.maxEvaluations, remaining);
    const result = strongWolfeLineSearch(fg, x, d, f, dphi0, initialStep, ws, search);
    evaluations += result.evaluations;
    if (!result.ok && result.step === 0) {
      if (stored > 0 && !retried) {
        stored = 0;
        retried = true;
        continue;
      }
      return done(false, evaluations >= maxEvaluations ? "max evaluations" : "line search failed");
    }
    iterations++;

    // New correction pair s = x⁺ − x, y = g⁺ − g, written into the ring buffer.
    const sj = s[head]!;
    const yj = y[head]!;
    let stepNorm2 = 0;
    for (let i = 0; i < n; i++) {
      sj[i] = ws.xOut[i]! - x[i]!;
      yj[i] = ws.gOut[i]! - g[i]!;
      stepNorm2 += sj[i]! * sj[i]!;
    }
    const sy = dot(sj, yj);
    const fPrev = f;
    const xNorm = norm(x);
    copy(ws.xOut, x);
    copy(ws.gOut, g);
    f = result.f;
    // Keep the pair only with positive curvature (always true after a successful strong-Wolfe search).
    if (sy > 1e-16 * Math.sqrt(stepNorm2) * norm(yj)) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      stored = Math.min(stored + 1, m);
    }
    retried = false;

    if (norm(g) <= gtol) return done(true, "gradient tolerance");
    if (fPrev - f <= ftol * Math.max(Math.abs(fPrev), Math.abs(f))) return done(true, "function tolerance");
    if (Math.sqrt(stepNorm2) <= xtol * (1 + xNorm)) return done(true, "step tolerance");
    if (!result.ok && evaluations >= maxEvaluations) return done(false, "max evaluations");
    if (options.onIteration?.(x, f, iterations) === true) return done(false, "stopped by callback");
  }
  return done(false, "max iterations");
}
