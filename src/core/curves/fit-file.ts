// The saved form of a fit (`scaleplan curve fit --json > fit.json`), read back by `curve predict|optimize`.
import { z } from "zod";
import { validateConfig } from "../config/parse.ts";
import type { MplParams } from "./multi-power-law.ts";
import type { MomentumParams } from "./momentum-law.ts";
import { mplPredict } from "./multi-power-law.ts";
import { momentumPredict } from "./momentum-law.ts";
import type { CurveLawDomain } from "./presets.ts";

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const positive = finite.refine((v) => v > 0, "must be > 0");
/** Optional: where the fit was made (curve fit --json writes it; predictions outside it are warned about). */
const domain = z.object({ maxStep: positive, minLr: positive, maxLr: positive }).optional();

export const savedFitSchema = z.discriminatedUnion("law", [
  z.object({
    law: z.literal("mpl"),
    params: z.object({ L0: finite, A: positive, alpha: positive, B: positive, C: positive, beta: positive, gamma: positive }),
    domain,
  }),
  z.object({
    law: z.literal("momentum"),
    params: z.object({ L0: finite, A: positive, alpha: positive, C: finite, decay: finite.refine((v) => v > 0 && v < 1, "must be in (0, 1)") }),
    domain,
  }),
]);

export type SavedFit = ({ law: "mpl"; params: MplParams } | { law: "momentum"; params: MomentumParams }) & { domain?: CurveLawDomain };

/** Validates a parsed fit.json (extra keys such as metrics are ignored). */
export function readSavedFit(data: unknown, source: string): SavedFit {
  return validateConfig(data, savedFitSchema, source) as SavedFit;
}

/** Predicted losses of either law at the given steps. */
export function predictWithFit(fit: SavedFit, lr: ArrayLike<number>, steps: readonly number[]): number[] {
  return fit.law === "mpl" ? mplPredict(fit.params, lr, steps) : momentumPredict(fit.params, lr, steps);
}
