import type { ObjectiveWithGradient } from "./types.ts";
import { copy } from "./vector.ts";

/** Settings of the strong-Wolfe line search (Nocedal & Wright 2006, Alg. 3.5 and 3.6). */
export interface LineSearchOptions {
  /** Sufficient-decrease constant c1 (N&W use 1e-4). */
  readonly c1: number;
  /** Curvature constant c2 (0.9 for quasi-Newton methods, N&W §3.1). */
  readonly c2: number;
  /** Largest step tried. */
  readonly maxStep: number;
  /** Objective evaluations allowed in one line search. */
  readonly maxEvaluations: number;
}

export const DEFAULT_LINE_SEARCH: LineSearchOptions = { c1: 1e-4, c2: 0.9, maxStep: 1e10, maxEvaluations: 40 };

/**
 * Pre-allocated buffers and counters for one minimisation: the line search writes the accepted point into
 * xOut/gOut without allocating, and keeps its per-search state here rather than in closures (it runs once per
 * L-BFGS iteration, ~10⁴ times in a multi-start fit).
 */
export class LineSearchWorkspace {
  readonly xOut: Float64Array;
  readonly gOut: Float64Array;
  readonly xBest: Float64Array;
  readonly gBest: Float64Array;
  /** Evaluations of the current search. */
  evaluations = 0;
  /** Lowest point of the current search (step 0 = the start). */
  bestStep = 0;
  bestF = 0;
  /** Objective and directional derivative at the last trial step. */
  f = 0;
  dphi = 0;

  constructor(n: number) {
    this.xOut = new Float64Array(n);
    this.gOut = new Float64Array(n);
    this.xBest = new Float64Array(n);
    this.gBest = new Float64Array(n);
  }
}

export function lineSearchWorkspace(n: number): LineSearchWorkspace {
  return new LineSearchWorkspace(n);
}

export interface LineSearchResult {
  /** True when the returned step satisfies both strong-Wolfe conditions. */
  readonly ok: boolean;
  readonly step: number;
  readonly f: number;
  readonly evaluations: number;
}

/**
 * Strong-Wolfe line search along direction d from x (f0 = f(x), dphi0 = ∇f(x)·d < 0), N&W Alg. 3.5 with the
 * zoom of Alg. 3.6 and safeguarded cubic interpolation (N&W eq. 3.59). A non-finite objective is treated as
 * "too far": the step is shrunk, never accepted. On success the accepted point and gradient are in ws.xOut/ws.gOut.
 * On failure (ok = false) xOut/gOut hold the lowest point seen if it decreased f (step > 0), else step = 0.
 */
export function strongWolfeLineSearch(
  fg: ObjectiveWithGradient,
  x: Float64Array,
  d: Float64Array,
  f0: number,
  dphi0: number,
  initialStep: number,
  ws: LineSearchWorkspace,
  options: LineSearchOptions = DEFAULT_LINE_SEARCH,
): LineSearchResult {
  const { c1, c2, maxStep, maxEvaluations } = options;
  ws.evaluations = 0;
  ws.bestStep = 0;
  ws.bestF = f0;

  // Alg. 3.5: bracketing phase with growing steps.
  let prevStep = 0;
  let prevF = f0;
  let prevD = dphi0;
  let step = Math.min(initialStep, maxStep);
  for (let i = 1; ws.evaluations < maxEvaluations; i++) {
    evaluateAt(fg, x, d, step, ws);
    const f = ws.f;
    const dphi = ws.dphi;
    if (!Number.isFinite(f) || f > f0 + c1 * step * dphi0 || (i > 1 && f >= prevF)) {
      return zoom(fg, x, d, f0, dphi0, ws, options, prevStep, prevF, prevD, step, f, dphi);
    }
    if (Math.abs(dphi) <= -c2 * dphi0) return { ok: true, step, f, evaluations: ws.evaluations };
    if (dphi >= 0) return zoom(fg, x, d, f0, dphi0, ws, options, step, f, dphi, prevStep, prevF, prevD);
    if (step >= maxStep) return fail(ws);
    prevStep = step;
    prevF = f;
    prevD = dphi;
    step = Math.min(2 * step, maxStep);
  }
  return fail(ws);
}

/** Evaluates f and ∇f·d at x + step·d into ws (f, dphi, xOut, gOut), remembering the lowest finite point. */
function evaluateAt(fg: ObjectiveWithGradient, x: Float64Array, d: Float64Array, step: number, ws: LineSearchWorkspace): void {
  const n = x.length;
  const xo = ws.xOut;
  const go = ws.gOut;
  for (let i = 0; i < n; i++) xo[i] = x[i]! + step * d[i]!;
  const f = fg(xo, go);
  ws.evaluations++;
  let dphi = 0;
  for (let i = 0; i < n; i++) dphi += go[i]! * d[i]!;
  if (Number.isFinite(f) && f < ws.bestF) {
    ws.bestF = f;
    ws.bestStep = step;
    copy(xo, ws.xBest);
    copy(go, ws.gBest);
  }
  ws.f = f;
  ws.dphi = dphi;
}

function fail(ws: LineSearchWorkspace): LineSearchResult {
  if (ws.bestStep > 0) {
    copy(ws.xBest, ws.xOut);
    copy(ws.gBest, ws.gOut);
  }
  return { ok: false, step: ws.bestStep, f: ws.bestF, evaluations: ws.evaluations };
}

/** Alg. 3.6: zoom between lo (satisfies sufficient decrease, lowest so far) and hi. */
function zoom(
  fg: ObjectiveWithGradient,
  x: Float64Array,
  d: Float64Array,
  f0: number,
  dphi0: number,
  ws: LineSearchWorkspace,
  options: LineSearchOptions,
  lo: number,
  fLo: number,
  dLo: number,
  hi: number,
  fHi: number,
  dHi: number,
): LineSearchResult {
  const { c1, c2, maxEvaluations } = options;
  while (ws.evaluations < maxEvaluations) {
    const step = interpolate(lo, fLo, dLo, hi, fHi, dHi);
    if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) return fail(ws);
    evaluateAt(fg, x, d, step, ws);
    const f = ws.f;
    const dphi = ws.dphi;
    if (!Number.isFinite(f) || f > f0 + c1 * step * dphi0 || f >= fLo) {
      hi = step;
      fHi = f;
      dHi = dphi;
    } else {
      if (Math.abs(dphi) <= -c2 * dphi0) return { ok: true, step, f, evaluations: ws.evaluations };
      if (dphi * (hi - lo) >= 0) {
        hi = lo;
        fHi = fLo;
        dHi = dLo;
      }
      lo = step;
      fLo = f;
      dLo = dphi;
    }
  }
  return fail(ws);
}

/**
 * Minimiser of the cubic through (a, fa, da) and (b, fb, db) (N&W eq. 3.59), kept at least 10 % of the interval
 * away from both ends; bisection when the cubic is unusable (non-finite values, no real minimiser).
 */
function interpolate(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const margin = 0.1 * (hi - lo);
  const mid = 0.5 * (a + b);
  if (!Number.isFinite(fb) || !Number.isFinite(db)) {
    // Outside the domain at b: step back towards a, but not all the way (a sequence of halvings).
    return mid;
  }
  const d1 = da + db - 3 * ((fa - fb) / (a - b));
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return mid;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  const t = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
  if (!Number.isFinite(t) || t < lo + margin || t > hi - margin) return mid;
  return t;
}
