import { z } from "zod";
import { parseConfigText, validateConfig } from "../config/parse.ts";
import type { ChinchillaLaw } from "./law-types.ts";
import type { ParamSamples } from "./allocation.ts";

const positive = z.number().positive();
// The document `scaleplan fit --json` writes (approach3Json in src/cli/commands/fit.ts): every field is named, so
// a misspelt or foreign field is reported like everywhere else; the fields optimal does not use are not checked.
const savedFitSchema = z.strictObject({
  kind: z.literal("scaleplan-fit").optional(),
  approach: z.literal(3, { error: "a fit of Approach 3 (the parametric law L(N, D); approaches 1 and 2 give no law)" }).optional(),
  law: z.strictObject({ E: positive, A: positive, B: positive, alpha: positive, beta: positive }),
  points: z.number().int().positive().optional(),
  intervals: z.unknown().optional(),
  frontier: z.unknown().optional(),
  objective: z.unknown().optional(),
  delta: z.unknown().optional(),
  optimizer: z.unknown().optional(),
  residuals: z.unknown().optional(),
  bootstrap: z
    .strictObject({
      resamples: z.number().int().positive().optional(),
      seed: z.number().int().optional(),
      failed: z.number().int().min(0).optional(),
      level: z.number().gt(0).lt(1),
      samples: z.array(z.tuple([positive, positive, positive, positive, positive])),
    })
    .optional(),
});

/** A fit saved from `scaleplan fit --json`, turned back into a Chinchilla-form law plus its bootstrap samples. */
export function lawFromSavedFit(
  data: unknown,
  sourceName: string,
  locate?: (path: readonly PropertyKey[]) => string | undefined,
): { law: ChinchillaLaw; samples?: ParamSamples; level?: number } {
  return toLaw(validateConfig(data, savedFitSchema, sourceName, locate), sourceName);
}

/** As lawFromSavedFit, from the file's text (JSON; errors name file:line:col). */
export function parseSavedFitText(text: string, sourceName: string): { law: ChinchillaLaw; samples?: ParamSamples; level?: number } {
  return toLaw(parseConfigText(text, savedFitSchema, sourceName), sourceName);
}

function toLaw(fit: z.output<typeof savedFitSchema>, sourceName: string): { law: ChinchillaLaw; samples?: ParamSamples; level?: number } {
  const { law, bootstrap, points } = fit;
  return {
    law: {
      id: `fit:${sourceName}`,
      name: `Approach 3 fit from ${sourceName}${points ? ` (${points} runs)` : ""}`,
      source: sourceName,
      conventions: { params: "as in the fitted runs", data: "as in the fitted runs", loss: "as in the fitted runs", compute: "C = 6ND FLOP" },
      form: "chinchilla",
      ...law,
    },
    ...(bootstrap ? { samples: bootstrap.samples, level: bootstrap.level } : {}),
  };
}
