// Precision-aware law (Kumar et al. 2024, "Scaling Laws for Precision", arXiv 2411.04330): the paper's App. K
// Table 2 constants (offsets n included) reproduce its compute-optimal training precision of 7–8 bits (§4.3.2),
// and the factor applied to other Chinchilla-form laws (issue 14).
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chinchillaLoss, chinchillaOptimum } from "../../src/core/scaling/chinchilla-law.ts";
import { EPOCH_REPLICATION } from "../../src/core/scaling/presets.ts";
import {
  allocateAtPrecision,
  computeOptimalPrecision,
  fixedSizePrecisionOptimum,
  jointPrecisionOptimum,
  KUMAR_PRECISION,
  minimumTrainingBits,
  PRECISION_PRESETS,
  precisionFactor,
  precisionLoss,
  precisionTradeoff,
  relativeEffectiveParams,
} from "../../src/core/scaling/precision-law.ts";
import { fitPrecisionLaw, parsePrecisionRuns } from "../../src/core/scaling/fit-precision.ts";
import { precisionExampleRuns } from "../fixtures/precision-runs.ts";
import { runCli } from "../../src/cli/program.ts";
import { memoryIO } from "../../src/cli/io.ts";

const bits = (p: number) => ({ weights: p, activations: p, kv: p });
/** The main-text form without App. K's offsets (what scaleplan used before, and what gives 3.5 bits). */
const WITHOUT_OFFSETS = { ...KUMAR_PRECISION, nW: 0, nA: 0, nKv: 0 };

