// The schedule studies drawn as Hägele et al. draw them (study-chart.ts): the chart's points are the study's rows.
import { describe, expect, it } from "vitest";
import { findCurveLawPreset } from "../../src/core/curves/presets.ts";
import { COOLDOWN_FRACTIONS, runScheduleStudy } from "../../src/core/curves/study.ts";
import { studyChart } from "../../src/core/curves/study-chart.ts";

const preset = findCurveLawPreset("mpl-25m")!;
const setup = { fit: preset.fit, steps: 24000, peak: 3e-4, warmup: { steps: 2160, from: 0, shape: "linspace" as const } };

describe("studyChart", () => {
  it("draws Fig. 5: loss against the cooldown fraction for linear and 1-sqrt, cosine to 10 % as a flat line", () => {
    const { rows } = runScheduleStudy(setup, ["fraction"]);
    const chart = studyChart(rows, "fraction", "mpl-25m");
    expect(chart.series.map((s) => s.name)).toEqual(["cosine to 10 %", "linear", "1-sqrt"]);
    const linear = chart.series[1]!.points;
    expect(linear.map((p) => p.x)).toEqual(COOLDOWN_FRACTIONS);
    expect(linear[2]!.y).toBe(rows.find((r) => r.label === "linear 20 %")!.finalLoss);
    const cosine = chart.series[0]!.points;
    expect(cosine.map((p) => p.x)).toEqual([COOLDOWN_FRACTIONS[0], COOLDOWN_FRACTIONS[COOLDOWN_FRACTIONS.length - 1]]);
    expect(new Set(cosine.map((p) => p.y))).toEqual(new Set([rows[0]!.finalLoss]));
  });

  it("draws the length study as differences to each length's cosine, and SWA against its window", () => {
    const length = runScheduleStudy(setup, ["length"]).rows;
    const chart = studyChart(length, "length", "mpl-25m");
    expect(chart.yLabel).toContain("reference");
    const sqrt10 = chart.series.find((s) => s.name === "1-sqrt 10 %")!;
    expect(sqrt10.points.map((p) => p.x)).toEqual([1, 2, 4, 8]);
    expect(sqrt10.points[3]!.y).toBe(length.find((r) => r.label === "1-sqrt 10 %, 8T")!.delta);
    const swa = studyChart(runScheduleStudy(setup, ["swa"]).rows, "swa", "mpl-25m");
    expect(swa.series.find((s) => s.name === "constant LR + SWA")!.points.map((p) => p.x)).toEqual([500, 1000, 2500]);
    expect(swa.series.find((s) => s.name === "constant LR, last iterate")!.points.map((p) => p.x)).toEqual([500, 2500]);
  });
});
