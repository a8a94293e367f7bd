// Issue 5 §3 accuracy targets on the calibration set (test/fixtures/real-runs, copied from shared/data/real-runs).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateAgainstRuns, type RealRun } from "../../src/core/run/calibration-check.ts";

const dir = join(import.meta.dirname, "..", "fixtures", "real-runs");
const runs = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as RealRun);
const summary = validateAgainstRuns(runs);

describe("accuracy on the published runs", () => {
  it("predicts every run of the calibration set", () => {
    expect(summary.rows.map((r) => r.id)).toEqual(runs.map((r) => r.id));
  });

  it("median absolute step-time error ≤ 10 %", () => {
    expect(summary.medianAbsStepTimeError).toBeLessThanOrEqual(0.1);
  });

  // Two rows miss the 30 % bound and are documented in the README: T1 runs on a 500 W, 96 GB / 2.4 TB/s
  // Grand Teton H100 in eager PyTorch, recorded as h100-sxm (its notes say the true peak is unknown); V4
  // (TP2 PP16, Megatron-DeepSpeed) is 1.7× slower than V3 on the same model and GPUs, which no term of this
  // model explains. The test pins the list so that a new outlier (or a fixed one) is noticed.
  it("no row off by more than 30 % except the documented outliers T1 and V4", () => {
    const over = summary.rows.filter((r) => Math.abs(r.stepTimeError) > 0.3).map((r) => r.id);
    expect(over).toEqual(["T1", "V4"]);
    const others = summary.rows.filter((r) => r.id !== "T1" && r.id !== "V4");
    for (const r of others) expect(Math.abs(r.stepTimeError), r.id).toBeLessThanOrEqual(0.25);
  });

  it("memory within 10 % where measured", () => {
    const measured = summary.rows.filter((r) => r.memoryError !== null);
    expect(measured.length).toBeGreaterThan(0);
    for (const r of measured) expect(Math.abs(r.memoryError!), r.id).toBeLessThanOrEqual(0.1);
  });

  it("MFU predictions follow the step time (same FLOP convention as the sources)", () => {
    for (const r of summary.rows) {
      if (r.measuredMfu === null || r.measuredStepTimeSeconds === null) continue;
      const implied = r.measuredMfu * (r.measuredStepTimeSeconds / r.predictedStepTimeSeconds);
      expect(r.predictedMfu / implied, r.id).toBeCloseTo(1, 1);
    }
  });
});
