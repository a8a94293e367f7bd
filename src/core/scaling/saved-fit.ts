import { z } from "zod";
import { InputError } from "../errors.ts";
import type { ChinchillaLaw } from "./law-types.ts";
import type { ParamSamples } from "./allocation.ts";

const positive = z.number().finite().positive();
const savedFitSchema = z.object({
  law: z.object({ E: positive, A: positive, B: positive, alpha: positive, beta: positive }),
  points: z.number().int().positive().optional(),
  bootstrap: z
    .object({
      level: z.number().gt(0).lt(1),
      samples: z.array(z.tuple([positive, positive, positive, positive, positive])),
    })
    .optional(),
});

/** A fit saved from `scaleplan fit --json`, turned back into a Chinchilla-form law plus its bootstrap samples. */
export function lawFromSavedFit(data: unknown, sourceName: string): { law: ChinchillaLaw; samples?: ParamSamples; level?: number } {
  const r = savedFitSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.join(".");
    throw new InputError(`${sourceName}: ${path || "(root)"}`, "", "the JSON written by `scaleplan fit --json`", `${sourceName}: ${path || "(root)"}: ${issue.message} (expected the JSON written by \`scaleplan fit --json\`)`);
  }
  const { law, bootstrap, points } = r.data;
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
