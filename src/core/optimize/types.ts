// Shared shapes of the optimisers: plain data in, plain data out, so the web app can call them in a Worker.

/**
 * An objective with its gradient: writes ∂f/∂x into `grad` (same length as x) and returns f(x).
 * Implementations should not allocate: the minimisers call them thousands of times.
 * A non-finite return value is allowed and means "outside the domain": the line search shrinks the step.
 */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

/** An objective without a gradient (Nelder–Mead, finite differences). */
export type Objective = (x: Float64Array) => number;

/** Why a minimiser stopped. Only the first three count as convergence. */
export type StopReason =
  | "gradient tolerance"
  | "function tolerance"
  | "step tolerance"
  | "max iterations"
  | "max evaluations"
  | "line search failed"
  | "non-finite objective at start"
  /** The caller's onIteration callback asked to stop (for example: the iterate joined a known basin). */
  | "stopped by callback";

/** The result of every multivariate minimiser. It never throws on non-convergence: check `converged`. */
export interface MinimizeResult {
  /** Best point found (a fresh array owned by the caller). */
  readonly x: Float64Array;
  /** Objective at x. */
  readonly f: number;
  /** Euclidean norm of the gradient at x (NaN for derivative-free methods). */
  readonly gradNorm: number;
  readonly iterations: number;
  /** Objective evaluations (each L-BFGS evaluation also computes the gradient). */
  readonly evaluations: number;
  readonly converged: boolean;
  readonly reason: StopReason;
}

export function toFloat64(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x);
}
