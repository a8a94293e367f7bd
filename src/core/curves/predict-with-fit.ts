// Predicted losses of a saved curve-law fit (fit-file.ts), for either law. Kept apart from the zod schema of the fit
// file so that code which only predicts (the web app's Schedules task with the published fits) does not load zod.
import type { SavedFit } from "./fit-file.ts";
import { momentumPredict } from "./momentum-law.ts";
import { mplPredict } from "./multi-power-law.ts";

/** Predicted losses of either law at the given steps. */
export function predictWithFit(fit: SavedFit, lr: ArrayLike<number>, steps: readonly number[]): number[] {
  return fit.law === "mpl" ? mplPredict(fit.params, lr, steps) : momentumPredict(fit.params, lr, steps);
}
