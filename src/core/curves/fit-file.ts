// The saved form of a fit (`scaleplan curve fit --json > fit.json`), read back by `curve predict|optimize`.
import { z } from "zod";
import { validateConfig } from "../config/parse.ts";
import type { MplParams } from "./multi-power-law.ts";
import type { MomentumParams } from "./momentum-law.ts";
import type { CurveLawDomain } from "./presets.ts";

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const positive = finite.refine((v) => v > 0, "must be > 0");
/** Optional: where the fit was made (curve fit --json writes it; predictions outside it are warned about). */
const domain = z.strictObject({ maxStep: positive, minLr: positive, maxLr: positive }).optional();

// What `curve fit --json` writes besides the law (fit-mpl.ts MplFitResult, momentum-law.ts): named so that a
// misspelt or foreign field is an error as in every other file, not checked because predictions do not use them.
const report = {
  objective: z.unknown().optional(),
  iterations: z.unknown().optional(),
  evaluations: z.unknown().optional(),
  converged: z.unknown().optional(),
  reason: z.unknown().optional(),
  starts: z.unknown().optional(),
  fixed: z.unknown().optional(),
  curves: z.unknown().optional(),
  points: z.unknown().optional(),
  fitCurves: z.unknown().optional(),
};

export const savedFitSchema = z.discriminatedUnion("law", [
  z.strictObject({
    law: z.literal("mpl"),
    params: z.strictObject({ L0: finite, A: positive, alpha: positive, B: positive, C: positive, beta: positive, gamma: positive }),
    domain,
    ...report,
  }),
  z.strictObject({
    law: z.literal("momentum"),
    params: z.strictObject({ L0: finite, A: positive, alpha: positive, C: finite, decay: finite.refine((v) => v > 0 && v < 1, "must be in (0, 1)") }),
    domain,
    ...report,
  }),
]);

export type SavedFit = ({ law: "mpl"; params: MplParams } | { law: "momentum"; params: MomentumParams }) & { domain?: CurveLawDomain };

/** Validates a parsed fit.json (the report fields `curve fit --json` adds are allowed, unknown fields are errors). */
export function readSavedFit(data: unknown, source: string): SavedFit {
  return validateConfig(data, savedFitSchema, source) as SavedFit;
}

// In a module of its own (no zod), so the web app's worker can predict with the published fits without loading zod.
export { predictWithFit } from "./predict-with-fit.ts";
