// The Schedules view's task (web/src/views/schedules/task.ts) takes a schedule's LR area from the Multi-Power-Law
// tables it builds for the loss prediction instead of summing the steps again: the area and the losses must be
// exactly what a plain sum and predictWithFit give, with a published fit and with no law.
import { describe, expect, it } from "vitest";
import { predictWithFit } from "../../src/core/curves/predict-with-fit.ts";
import { findCurveLawPreset } from "../../src/core/curves/presets.ts";
import { scheduleLrArray } from "../../src/core/schedule/generators.ts";
import { parseScheduleSpec } from "../../src/core/schedule/spec.ts";
import { schedulesTask } from "../../web/src/views/schedules/task.ts";

const SPECS = [
  "cosine:steps=24000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,final=0.1",
  "wsd:steps=30001,peak=6e-4,warmup=1000,cooldown=0.2,shape=sqrt,final=0",
  "constant:steps=1,peak=3e-4",
];

function plainSum(lr: Float64Array): number {
  let area = 0;
  for (let k = 0; k < lr.length; k++) area += lr[k]!;
  return area;
}

describe("schedules task: LR area and predicted losses", () => {
  for (const law of ["mpl-25m", "none"] as const) {
    it(`law ${law}: the area is the plain sum of the per-step LRs, the losses predictWithFit's`, async () => {
      const results = await schedulesTask({ specs: SPECS, law, fitJson: "" }, () => undefined);
      results.forEach((r, i) => {
        const lr = scheduleLrArray(parseScheduleSpec(SPECS[i]!));
        expect(Object.is(r.lrArea, plainSum(lr)), SPECS[i]).toBe(true);
        if (law === "none") return expect(r.lossPoints).toBeNull();
        const preset = findCurveLawPreset(law)!.fit;
        const steps = r.lossPoints!.map((p) => p.step);
        expect(r.lossPoints!.map((p) => p.loss)).toEqual(predictWithFit(preset, lr, steps));
      });
    });
  }
});