describe("Kumar et al. effective parameters (App. K Table 2)", () => {
  it("eq. 4 with the Table 2 γ's and offsets: the factor at 16, 8 and 4 bits", () => {
    // (1 − e^(0.3037 − P/2.6745))(1 − e^(1.4072 − P/2.2102))(1 − e^(2.4185 − P/0.9578))
    expect(precisionFactor(KUMAR_PRECISION, bits(16))).toBeCloseTo(0.99366, 4);
    expect(precisionFactor(KUMAR_PRECISION, bits(8))).toBeCloseTo(0.82776, 4);
    expect(precisionFactor(KUMAR_PRECISION, bits(4))).toBeCloseTo(0.19099, 4);
  });

  it("below n·γ bits the fitted law has no effective parameters (activations: 3.11 bits; the paper's P_a ≤ 3 runs diverged, App. L)", () => {
    expect(minimumTrainingBits(KUMAR_PRECISION).activations).toBeCloseTo(1.4072 * 2.2102, 10);
    expect(() => precisionFactor(KUMAR_PRECISION, bits(3))).toThrow(/precision activations: 3 .*more than 3\.11 bits/);
  });

  it("§4.3.2 / Finding 3: the compute-optimal precision is 7–8 bits (ours 7.00) and does not depend on the budget", () => {
    const p = computeOptimalPrecision(KUMAR_PRECISION);
    expect(p).toBeGreaterThanOrEqual(6.95); // paper: "around 7-8 bits when fitting our scaling law on runs with quantization done to integer type"
    expect(p).toBeLessThanOrEqual(8);
    expect(p).toBeCloseTo(7.002, 2);
    for (const c of [1e19, 1e22, 1e25]) expect(jointPrecisionOptimum(KUMAR_PRECISION, c).bits).toBeCloseTo(p, 6);
    // The optimum is a real minimum of the joint problem: 6, 8 and 16 bits all lose at the same C.
    const best = jointPrecisionOptimum(KUMAR_PRECISION, 1e21).loss;
    for (const b of [6, 8, 16]) expect(allocateAtPrecision(KUMAR_PRECISION, 1e21, b).loss).toBeGreaterThan(best);
  });

  it("why scaleplan used to get 3.5 bits: the main-text form without App. K's offsets", () => {
    expect(computeOptimalPrecision(WITHOUT_OFFSETS)).toBeCloseTo(3.469, 2);
  });

  it("§4.3.2: going below 4 bits forces a disproportionately (more than 4×) larger model for the same N_eff (Fig. 3 left)", () => {
    expect(precisionFactor(KUMAR_PRECISION, bits(16)) / precisionFactor(KUMAR_PRECISION, bits(4))).toBeGreaterThan(4);
    expect(precisionFactor(WITHOUT_OFFSETS, bits(16)) / precisionFactor(WITHOUT_OFFSETS, bits(4))).toBeLessThan(2); // the offset-free form contradicts it
  });

  it("§4.3.1 (eq. 6): at fixed compute, lower precision wants more parameters and fewer tokens per parameter", () => {
    const [p16, p8, p4] = [16, 8, 4].map((b) => allocateAtPrecision(KUMAR_PRECISION, 1e21, b));
    expect(p8!.n).toBeGreaterThan(p16!.n);
    expect(p4!.n).toBeGreaterThan(p8!.n);
    expect(p4!.d / p4!.n).toBeLessThan(p8!.d / p8!.n);
    expect(p8!.d / p8!.n).toBeLessThan(p16!.d / p16!.n);
  });

  it("Fig. 1 right (App. J: N·P fixed, 16B tokens): the larger FP8 model beats the BF16 and FP32 ones", () => {
    const loss = (b: number, n: number) => chinchillaLoss(KUMAR_PRECISION.base!, n * precisionFactor(KUMAR_PRECISION, bits(b)), 16e9);
    const fp8 = loss(8, 880e6);
    expect(fp8).toBeLessThan(loss(16, 440e6));
    expect(fp8).toBeLessThan(loss(32, 220e6));
  });

  it("§4.3.3 / App. E.2.2: with N fixed, P* grows like β·γ·ln C and equals P* at the jointly optimal N", () => {
    const joint = jointPrecisionOptimum(KUMAR_PRECISION, 1e21);
    expect(fixedSizePrecisionOptimum(KUMAR_PRECISION, 1e21, joint.n).bits).toBeCloseTo(joint.bits, 3);
    const p = [1e22, 1e23, 1e24].map((c) => fixedSizePrecisionOptimum(KUMAR_PRECISION, c, 220e6).bits);
    expect(p[1]!).toBeGreaterThan(p[0]!);
    expect(p[2]!).toBeGreaterThan(p[1]!);
    const perDecade = (p[2]! - p[0]!) / 2;
    expect(perDecade / (0.4965 * KUMAR_PRECISION.gammaW * Math.LN10)).toBeGreaterThan(0.95); // dominant balance P* ~ βγ ln C
    expect(perDecade / (0.4965 * KUMAR_PRECISION.gammaW * Math.LN10)).toBeLessThan(1.05);
  });
});

describe("the factor on another Chinchilla-form law (optimal --precision)", () => {
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
    // 0.99366 / 0.82776: FP8 must be 1.20× faster than BF16 to pay for its 17 % fewer effective parameters.
    expect(precisionTradeoff(EPOCH_REPLICATION, KUMAR_PRECISION, PRECISION_PRESETS.fp8!, 1e24, 1).breakEvenSpeedup).toBeCloseTo(1.2004, 3);
  });
});

