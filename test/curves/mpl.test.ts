import { describe, expect, it } from "vitest";
import { fitMetrics, curveFromRows, parseCurveCsv } from "../../src/core/curves/curve.ts";
import { mplObjective, mplPlan, mplPredict, mplPredictExact, mplToTheta } from "../../src/core/curves/multi-power-law.ts";
import { fitMpl } from "../../src/core/curves/fit-mpl.ts";
import { checkGradient } from "../../src/core/optimize/gradient-check.ts";
import { InputError } from "../../src/core/errors.ts";
import { parseScheduleSpec } from "../../src/core/schedule/spec.ts";
import { scheduleLrArray } from "../../src/core/schedule/generators.ts";
import { HELD_OUT, TRAIN, load25M } from "../fixtures/loss-curves/load.ts";

// Published 25M parameters (thu-yao-01-luo/MultiPowerLaw src/config.py; spec §C.2).
const PUBLISHED = { L0: 3.04045406, A: 0.52468604, alpha: 0.50786857, B: 363.78751622, C: 2.06560812, beta: 0.58279013, gamma: 0.64142257 };

function heldOutQuality(params: typeof PUBLISHED) {
  let r2 = 0;
  let mre = 0;
  for (const name of HELD_OUT) {
    const c = load25M(name);
    const m = fitMetrics(c.points.map((p) => p.loss), mplPredict(params, c.lr, c.points.map((p) => p.step)));
    r2 += m.r2! / HELD_OUT.length;
    mre += m.meanRelError / HELD_OUT.length;
  }
  return { r2, mre };
}

describe("Multi-Power Law (spec §C.2)", () => {
  it("reproduces the spec's final-point predictions of the published 25M parameters", () => {
    // Spec §C.2 table, 25M row: last logged step, predicted loss (4 decimals).
    const want: Record<string, number> = {
      cosine_24000: 3.3153, constant_24000: 3.3461, wsd_20000_24000: 3.2669, wsdld_20000_24000: 3.2674,
      cosine_72000: 3.2018, constant_72000: 3.2603, wsdcon_3: 3.4, wsdcon_9: 3.395, wsdcon_18: 3.3972,
    };
    for (const [name, v] of Object.entries(want)) {
      const c = load25M(name);
      const last = c.points[c.points.length - 1]!.step;
      expect(mplPredict(PUBLISHED, c.lr, [last])[0]!).toBeCloseTo(v, 3);
    }
  });

  it("reproduces the published held-out quality of the published parameters (R² 0.9988, PredE 0.110 %)", () => {
    const q = heldOutQuality(PUBLISHED);
    expect(q.r2).toBeCloseTo(0.9988, 4);
    expect(q.mre).toBeCloseTo(0.0011, 5);
  });

  it("block-summed LD stays within 2e-5 nats of the exact O(t) sum", () => {
    const c = load25M("cosine_24000");
    const steps = c.points.map((p) => p.step).filter((_, i) => i % 10 === 0);
    const fast = mplPredict(PUBLISHED, c.lr, steps);
    const exact = mplPredictExact(PUBLISHED, c.lr, steps);
    for (let i = 0; i < steps.length; i++) expect(Math.abs(fast[i]! - exact[i]!)).toBeLessThan(2e-5);
  });

  it("predicts a dense 100,000-step curve adaptively within 1e-4 nats of the exact sum, also right after LR jumps", () => {
    const lr = scheduleLrArray(parseScheduleSpec("multistep:steps=100000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,at=0.8/0.9,factors=0.316/0.1"));
    const every = Array.from({ length: 99999 }, (_, i) => i + 1);
    const dense = mplPredict(PUBLISHED, lr, every);
    const probe = [1, 500, 2159, 2160, 2161, 10007, 50001, 79999, 80000, 80001, 80003, 80010, 80100, 89999, 90000, 90002, 95000, 99999];
    const exact = mplPredictExact(PUBLISHED, lr, probe);
    probe.forEach((s, i) => expect(Math.abs(dense[s - 1]! - exact[i]!)).toBeLessThan(1e-4));
  });

  it("has an analytic gradient that matches finite differences", () => {
    const c = load25M("wsdcon_9");
    const plans = [mplPlan(c.lr, c.points.filter((_, i) => i % 5 === 0))];
    // Away from the Huber kink: use a large δ so the objective is smooth at the checked point.
    const check = checkGradient((x, g) => mplObjective(plans, x, g, 1), mplToTheta(PUBLISHED), 1e-6);
    expect(check.maxRelError).toBeLessThan(1e-4);
  });

  it("fit on cosine_24000, constant_24000, wsdcon_9 predicts the six others with R² ≥ 0.998 and mean relative error ≤ 0.2 %", () => {
    const fit = fitMpl(TRAIN.map(load25M));
    expect(fit.converged).toBe(true);
    const q = heldOutQuality(fit.params);
    expect(q.r2).toBeGreaterThanOrEqual(0.998);
    expect(q.mre).toBeLessThanOrEqual(0.002);
  });

  it("rejects an LR ≤ 0 where a power is taken", () => {
    const rows = parseCurveCsv("step,lr,loss\n0,0,\n1,1e-4,5\n2,0,4.9\n3,1e-4,4.8\n", "bad.csv");
    const curve = curveFromRows("bad.csv", rows);
    expect(() => fitMpl([curve])).toThrow(InputError);
    expect(() => fitMpl([curve])).toThrow(/lr at step 2.*LR > 0/);
    expect(() => parseCurveCsv("step,lr,loss\n5,1e-4,3\n4,1e-4,3\n", "x.csv")).toThrow(/steps must increase/);
    expect(() => curveFromRows("gap.csv", parseCurveCsv("step,lr,loss\n0,1e-4,3\n2,1e-4,3\n", "gap.csv"))).toThrow(/every step/);
  });
});
