// Accuracy on the calibration set (data/real-runs: byte-for-byte copies of shared/data/real-runs, see its
// PROVENANCE.md). In-sample figures: every constant marked "fitted" in calibration.ts came from these rows.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateAgainstRuns } from "../../src/core/run/calibration-check.ts";
import { validateRunConfig } from "../../src/core/run/run-config.ts";
import { predictStep } from "../../src/core/run/step.ts";
import { readRunFolder } from "../../tools/held-out-section.ts";

const dir = join(import.meta.dirname, "..", "..", "data", "real-runs");
const runs = readRunFolder(dir);
const summary = validateAgainstRuns(runs);

describe("accuracy on the published runs", () => {
  // shared/data/real-runs holds 36 run files and its README (the issue counts "37 points"; there are 36).
  it("predicts every one of the 36 runs of the calibration set (uneven pipelines and MLA included)", () => {
    expect(runs).toHaveLength(36);
    expect(summary.rows.map((r) => r.id)).toEqual(runs.map((r) => r.id));
  });

  it("median absolute step-time error ≤ 6 %", () => {
    expect(summary.medianAbsStepTimeError).toBeLessThanOrEqual(0.06);
  });

  // V4 (TP2 PP16, Megatron-DeepSpeed) runs 1.7× slower than V3 on the same model and GPUs: over the whole vTrain
  // data set every TP2 layout of that 39.1B model is 13-37 % slower than predicted while its TP1/TP8 layouts and
  // the TP2 layouts of the 18.4B and 175B models agree (docs/calibration.md). T9-8b-fp8rw-tp (the anomalous
  // rowwise baseline of torchtitan issue 1207) came under 30 % once the cast of the gathered input was modelled.
  // The test pins the list so that a new outlier (or a fixed one) is noticed.
  it("no row off by more than 30 % except the documented outliers", () => {
    const over = summary.rows.filter((r) => Math.abs(r.stepTimeError) > 0.3).map((r) => r.id);
    expect(over).toEqual(["V4"]);
  });

  it("predicts every run that ran to fit in memory (none refused, none out of memory)", () => {
    for (const r of runs) expect(predictStep(validateRunConfig(r.config, r.id)).fitsInMemory, r.id).toBe(true);
  });

  it("reports the median error per framework and per GPU generation", () => {
    expect(summary.byFramework.map((g) => g.group)).toEqual([
      "deepspeed",
      "llm-foundry",
      "maxtext",
      "megatron-bridge",
      "megatron-deepspeed",
      "megatron-lm",
      "nemo",
      "torchtitan",
    ]);
    expect(summary.byGeneration.map((g) => g.group)).toEqual(["ampere", "blackwell", "hopper"]);
    expect(summary.byFramework.reduce((n, g) => n + g.rows, 0)).toBe(36);
  });

  it("MFU predictions follow the step time (same FLOP convention as the sources)", () => {
    for (const r of summary.rows) {
      if (r.measuredMfu === null || r.measuredStepTimeSeconds === null) continue;
      // MB4 (DeepSeek-V3, MLA): run-config.md counts MLA attention with its score width 192 and value width 128
      // per head (2·s·heads·(192 + 128) forward), the row's source with 12·l·h·s: 13 % apart by definition.
      if (r.id === "MB4") continue;
      const implied = r.measuredMfu * (r.measuredStepTimeSeconds / r.predictedStepTimeSeconds);
      // torchtitan's formula counts the input embedding (T7-8b notes: 0.582 published, 0.552 schema convention).
      // Megatron-Bridge counts attention causally and pads the vocabulary (row notes): its MFU is 7-13 % lower.
      const tolerance = r.framework === "megatron-bridge" ? 0.13 : 0.06; // notes: MB2 0.727 vs 0.780, MB7 0.700 vs 0.788
      expect(Math.abs(r.predictedMfu / implied - 1), r.id).toBeLessThanOrEqual(tolerance);
    }
  });
});
