import type { MinimizeResult, Objective, StopReason } from "./types.ts";

export interface NelderMeadOptions {
  readonly maxIterations?: number;
  readonly maxEvaluations?: number;
  /** Stop when max |f_i − f_best| over the simplex ≤ fTolerance. */
  readonly fTolerance?: number;
  /** …and max |x_i − x_best| (∞-norm) over the simplex ≤ xTolerance. */
  readonly xTolerance?: number;
  /** Initial simplex edge relative to |x0_i| (absolute 0.00025 where x0_i = 0), as in SciPy's fmin. */
  readonly initialStep?: number;
}

/**
 * Derivative-free Nelder–Mead simplex (Lagarias et al. 1998 conventions) with the dimension-adaptive
 * coefficients of Gao & Han (2012), which behave better than the classic (1, 2, ½, ½) beyond a few dimensions.
 * Used as a fallback for non-smooth objectives and as a cross-check of L-BFGS results. Never throws.
 * Non-finite objective values count as +∞ (the simplex moves away from them).
 */
export function minimizeNelderMead(f: Objective, x0: ArrayLike<number>, options: NelderMeadOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 200 * Math.max(1, n);
  const maxEvaluations = options.maxEvaluations ?? 400 * Math.max(1, n);
  const ftol = options.fTolerance ?? 1e-10;
  const xtol = options.xTolerance ?? 1e-10;
  const initialStep = options.initialStep ?? 0.05;
  const rhoR = 1;
  const chi = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const sigma = 1 - 1 / n;

  let evaluations = 0;
  const evalAt = (p: Float64Array): number => {
    evaluations++;
    const v = f(p);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const simplex: Float64Array[] = [];
  const values: number[] = [];
  const start = Float64Array.from(x0);
  simplex.push(start);
  values.push(evalAt(start));
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0);
    p[i] = p[i]! !== 0 ? p[i]! * (1 + initialStep) : 0.00025;
    simplex.push(p);
    values.push(evalAt(p));
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  let iterations = 0;
  const sort = () => order.sort((a, b) => values[a]! - values[b]!);
  const done = (converged: boolean, reason: StopReason): MinimizeResult => {
    sort();
    const best = order[0]!;
    return { x: Float64Array.from(simplex[best]!), f: values[best]!, gradNorm: Number.NaN, iterations, evaluations, converged, reason };
  };
  if (!Number.isFinite(values[0]!)) return done(false, "non-finite objective at start");

  while (true) {
    sort();
    const best = order[0]!;
    const worst = order[n]!;
    const secondWorst = order[n - 1] ?? best;
    let fSpread = 0;
    let xSpread = 0;
    for (let k = 1; k <= n; k++) {
      const j = order[k]!;
      fSpread = Math.max(fSpread, Math.abs(values[j]! - values[best]!));
      for (let i = 0; i < n; i++) xSpread = Math.max(xSpread, Math.abs(simplex[j]![i]! - simplex[best]![i]!));
    }
    if (fSpread <= ftol && xSpread <= xtol) return done(true, "function tolerance");
    if (iterations >= maxIterations) return done(false, "max iterations");
    if (evaluations >= maxEvaluations) return done(false, "max evaluations");
    iterations++;

    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const p = simplex[order[k]!]!;
      for (let i = 0; i < n; i++) centroid[i] = centroid[i]! + p[i]! / n;
    }
    const pw = simplex[worst]!;
    for (let i = 0; i < n; i++) xr[i] = centroid[i]! + rhoR * (centroid[i]! - pw[i]!);
    const fr = evalAt(xr);
    if (fr < values[best]!) {
      for (let i = 0; i < n; i++) xe[i] = centroid[i]! + chi * (xr[i]! - centroid[i]!);
      const fe = evalAt(xe);
      if (fe < fr) {
        pw.set(xe);
        values[worst] = fe;
      } else {
        pw.set(xr);
        values[worst] = fr;
      }
      continue;
    }
    if (fr < values[secondWorst]!) {
      pw.set(xr);
      values[worst] = fr;
      continue;
    }
    // Contraction: outside if the reflected point beats the worst, inside otherwise.
    const outside = fr < values[worst]!;
    for (let i = 0; i < n; i++) {
      xc[i] = outside ? centroid[i]! + gamma * (xr[i]! - centroid[i]!) : centroid[i]! - gamma * (centroid[i]! - pw[i]!);
    }
    const fc = evalAt(xc);
    if (outside ? fc <= fr : fc < values[worst]!) {
      pw.set(xc);
      values[worst] = fc;
      continue;
    }
    // Shrink towards the best vertex.
    const pb = simplex[best]!;
    for (let k = 1; k <= n; k++) {
      const j = order[k]!;
      const p = simplex[j]!;
      for (let i = 0; i < n; i++) p[i] = pb[i]! + sigma * (p[i]! - pb[i]!);
      values[j] = evalAt(p);
    }
  }
}
