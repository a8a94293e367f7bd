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
 * The simplex's n + 1 vertices and their objective values (non-finite values count as +∞, so the simplex moves
 * away from them), with the vertex order best first after sort().
 */
class Simplex {
  readonly vertices: Float64Array[] = [];
  readonly values: number[] = [];
  readonly order: number[];
  evaluations = 0;
  private readonly f: Objective;

  /** x0 and, per axis, x0 moved by `initialStep` relative (absolute 0.00025 where x0_i = 0), as SciPy's fmin. */
  constructor(f: Objective, x0: ArrayLike<number>, initialStep: number) {
    this.f = f;
    const n = x0.length;
    const start = Float64Array.from(x0);
    this.vertices.push(start);
    this.values.push(this.evaluate(start));
    for (let i = 0; i < n; i++) {
      const p = Float64Array.from(x0);
      p[i] = p[i]! !== 0 ? p[i]! * (1 + initialStep) : 0.00025;
      this.vertices.push(p);
      this.values.push(this.evaluate(p));
    }
    this.order = Array.from({ length: n + 1 }, (_, i) => i);
  }

  evaluate(p: Float64Array): number {
    this.evaluations++;
    const v = this.f(p);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  }

  sort(): void {
    this.order.sort((a, b) => this.values[a]! - this.values[b]!);
  }

  /** Whether every vertex lies within fTolerance (in f) and xTolerance (∞-norm in x) of the best. Needs sort(). */
  collapsed(fTolerance: number, xTolerance: number): boolean {
    const { vertices, values, order } = this;
    const best = order[0]!;
    const n = order.length - 1;
    let fSpread = 0;
    let xSpread = 0;
    for (let k = 1; k <= n; k++) {
      const j = order[k]!;
      fSpread = Math.max(fSpread, Math.abs(values[j]! - values[best]!));
      for (let i = 0; i < n; i++) xSpread = Math.max(xSpread, Math.abs(vertices[j]![i]! - vertices[best]![i]!));
    }
    return fSpread <= fTolerance && xSpread <= xTolerance;
  }

  /** The centroid of every vertex but the worst, into `out`. Needs sort(). */
  centroid(out: Float64Array): void {
    const n = out.length;
    out.fill(0);
    for (let k = 0; k < n; k++) {
      const p = this.vertices[this.order[k]!]!;
      for (let i = 0; i < n; i++) out[i] = out[i]! + p[i]! / n;
    }
  }

  replaceWorst(p: Float64Array, value: number): void {
    const worst = this.order[this.order.length - 1]!;
    this.vertices[worst]!.set(p);
    this.values[worst] = value;
  }

  /** Moves every vertex towards the best by `sigma`. Needs sort(). */
  shrink(sigma: number): void {
    const pb = this.vertices[this.order[0]!]!;
    for (let k = 1; k < this.order.length; k++) {
      const j = this.order[k]!;
      const p = this.vertices[j]!;
      for (let i = 0; i < p.length; i++) p[i] = pb[i]! + sigma * (p[i]! - pb[i]!);
      this.values[j] = this.evaluate(p);
    }
  }
}

/** Gao & Han (2012) dimension-adaptive coefficients: reflection 1, expansion 1 + 2/n, contraction 0.75 − 1/(2n), shrink 1 − 1/n. */
interface Coefficients {
  readonly reflect: number;
  readonly expand: number;
  readonly contract: number;
  readonly shrink: number;
}

function adaptiveCoefficients(n: number): Coefficients {
  return { reflect: 1, expand: 1 + 2 / n, contract: 0.75 - 1 / (2 * n), shrink: 1 - 1 / n };
}

/** Work arrays of one iteration: centroid, reflected, expanded and contracted points. */
interface Trials {
  readonly centroid: Float64Array;
  readonly xr: Float64Array;
  readonly xe: Float64Array;
  readonly xc: Float64Array;
}

/** One Nelder–Mead iteration on a sorted simplex: reflect, then expand, accept, contract or shrink. */
function iterate(simplex: Simplex, c: Coefficients, t: Trials): void {
  const { centroid, xr, xe, xc } = t;
  const n = centroid.length;
  const { order, values, vertices } = simplex;
  const best = order[0]!;
  const worst = order[n]!;
  const secondWorst = order[n - 1] ?? best;
  simplex.centroid(centroid);
  const pw = vertices[worst]!;
  for (let i = 0; i < n; i++) xr[i] = centroid[i]! + c.reflect * (centroid[i]! - pw[i]!);
  const fr = simplex.evaluate(xr);
  if (fr < values[best]!) {
    for (let i = 0; i < n; i++) xe[i] = centroid[i]! + c.expand * (xr[i]! - centroid[i]!);
    const fe = simplex.evaluate(xe);
    if (fe < fr) simplex.replaceWorst(xe, fe);
    else simplex.replaceWorst(xr, fr);
    return;
  }
  if (fr < values[secondWorst]!) {
    simplex.replaceWorst(xr, fr);
    return;
  }
  // Contraction: outside if the reflected point beats the worst, inside otherwise.
  const outside = fr < values[worst]!;
  for (let i = 0; i < n; i++) {
    xc[i] = outside ? centroid[i]! + c.contract * (xr[i]! - centroid[i]!) : centroid[i]! - c.contract * (centroid[i]! - pw[i]!);
  }
  const fc = simplex.evaluate(xc);
  if (outside ? fc <= fr : fc < values[worst]!) {
    simplex.replaceWorst(xc, fc);
    return;
  }
  simplex.shrink(c.shrink);
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
  const coefficients = adaptiveCoefficients(n);
  const simplex = new Simplex(f, x0, options.initialStep ?? 0.05);
  const trials: Trials = { centroid: new Float64Array(n), xr: new Float64Array(n), xe: new Float64Array(n), xc: new Float64Array(n) };
  let iterations = 0;
  const done = (converged: boolean, reason: StopReason): MinimizeResult => {
    simplex.sort();
    const best = simplex.order[0]!;
    return { x: Float64Array.from(simplex.vertices[best]!), f: simplex.values[best]!, gradNorm: Number.NaN, iterations, evaluations: simplex.evaluations, converged, reason };
  };
  if (!Number.isFinite(simplex.values[0]!)) return done(false, "non-finite objective at start");

  while (true) {
    simplex.sort();
    if (simplex.collapsed(ftol, xtol)) return done(true, "function tolerance");
    if (iterations >= maxIterations) return done(false, "max iterations");
    if (simplex.evaluations >= maxEvaluations) return done(false, "max evaluations");
    iterations++;
    iterate(simplex, coefficients, trials);
  }
}
