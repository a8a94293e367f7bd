// The named bounds of src/core/config/bounds.ts are enforced by the core functions themselves (issue 13): a
// library user calling the core with steps, top, bootstrap or a datacenter far past the bound gets the same
// InputError naming the bound, not an allocation failure or minutes of work.
import { describe, expect, it } from "vitest";
import { BATCH_TOKENS, BOOTSTRAP_RESAMPLES, GPU_COUNT, OPTIMIZE_STEPS, PARAMETER_COUNT, requireWithinBound, SCHEDULE_STEPS, SEARCH_TOP } from "../../src/core/config/bounds.ts";
import { optimizeSchedule } from "../../src/core/curves/optimize-schedule.ts";
import { CURVE_LAW_PRESETS } from "../../src/core/curves/presets.ts";
import { InputError } from "../../src/core/errors.ts";
import { findDataMovementGpu } from "../../src/core/hardware/lookup.ts";
import { withDatacenterLevel } from "../../src/core/limits/network.ts";
import { runSweep } from "../../src/core/limits/sweep.ts";
import { searchLayouts } from "../../src/core/run/layout-search.ts";
import { parseRunConfig } from "../../src/core/run/run-config.ts";
import { fitApproach1 } from "../../src/core/scaling/approach1.ts";
import { fitApproach2 } from "../../src/core/scaling/approach2.ts";
import { fitApproach3 } from "../../src/core/scaling/approach3.ts";
import { scheduleFactorArray, scheduleLrArray } from "../../src/core/schedule/generators.ts";
import { parseScheduleSpec } from "../../src/core/schedule/spec.ts";
import { planSweep } from "../../src/core/sweep/plan.ts";

/** The error `f` throws: an InputError whose allowed text is the bound's (range and reason). */
function boundError(f: () => unknown, field: string, allowed: string): void {
  let caught: unknown;
  try {
    f();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  expect((caught as InputError).field).toBe(field);
  expect((caught as InputError).allowed).toBe(allowed);
}

const CONFIG = `model: { layers: 4, hidden: 256, heads: 4, ffn: 1024, vocab: 1000, seqLen: 128 }
training: { globalBatch: 64 }
hardware: { gpu: h100-sxm, count: 8 }
`;

describe("named bounds in the core", () => {
  it("say the range and why", () => {
    expect(SCHEDULE_STEPS.allowed).toBe("a whole number in [1, 5,000,000] (the per-step LR array is held in memory)");
    expect(SEARCH_TOP.allowed).toBe("a whole number in [1, 1,000] (the ranking keeps every listed layout sorted)");
    expect(GPU_COUNT.max).toBe(2 ** 20);
    expect(() => requireWithinBound("x", 2.5, SEARCH_TOP)).toThrow(InputError);
    expect(requireWithinBound("x", 1000, SEARCH_TOP)).toBe(1000);
  });

  it("schedule arrays refuse 1e9 steps (and NaN, 2^53 + 1) before allocating", () => {
    const huge = { kind: "constant", steps: 1e9, peak: 1, warmup: { steps: 0, shape: "linspace", from: 0 } } as const;
    boundError(() => scheduleLrArray(huge), "steps", SCHEDULE_STEPS.allowed);
    boundError(() => scheduleFactorArray(huge), "steps", SCHEDULE_STEPS.allowed);
    boundError(() => scheduleLrArray(huge, Number.NaN), "steps", SCHEDULE_STEPS.allowed);
    boundError(() => parseScheduleSpec("constant:steps=9007199254740993"), "schedule constant.steps", SCHEDULE_STEPS.allowed);
    expect(scheduleLrArray(huge, 0).length).toBe(0);
    expect(scheduleLrArray({ ...huge, steps: 10 }).length).toBe(10);
  });

  it("the layout search refuses top 1e9 and 2^40 GPUs", () => {
    const config = parseRunConfig(CONFIG, "run.yaml");
    boundError(() => searchLayouts(config, { top: 1e9 }), "top", SEARCH_TOP.allowed);
    boundError(() => searchLayouts(config, { gpus: 2 ** 40 }), "gpus", GPU_COUNT.allowed);
  });

  it("the fits refuse bootstrap 1e9 before fitting", () => {
    const points = [1e8, 3e8, 1e9].flatMap((n) => [2e9, 6e9, 2e10].map((d) => ({ n, d, loss: 1.7 + 400 / n ** 0.34 + 410 / d ** 0.28 })));
    boundError(() => fitApproach3(points, { bootstrap: 1e9 }), "bootstrap", BOOTSTRAP_RESAMPLES.allowed);
    boundError(() => fitApproach1(points.map((p) => ({ ...p, run: String(p.n) })), { bootstrap: 1e9 }), "bootstrap", BOOTSTRAP_RESAMPLES.allowed);
    boundError(() => fitApproach2(points, { bootstrap: 1e9 }), "bootstrap", BOOTSTRAP_RESAMPLES.allowed);
  });

  it("a datacenter level or network of 2^40 GPUs is refused", () => {
    const gpu = findDataMovementGpu("h100-sxm")!;
    boundError(() => withDatacenterLevel(gpu.network, { gpus: 2 ** 40, bandwidthBps: 1e9, latencyS: 1e-3 }), "datacenter size", GPU_COUNT.allowed);
    const network = { ...gpu.network, levelSizes: [...gpu.network.levelSizes, 2 ** 40], bandwidthsBps: [...gpu.network.bandwidthsBps, 1e9], latenciesS: [...gpu.network.latenciesS, 1e-3] };
    boundError(() => runSweep({ gpu: { ...gpu, network } }), "gpu.network.levelSizes", GPU_COUNT.allowed);
  });

  it("the schedule optimizer refuses 1e8 steps", () => {
    const fit = CURVE_LAW_PRESETS[0]!.fit;
    if (fit.law !== "mpl") throw new Error("the first curve-law preset is a Multi-Power Law");
    boundError(() => optimizeSchedule(fit.params, { steps: 1e8, peak: 1e-3, warmup: { steps: 10, shape: "linspace", from: 0 } }), "steps", OPTIMIZE_STEPS.allowed);
  });

  it("the sweep planner refuses 1e300 parameters and batches", () => {
    const model = { name: "m", params: 1e8, batchTokens: 5e5, budgets: [2e9] };
    const base = { cooldownFraction: 0.2, cooldownShape: "sqrt", utilization: 0.4 } as const;
    boundError(() => planSweep({ ...base, models: [{ ...model, params: 1e300 }] }), "models[0].params", PARAMETER_COUNT.allowed);
    boundError(() => planSweep({ ...base, models: [{ ...model, batchTokens: 1e300 }] }), "models[0].batchTokens", BATCH_TOKENS.allowed);
    expect(planSweep({ ...base, models: [model] }).sizes.length).toBe(1);
  });
});
