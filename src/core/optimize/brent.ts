// One-dimensional minimisation and root finding (Brent 1973, "Algorithms for Minimization without Derivatives",
// ch. 4 "zeroin" and ch. 5 "localmin"). Never throw on non-convergence; check `converged`.

export interface ScalarMinimizeResult {
  readonly x: number;
  readonly f: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

export interface ScalarOptions {
  /** Absolute tolerance on x (added to a relative tolerance √ε·|x|). */
  readonly tolerance?: number;
  readonly maxIterations?: number;
}

const GOLDEN = 0.5 * (3 - Math.sqrt(5));
const SQRT_EPS = Math.sqrt(Number.EPSILON);

/**
 * Brent's localmin on [lo, hi]: golden-section steps with parabolic interpolation when it is safe.
 * Finds a local minimum of a unimodal function; non-finite values are treated as +∞.
 */
export function brentMinimize(f: (x: number) => number, lo: number, hi: number, options: ScalarOptions = {}): ScalarMinimizeResult {
  const tol = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 200;
  const fin = (x: number): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  let a = Math.min(lo, hi);
  let b = Math.max(lo, hi);
  let x = a + GOLDEN * (b - a);
  let w = x;
  let v = x;
  let fx = fin(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  let evaluations = 1;
  for (let iterations = 0; iterations < maxIterations; iterations++) {
    const m = 0.5 * (a + b);
    const tol1 = SQRT_EPS * Math.abs(x) + tol / 3;
    const tol2 = 2 * tol1;
    if (Math.abs(x - m) <= tol2 - 0.5 * (b - a)) return { x, f: fx, iterations, evaluations, converged: true };
    let useGolden = true;
    if (Math.abs(e) > tol1 && Number.isFinite(fx) && Number.isFinite(fw) && Number.isFinite(fv)) {
      // Parabola through (v, fv), (w, fw), (x, fx).
      let r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < m ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) {
      e = (x < m ? b : a) - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = fin(u);
    evaluations++;
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, f: fx, iterations: maxIterations, evaluations, converged: false };
}

export interface RootResult {
  readonly x: number;
  /** f at x (≈ 0 when converged). */
  readonly f: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** "no sign change" when f(lo) and f(hi) have the same sign: there is no bracketed root. */
  readonly reason: "converged" | "no sign change" | "max iterations" | "non-finite value";
}

/**
 * Brent's zeroin: a root of f in [lo, hi] where f(lo)·f(hi) ≤ 0, by bisection, secant and inverse quadratic
 * interpolation. Returns reason "no sign change" (not a throw) when the interval does not bracket a root.
 */
export function brentRoot(f: (x: number) => number, lo: number, hi: number, options: ScalarOptions = {}): RootResult {
  const tol = options.tolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 200;
  let a = lo;
  let b = hi;
  let fa = f(a);
  let fb = f(b);
  if (!Number.isFinite(fa) || !Number.isFinite(fb)) return { x: b, f: fb, iterations: 0, converged: false, reason: "non-finite value" };
  if (fa === 0) return { x: a, f: 0, iterations: 0, converged: true, reason: "converged" };
  if (fb === 0) return { x: b, f: 0, iterations: 0, converged: true, reason: "converged" };
  if (fa * fb > 0) return { x: b, f: fb, iterations: 0, converged: false, reason: "no sign change" };
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iterations = 0; iterations < maxIterations; iterations++) {
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol1 || fb === 0) return { x: b, f: fb, iterations, converged: true, reason: "converged" };
    if (Math.abs(e) < tol1 || Math.abs(fa) <= Math.abs(fb)) {
      d = m;
      e = m;
    } else {
      let s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      s = e;
      e = d;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol1 * q), Math.abs(s * q))) {
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : m > 0 ? tol1 : -tol1;
    fb = f(b);
    if (!Number.isFinite(fb)) return { x: b, f: fb, iterations, converged: false, reason: "non-finite value" };
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
  }
  return { x: b, f: fb, iterations: maxIterations, converged: false, reason: "max iterations" };
}
