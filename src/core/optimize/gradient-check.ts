import type { Objective, ObjectiveWithGradient } from "./types.ts";

/**
 * Central-difference gradient, h_i = step·max(1, |x_i|). Error O(h²); used to test analytic gradients, not
 * to optimise with.
 */
export function finiteDifferenceGradient(f: Objective, x: ArrayLike<number>, step = 1e-6): Float64Array {
  const p = Float64Array.from(x);
  const grad = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const xi = p[i]!;
    const h = step * Math.max(1, Math.abs(xi));
    p[i] = xi + h;
    const fp = f(p);
    p[i] = xi - h;
    const fm = f(p);
    p[i] = xi;
    grad[i] = (fp - fm) / (2 * h);
  }
  return grad;
}

export interface GradientCheck {
  readonly analytic: number[];
  readonly numeric: number[];
  readonly maxAbsError: number;
  /** max_i |analytic_i − numeric_i| / max(|analytic_i|, |numeric_i|, floor). */
  readonly maxRelError: number;
}

/** Compares an analytic gradient with central differences at x. */
export function checkGradient(fg: ObjectiveWithGradient, x: ArrayLike<number>, step = 1e-6, floor = 1e-8): GradientCheck {
  const p = Float64Array.from(x);
  const analytic = new Float64Array(p.length);
  fg(p, analytic);
  const scratch = new Float64Array(p.length);
  const numeric = finiteDifferenceGradient((q) => fg(q, scratch), p, step);
  let maxAbsError = 0;
  let maxRelError = 0;
  for (let i = 0; i < p.length; i++) {
    const err = Math.abs(analytic[i]! - numeric[i]!);
    maxAbsError = Math.max(maxAbsError, err);
    maxRelError = Math.max(maxRelError, err / Math.max(Math.abs(analytic[i]!), Math.abs(numeric[i]!), floor));
  }
  return { analytic: Array.from(analytic), numeric: Array.from(numeric), maxAbsError, maxRelError };
}
