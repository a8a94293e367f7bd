// Predicted losses of a saved curve-law fit (fit-file.ts), for either law. Kept apart from the zod schema of the fit
// file so that code which only predicts (the web app's Schedules task with the published fits) does not load zod.
import type { SavedFit } from "./fit-file.ts";
import { momentumAt, momentumPredict } from "./momentum-law.ts";
import { mplGridPredictor, mplPredict, type StepGrid } from "./multi-power-law.ts";

export type { StepGrid } from "./multi-power-law.ts";

/** Predicted losses of either law at the given steps. */
export function predictWithFit(fit: SavedFit, lr: ArrayLike<number>, steps: readonly number[]): number[] {
  return fit.law === "mpl" ? mplPredict(fit.params, lr, steps) : momentumPredict(fit.params, lr, steps);
}

/**
 * Predicted losses along a grid of increasing steps, one at a time: the returned function, called with
 * non-decreasing i, gives bit for bit predictWithFit(fit, lr, [every step of the grid])[i] without building arrays
 * as long as the grid (`curve predict --every 1` over millions of steps streams its output).
 */
export function gridPredictor(fit: SavedFit, lr: ArrayLike<number>, grid: StepGrid): (i: number) => number {
  if (fit.law === "mpl") return mplGridPredictor(fit.params, lr, grid);
  const at = momentumAt(fit.params, lr);
  return (i) => at(grid.step(i));
}
