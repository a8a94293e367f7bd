import { describe, expect, it } from "vitest";
import { analyticReport, analyticThresholds } from "../../src/core/limits/analytic.ts";
import { findDataMovementGpu } from "../../src/core/hardware/lookup.ts";

const gpu = (id: string) => findDataMovementGpu(id)!;

describe("closed forms T_crit and T_limit (spec §2.11, §3.2)", () => {
  it("T_crit at α = 0: H100 1.92e28, A100 2.62e28, V100 1.30e27", () => {
    expect(analyticThresholds(gpu("h100-sxm")).tCrit(0).toPrecision(3)).toBe("1.92e+28");
    expect(analyticThresholds(gpu("a100-sxm")).tCrit(0).toPrecision(3)).toBe("2.62e+28");
    expect(analyticThresholds(gpu("v100-sxm")).tCrit(0).toPrecision(3)).toBe("1.30e+27");
  });
  it("T_limit at α = 0 is 2.31e31 with τ = 9 µs, 9.2e31 with τ = 4.5 µs", () => {
    const a = analyticThresholds(gpu("h100-sxm"));
    expect(a.latencyUnitS).toBeCloseTo(9e-6, 15);
    expect(a.tLimit(0).toPrecision(3)).toBe("2.31e+31");
    expect(analyticThresholds(gpu("h100-sxm"), { latencyUnitS: 4.5e-6 }).tLimit(0).toPrecision(2)).toBe("9.2e+31");
  });
  it("node-level constants: n* ≈ 590 (H100), 401 (A100), 279 (V100), 742 (H100 PCIe); a* ≈ 26 385 (H100)", () => {
    expect(Math.round(analyticThresholds(gpu("h100-sxm")).nanobatchTokens)).toBe(590);
    expect(Math.round(analyticThresholds(gpu("a100-sxm")).nanobatchTokens)).toBe(401);
    expect(Math.round(analyticThresholds(gpu("v100-sxm")).nanobatchTokens)).toBe(279);
    expect(Math.round(analyticThresholds(gpu("h100-pcie")).nanobatchTokens)).toBe(742);
    expect(Math.round(analyticThresholds(gpu("h100-sxm")).activationShard)).toBe(26385);
  });
  it("α sensitivity: the notebook's stored output (T_crit from α = 0 to α = 0.2)", () => {
    // layer_and_batch_scaling.ipynb @ b1f771c prints "H100 SXM scales from 1.92e+28 to 1.94e+31 (1009.4x)",
    // "A100 SXM … 2.62e+28 to 3.25e+31 (1240.6x)", "V100 SXM … 1.30e+27 to 2.19e+29 (167.9x)".
    const h = analyticThresholds(gpu("h100-sxm"));
    expect(h.tCrit(0.2).toPrecision(3)).toBe("1.94e+31");
    expect((h.tCrit(0.2) / h.tCrit(0)).toFixed(1)).toBe("1009.4");
    expect(analyticThresholds(gpu("a100-sxm")).tCrit(0.2).toPrecision(3)).toBe("3.25e+31");
    expect(analyticThresholds(gpu("v100-sxm")).tCrit(0.2).toPrecision(3)).toBe("2.19e+29");
  });
  it("both thresholds grow with α; the report is plain data", () => {
    const r = analyticReport(gpu("h100-sxm"));
    for (let i = 1; i < r.sensitivity.length; i++) {
      expect(r.sensitivity[i]!.tCrit).toBeGreaterThan(r.sensitivity[i - 1]!.tCrit);
      expect(r.sensitivity[i]!.tLimit).toBeGreaterThan(r.sensitivity[i - 1]!.tLimit);
    }
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