describe("fit --form precision (tied γ and offset, α = β)", () => {
  it("on runs made by the App. K law over the paper's sweep grid, recovers its constants and its 7-bit optimum", () => {
    const exact = fitPrecisionLaw(precisionExampleRuns(0));
    expect(exact.optimalBits).toBeGreaterThan(6.9); // paper §4.3.2: around 7–8 bits; the preset: 7.00
    expect(exact.optimalBits).toBeLessThan(7.2);
    expect(exact.law.base!.E).toBeCloseTo(2.7648, 1);
    expect(exact.law.base!.alpha).toBeCloseTo(0.4965, 2);
    expect(exact.rmsLogResidual).toBeLessThan(0.002); // the tied form is not the three-part one, but close
    const noisy = fitPrecisionLaw(precisionExampleRuns(0.003));
    expect(Math.abs(noisy.optimalBits - 7)).toBeLessThan(0.3);
  });

  it("needs runs at three or more precisions and names a missing column with its file and line", () => {
    const one = precisionExampleRuns(0).filter((r) => r.bits === 8 || r.bits === 16);
    expect(() => fitPrecisionLaw(one)).toThrow(/3 or more different precisions/);
    expect(() => parsePrecisionRuns("params,tokens,loss\n1e8,1e9,3.1\n", "runs.csv")).toThrow(/runs\.csv:1: missing column\(s\) bits/);
  });
});

describe("CLI reach", () => {
  it("fit --form precision --json feeds optimal --fit (examples/precision-runs.csv: synthetic, ±0.3 %)", async () => {
    const fit = memoryIO();
    expect(await runCli(["fit", "examples/precision-runs.csv", "--form", "precision", "--json"], fit)).toBe(0);
    const doc = JSON.parse(fit.out);
    expect(doc.kind).toBe("scaleplan-precision-fit");
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-precision-"));
    writeFileSync(join(dir, "fit.json"), fit.out);
    const opt = memoryIO();
    expect(await runCli(["optimal", "--fit", join(dir, "fit.json"), "--flops", "1e21", "--json"], opt)).toBe(0);
    expect(JSON.parse(opt.out).optimum.bits).toBeCloseTo(doc.optimalBits, 6);
  });


  it("optimal --precision fp8 --precision-speedup prints the trade-off; bad values are one-line errors", async () => {
    const io = memoryIO();
    expect(await runCli(["optimal", "--flops", "1e24", "--precision", "fp8", "--precision-speedup", "1.5", "--json"], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.precision.breakEvenSpeedup).toBeCloseTo(1.2004, 3);
    expect(doc.precision.lowPrecisionLoss).toBeLessThan(doc.precision.baselineLoss);
    const bad = memoryIO();
    expect(await runCli(["optimal", "--flops", "1e24", "--precision", "fp9x"], bad)).toBe(2);
    expect(bad.err).toMatch(/^scaleplan: --precision: "fp9x" is not allowed/);
    const tooFew = memoryIO();
    expect(await runCli(["optimal", "--flops", "1e24", "--precision", "3"], tooFew)).toBe(2);
    expect(tooFew.err.trim().split("\n")).toHaveLength(1);
  });

  it("optimal --law precision-kumar-2024 allocates N, D and P (7.00 bits at any budget; --params fixes N)", async () => {
    const io = memoryIO();
    expect(await runCli(["optimal", "--law", "precision-kumar-2024", "--flops", "1e21", "--json"], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.optimum.bits).toBeCloseTo(7.002, 2);
    expect(doc.compared.map((r: { bits: number }) => r.bits)).toEqual([16, 8, 4]);
    const fixed = memoryIO();
    expect(await runCli(["optimal", "--law", "precision-kumar-2024", "--flops", "1e23", "--params", "2.2e8", "--json"], fixed)).toBe(0);
    expect(JSON.parse(fixed.out).optimum.bits).toBeGreaterThan(15);
    const text = memoryIO();
    expect(await runCli(["optimal", "--law", "precision-kumar-2024", "--flops", "1e21"], text)).toBe(0);
    expect(text.out).toMatch(/compute-optimal P\s+7\.00/);
    const bad = memoryIO();
    expect(await runCli(["optimal", "--law", "precision-kumar-2024", "--flops", "1e21", "--tokens", "1e9"], bad)).toBe(2);
  });

  it("laws lists the precision preset with its offsets", async () => {
    const io = memoryIO();
    expect(await runCli(["laws", "precision-kumar-2024"], io)).toBe(0);
    expect(io.out).toContain("1 − e^(1.4072 − P_a/2.2102)");
  });
});
