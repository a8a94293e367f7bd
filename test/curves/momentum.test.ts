import { describe, expect, it } from "vitest";
import { fitMomentum, momentumPredict } from "../../src/core/curves/momentum-law.ts";
import { fitMetrics } from "../../src/core/curves/curve.ts";
import { HELD_OUT, TRAIN, load25M } from "../fixtures/loss-curves/load.ts";

describe("momentum law (Tissue et al. 2024, spec §C.1)", () => {
  it("fits the 25M curves to the spec's reference values and held-out R² range", () => {
    const fit = fitMomentum(TRAIN.map(load25M));
    // Spec §C.1 table, 25M: L0 3.0680, A 0.4913, α 0.5715, C 0.40, test R² 0.9945–0.9993.
    expect(fit.params.L0).toBeCloseTo(3.068, 3);
    expect(fit.params.A).toBeCloseTo(0.4913, 3);
    expect(fit.params.alpha).toBeCloseTo(0.5715, 3);
    expect(fit.params.C).toBeCloseTo(0.4, 2);
    const r2 = HELD_OUT.map((n) => {
      const c = load25M(n);
      return fitMetrics(c.points.map((p) => p.loss), momentumPredict(fit.params, c.lr, c.points.map((p) => p.step))).r2!;
    });
    expect(Math.min(...r2)).toBeCloseTo(0.9945, 3);
    expect(Math.max(...r2)).toBeCloseTo(0.9993, 3);
  });
});
