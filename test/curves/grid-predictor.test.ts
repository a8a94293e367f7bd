// gridPredictor (predict-with-fit.ts) holds one block of predictions at a time for `curve predict --every 1`; it
// must give bit for bit what predictWithFit gives for the array of the same steps, for both laws, on the sparse
// (< 2,048 steps) and the dense (adaptive, block-wise) paths, including a last step on a block boundary.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gridPredictor, predictWithFit, type StepGrid } from "../../src/core/curves/predict-with-fit.ts";
import type { SavedFit } from "../../src/core/curves/fit-file.ts";
import { findCurveLawPreset } from "../../src/core/curves/presets.ts";
import { parseScheduleSpec } from "../../src/core/schedule/spec.ts";
import { scheduleLrArray } from "../../src/core/schedule/generators.ts";

const LENGTH = 30_000;
// A WSD schedule with a warmup: decreasing, constant and increasing LR gaps (the MPL's block boundaries).
const lr = Array.from(scheduleLrArray(parseScheduleSpec(`wsd:steps=${LENGTH},peak=3e-4,warmup=2160,cooldown=0.2,shape=sqrt,final=0.1`), LENGTH));
const fits: SavedFit[] = [findCurveLawPreset("mpl-25m")!.fit as SavedFit, { law: "momentum", params: { L0: 2.9, A: 0.45, alpha: 0.5, C: 80, decay: 0.999 } }];

function grid(first: number, every: number, last: number): StepGrid & { steps: number[] } {
  const steps: number[] = [];
  for (let s = first; s <= last; s += every) steps.push(s);
  if (steps[steps.length - 1] !== last) steps.push(last);
  return { steps, count: steps.length, step: (i) => steps[i]! };
}

describe("gridPredictor equals predictWithFit bit for bit", () => {
  it("on the block boundaries of the dense path", () => {
    for (const fit of fits) {
      for (const [first, every, last] of [[1, 1, 2048 * 3 + 1], [1, 1, 2048 * 3], [5, 1, 2052], [1, 1, 2048], [1, 2, LENGTH - 1], [100, 2047, LENGTH - 1]] as const) {
        const g = grid(first, every, last);
        const predict = gridPredictor(fit, lr, g);
        expect(g.steps.map((_, i) => predict(i)), `${fit.law} ${first}:${every}:${last}`).toEqual(predictWithFit(fit, lr, g.steps));
      }
    }
  });

  it("on random grids", () => {
    fc.assert(
      fc.property(fc.constantFrom(...fits), fc.integer({ min: 1, max: LENGTH - 1 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: LENGTH - 1 }), (fit, a, every, b) => {
        const g = grid(Math.min(a, b), every, Math.max(a, b));
        const predict = gridPredictor(fit, lr, g);
        expect(g.steps.map((_, i) => predict(i))).toEqual(predictWithFit(fit, lr, g.steps));
      }),
      { numRuns: 40, seed: 13 },
    );
  });
});
