import { describe, expect, it } from "vitest";
import { findDataMovementGpu } from "../../src/core/hardware/lookup.ts";
import { runSweep } from "../../src/core/limits/sweep.ts";

// Spec §3.3, conclusion (4), from the authors' batch-size comparison: "faster batch growth (DeepSeek rule) removes
// both limits within the studied range, a fixed 4 Mi-token batch lowers the utilization-drop point ~7× (to
// 2.85e27) and the wall ~130× (to ~2e29)".
describe("the batch-size rules against the spec's batch-size comparison (H100 SXM, dense, 3 months)", () => {
  const gpu = findDataMovementGpu("h100-sxm")!;

  it("a fixed 4 Mi-token batch ends linear scaling at 2.85e27 FLOP and hits the wall near 2e29 FLOP", () => {
    const { summary, points } = runSweep({ gpu, batchRule: "fixed" });
    for (const p of points) expect(p.batchTokens).toBe(4 * 1024 * 1024);
    expect(summary.linearScalingEnd!.toPrecision(3)).toBe("2.85e+27");
    expect(summary.stoppedBy).toBe("infeasible");
    expect(summary.lastFeasibleFlop!).toBeGreaterThan(1.5e29);
    expect(summary.lastFeasibleFlop!).toBeLessThan(3e29);
    // ~130× below the critical-batch wall (2.71e31) and ~7× below its linear end (2.05e28).
    expect(2.71e31 / summary.lastFeasibleFlop!).toBeGreaterThan(90);
    expect(2.05e28 / summary.linearScalingEnd!).toBeCloseTo(7.2, 0);
  });

  it("the DeepSeek rule removes the latency wall within the width grid", () => {
    const { summary } = runSweep({ gpu, batchRule: "deepseek" });
    expect(summary.stoppedBy).toBe("end-of-grid");
    expect(summary.firstInfeasibleDModel).toBeNull();
    expect(summary.linearScalingEnd!).toBeGreaterThan(2.71e31);
  });
});
