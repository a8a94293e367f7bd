import { describe, expect, it } from "vitest";
import { ROUNDING_LIST, snapToRoundingList } from "../../src/core/limits/rounding.ts";
import { batchSequences, expertsFor, layersFor, scaledModel, type ScaledModelOptions } from "../../src/core/limits/scaling-rules.ts";
import { expectPrinted } from "./printed.ts";

const dense: ScaledModelOptions = { sparse: false, batchRule: "critical", depthScale: 1, tokensPerParam: 20, sequenceLength: 2048 };
const sparse: ScaledModelOptions = { ...dense, sparse: true };

describe("rounding list R (spec §2.2)", () => {
  it("holds f·2^i for f in {1,3,5,7,9}, i < 60, sorted", () => {
    expect(ROUNDING_LIST.length).toBe(300);
    for (let i = 1; i < ROUNDING_LIST.length; i++) expect(ROUNDING_LIST[i]!).toBeGreaterThan(ROUNDING_LIST[i - 1]!);
    expect(ROUNDING_LIST[ROUNDING_LIST.length - 1]).toBe(9 * 2 ** 59);
  });
  it("snaps to the nearest element, ties to the smaller one", () => {
    expect(snapToRoundingList(0.2)).toBe(1);
    expect(snapToRoundingList(11)).toBe(10); // 10 and 12 are equally near
    expect(snapToRoundingList(11.01)).toBe(12);
    expect(snapToRoundingList(13.99)).toBe(14);
    expect(snapToRoundingList(192)).toBe(192);
    expect(snapToRoundingList(1e30)).toBe(9 * 2 ** 59);
  });
});

describe("scaling rules (spec §2.2, §3.5)", () => {
  it("depth examples of §2.2 rule 1", () => {
    const expected: Array<[number, number]> = [
      [12288, 192], [16384, 256], [24576, 320], [32768, 384], [49152, 576],
      [65536, 640], [98304, 896], [131072, 1152], [196608, 1536],
    ];
    for (const [d, layers] of expected) expect(layersFor(d, 4 * d)).toBe(layers);
  });
  it("depth scale multiplies the rounded depth and rounds down", () => {
    expect(layersFor(12288, 4 * 12288, 0.5)).toBe(96);
    expect(layersFor(12288, 4 * 12288, 2)).toBe(384);
    expect(layersFor(12288, 4 * 12288, 0.3)).toBe(57);
  });
  it("experts: 8 at d = 12288, linear in width (§2.2 rule 2)", () => {
    expect(expertsFor(12288, 4 * 12288)).toBe(8);
    expect(expertsFor(14336, 4 * 14336)).toBe(9);
    expect(expertsFor(16384, 4 * 16384)).toBe(10);
    expect(expertsFor(106496, 4 * 106496)).toBe(72);
  });
  it("dense d = 12288", () => {
    const m = scaledModel(12288, dense);
    expect(m.dFf).toBe(49152);
    expect(m.layers).toBe(192);
    expectPrinted(m.params, "2.319282e11");
    expectPrinted(m.datasetTokens, "4.638565e12");
    expectPrinted(m.flop, "6.455e24");
    expect(m.batchSequences).toBe(3584);
    expect(m.batchTokens).toBe(7_340_032);
  });
  it("sparse d = 12288", () => {
    const m = scaledModel(12288, sparse);
    expect(m.experts).toBe(8);
    expectPrinted(m.params, "1.855e12");
    expectPrinted(m.flop, "5.16e25");
    expect(m.batchSequences).toBe(14_336);
    expectPrinted(m.batchTokens, "2.936e7");
  });
  it("dense d = 53248", () => {
    const m = scaledModel(53248, dense);
    expect(m.layers).toBe(576);
    expectPrinted(m.params, "1.306529e13");
    expectPrinted(m.datasetTokens, "2.613058e14");
    expectPrinted(m.flop, "2.048e28");
    expect(m.batchSequences).toBe(12_288);
  });
  it("dense d = 196608", () => {
    const m = scaledModel(196608, dense);
    expect(m.layers).toBe(1536);
    expectPrinted(m.params, "4.749890e14");
    expectPrinted(m.datasetTokens, "9.499780e15");
    expectPrinted(m.flop, "2.707e31");
    expect(m.batchSequences).toBe(40_960);
  });
  it("batch rules: fixed is 4 Mi tokens; critical is 4 Mi tokens at 3e23 FLOP; deepseek follows 0.2920·C^0.3271", () => {
    expect(batchSequences("fixed", 1e30, 2048, 1) * 2048).toBe(2 ** 22);
    expect(batchSequences("critical", 3e23, 2048, 1) * 2048).toBe(2 ** 22);
    // 0.2920 · (1e24)^0.3271 ≈ 2.13e7 tokens ≈ 10 400 sequences → nearest element of R is 10 240 (5·2^11).
    expect(batchSequences("deepseek", 1e24, 2048, 1)).toBe(10_240);
  });
});
