import { describe, expect, it } from "vitest";
import { denseGrid, DENSE_GRID_SPACING, llamaSwigluWidth, templateLayers } from "../../src/core/plan/dense-template.ts";
import { moeGrid } from "../../src/core/plan/moe-template.ts";
import { goodputFor, modelledGoodput } from "../../src/core/plan/goodput.ts";
import { roundBatchSequences } from "../../src/core/plan/hyperparameters.ts";
import { candidateShape } from "../../src/core/plan/candidate.ts";

describe("dense template", () => {
  it("reproduces the published Llama 3 SwiGLU widths (8B, 70B, 405B params.json)", () => {
    expect(llamaSwigluWidth(4096)).toBe(14336);
    expect(llamaSwigluWidth(8192)).toBe(28672);
    expect(llamaSwigluWidth(16384)).toBe(53248);
  });
  it("takes depth from the published aspect ratios (Llama 3 8B: 32, 70B: 80, 405B: 126 → 128)", () => {
    expect(templateLayers(4096)).toBe(32);
    expect(templateLayers(8192)).toBe(80);
    expect(templateLayers(16384)).toBe(128);
  });
  it("has neighbouring parameter counts at most DENSE_GRID_SPACING apart", () => {
    const cluster = { gpu: "h100-sxm", gpus: 8, precision: "bf16" as const };
    const params = denseGrid(8192).map((t) => candidateShape(t, cluster).totalParams).sort((a, b) => a - b);
    for (let i = 1; i < params.length; i++) expect(params[i]! / params[i - 1]!).toBeLessThanOrEqual(DENSE_GRID_SPACING);
    // Llama 3 70B's shape is on the grid: 70.6B parameters.
    expect(params.some((p) => Math.abs(p / 70.55e9 - 1) < 0.01)).toBe(true);
  });
  it("MoE grid: DeepSeek-V3's expert layout at hidden 7168 gives its 2048-wide experts", () => {
    const ds = moeGrid(4096).find((t) => t.template === "deepseek-v3" && t.model.hidden === 7168)!;
    expect(ds.model.moe).toMatchObject({ experts: 256, topK: 8, expertFfn: 2048, sharedExperts: 1 });
  });
});

describe("goodput", () => {
  it("is 90 % at Llama 3's 16,384 GPUs (the calibration) and above 90 % at MegaScale's 12,288", () => {
    expect(modelledGoodput(16_384)).toBeCloseTo(0.9, 12);
    expect(modelledGoodput(12_288)).toBeGreaterThan(0.9);
  });
  it("falls as the cluster grows, and a given value overrides it (1 = off)", () => {
    expect(modelledGoodput(1024)).toBeGreaterThan(modelledGoodput(65_536));
    expect(goodputFor(4096, 1).value).toBe(1);
    expect(() => goodputFor(4096, 1.5)).toThrow(/goodput/);
  });
});

describe("batch rounding", () => {
  it("rounds to 2^k or 3·2^k sequences, never above a cap", () => {
    expect(roundBatchSequences(1000)).toBe(1024);
    expect(roundBatchSequences(1400)).toBe(1536);
    expect(roundBatchSequences(2600, true)).toBe(2048);
    expect(roundBatchSequences(3100, true)).toBe(3072);
  });
});
