// Precision-aware law (Kumar et al. 2024, arXiv 2411.04330) applied to Chinchilla-form laws (issue 14).
import { describe, expect, it } from "vitest";
import { chinchillaOptimum } from "../../src/core/scaling/chinchilla-law.ts";
import { EPOCH_REPLICATION } from "../../src/core/scaling/presets.ts";
import { KUMAR_PRECISION, PRECISION_PRESETS, precisionFactor, precisionLoss, precisionTradeoff, relativeEffectiveParams } from "../../src/core/scaling/precision-law.ts";
import { brentMinimize } from "../../src/core/optimize/brent.ts";
import { runCli } from "../../src/cli/program.ts";
import { memoryIO } from "../../src/cli/io.ts";

const bits = (p: number) => ({ weights: p, activations: p, kv: p });

describe("Kumar et al. effective parameters", () => {
  it("eq. 4 with the App. K γ's: the factor at 16, 8 and 4 bits", () => {
    // (1 − e^(−P/2.6745))(1 − e^(−P/2.2102))(1 − e^(−P/0.9578))
    expect(precisionFactor(KUMAR_PRECISION, bits(16))).toBeCloseTo(0.99677, 4);
    expect(precisionFactor(KUMAR_PRECISION, bits(8))).toBeCloseTo(0.9241, 3);
    expect(precisionFactor(KUMAR_PRECISION, bits(4))).toBeCloseTo(0.6389, 3);
  });

  it("BF16 keeps the base law's prediction exactly; lower precision only ever costs", () => {
    expect(relativeEffectiveParams(KUMAR_PRECISION, PRECISION_PRESETS.bf16!)).toBe(1);
    expect(precisionLoss(EPOCH_REPLICATION, KUMAR_PRECISION, PRECISION_PRESETS.bf16!, 7e10, 1.4e12)).toBeCloseTo(EPOCH_REPLICATION.E + EPOCH_REPLICATION.A / 7e10 ** EPOCH_REPLICATION.alpha + EPOCH_REPLICATION.B / 1.4e12 ** EPOCH_REPLICATION.beta, 12);
    expect(precisionLoss(EPOCH_REPLICATION, KUMAR_PRECISION, PRECISION_PRESETS.fp8!, 7e10, 1.4e12)).toBeGreaterThan(precisionLoss(EPOCH_REPLICATION, KUMAR_PRECISION, PRECISION_PRESETS.bf16!, 7e10, 1.4e12));
  });

  it("the break-even speedup is 1/(N_eff/N): the compute-optimal losses match there, for any Chinchilla-form law", () => {
    for (const p of [PRECISION_PRESETS.fp8!, PRECISION_PRESETS.fp4!]) {
      const t = precisionTradeoff(EPOCH_REPLICATION, KUMAR_PRECISION, p, 1e24, 1);
      const k = relativeEffectiveParams(KUMAR_PRECISION, p);
      const atBreakEven = chinchillaOptimum({ ...EPOCH_REPLICATION, A: EPOCH_REPLICATION.A * k ** -EPOCH_REPLICATION.alpha }, 1e24 * t.breakEvenSpeedup).loss;
      expect(atBreakEven).toBeCloseTo(t.baselineLoss, 10);
    }
    expect(precisionTradeoff(EPOCH_REPLICATION, KUMAR_PRECISION, PRECISION_PRESETS.fp8!, 1e24, 1).breakEvenSpeedup).toBeCloseTo(1.0786, 3);
  });

  it("does NOT reproduce the paper's compute-optimal 7–8 bits (§4.3): with these γ's and C ∝ N·D·P the optimum is ≈ 3.5 bits", () => {
    // With α = β (App. K ties them) the optimal P minimises P / factor(P), independent of compute (docs explain).
    const r = brentMinimize((p) => p / precisionFactor(KUMAR_PRECISION, bits(p)), 1, 16);
    expect(r.x).toBeGreaterThan(3);
    expect(r.x).toBeLessThan(4);
  });

  it("optimal --precision fp8 --precision-speedup prints the trade-off; bad values are one-line errors", async () => {
    const io = memoryIO();
    expect(await runCli(["optimal", "--flops", "1e24", "--precision", "fp8", "--precision-speedup", "1.5", "--json"], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.precision.breakEvenSpeedup).toBeCloseTo(1.0786, 3);
    expect(doc.precision.lowPrecisionLoss).toBeLessThan(doc.precision.baselineLoss);
    const bad = memoryIO();
    expect(await runCli(["optimal", "--flops", "1e24", "--precision", "fp9x"], bad)).toBe(2);
    expect(bad.err).toMatch(/^scaleplan: --precision: "fp9x" is not allowed/);
  });
});
