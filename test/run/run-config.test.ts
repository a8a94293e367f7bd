import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.ts";
import { findGpu, resolveGpu } from "../../src/core/hardware/index.ts";
import { linkRates } from "../../src/core/run/gpu-presets.ts";
import { parseRunConfig, validateRunConfig } from "../../src/core/run/run-config.ts";
import { predictStep } from "../../src/core/run/step.ts";

const base = {
  model: { layers: 96, hidden: 12288, heads: 96, ffn: 49152, vocab: 51200, seqLen: 2048 },
  hardware: { gpu: "h100-sxm", count: 1024 },
  parallelism: { tp: 8, pp: 8 },
  training: { globalBatch: 1536 },
};
const withPar = (p: object, extra: object = {}) => ({ ...base, ...extra, parallelism: { ...base.parallelism, ...p } });
const err = (data: unknown): string => {
  try {
    predictStep(validateRunConfig(data, "run.yaml"));
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error("expected an InputError");
};

describe("run configuration schema", () => {
  it("accepts every field of run-config.md", () => {
    const text = `
model: { layers: 96, hidden: 12288, heads: 96, kvHeads: 96, ffn: 49152, ffnKind: gelu, vocab: 51200, seqLen: 2048, tiedEmbeddings: false,
  moe: { experts: 64, topK: 8, expertFfn: 2048, sharedExperts: 1, denseLayers: 3 } }
hardware: { gpu: h100-sxm, count: 1024, gpusPerNode: 8 }
parallelism: { tp: 8, pp: 8, vp: 1, cp: 1, ep: 1, sequenceParallel: true, zero: 1, recompute: selective, pipelineSchedule: 1f1b, microBatch: 1 }
training: { globalBatch: 1536, precision: bf16 }
`;
    const c = parseRunConfig(text, "run.yaml");
    expect(c.model.moe?.experts).toBe(64);
    expect(predictStep(c).stepTimeSeconds).toBeGreaterThan(0);
  });

  it("rejects unknown fields naming the field and the line", () => {
    expect(() => parseRunConfig("model: { layers: 2, hidden: 64, heads: 2, vocab: 10, seqLen: 8, hiden: 3 }\nhardware: { gpu: h100-sxm, count: 1 }\ntraining: { globalBatch: 1 }\n", "run.yaml")).toThrow(
      /run\.yaml:1:\d+: model\.hiden: unknown field/,
    );
  });

  it("says what is allowed for an out-of-range field", () => {
    expect(() => validateRunConfig(withPar({ zero: 5 }), "run.yaml")).toThrow(/parallelism\.zero: 5 is not allowed; expected 0 \(none\), 1 .*/);
    expect(() => validateRunConfig(withPar({ recompute: "some" }), "run.yaml")).toThrow(/parallelism\.recompute: .*"none"\|"selective"\|"full"|parallelism\.recompute: .*none.*selective.*full/);
  });

  it("names field, value and rule for each layout rule", () => {
    expect(err(withPar({ tp: 3 }))).toMatch(/parallelism\.tp·pp·cp = 3·8·1 = 24 must divide hardware\.count \(1024\)/);
    expect(err(withPar({ tp: 8, pp: 8 }, { training: { globalBatch: 100 } }))).toMatch(/training\.globalBatch: 100 must be a multiple of dp·microBatch = 16·1 = 16/);
    expect(err(withPar({ tp: 8, pp: 8, vp: 13, pipelineSchedule: "interleaved-1f1b" }))).toMatch(/parallelism\.pp·vp = 8·13 = 104 virtual stages need at least one layer each; model\.layers is 96/);
    expect(err({ ...withPar({ tp: 8, pp: 4 }), model: { ...base.model, heads: 100, hidden: 12800 } })).toMatch(/parallelism\.tp: 8 is not allowed; expected a divisor of model\.heads \(100\)/);
    expect(err(withPar({ ep: 2 }))).toMatch(/parallelism\.ep: 2 is not allowed; expected 1 for a dense model/);
    expect(err({ ...withPar({ ep: 3 }), model: { ...base.model, moe: { experts: 64, topK: 2, expertFfn: 1024 } } })).toMatch(/parallelism\.ep: 3 .*divisor of dp·cp/);
    expect(err({ ...withPar({}), hardware: { gpu: "h900", count: 1024 } })).toMatch(/hardware\.gpu: "h900" is not allowed; expected one of v100-sxm2/);
    expect(err({ ...withPar({}), hardware: { gpu: "a100-sxm-80gb", count: 1024 }, training: { globalBatch: 1536, precision: "fp8" } })).toMatch(/training\.precision: "fp8".*no FP8/);
  });
});

describe("GPU presets and bandwidth conventions", () => {
  it("keeps datasheet conventions and converts in one place", () => {
    const h100 = findGpu("h100-sxm")!;
    expect(h100.scaleUpGBpsBidirectional).toBe(900);
    expect(h100.scaleOutGBpsPerDirection).toBe(50);
    const r = linkRates(h100);
    expect(r.scaleUpBytesPerSecond).toBe(450e9); // 900 GB/s both directions = 450 GB/s each way
    expect(r.scaleOutBytesPerSecond).toBe(50e9); // 400 Gb/s NIC, one direction
    expect(findGpu("gb200")!.scaleUpDomain).toBe(72);
  });

  it("overrides a preset field by field and requires every figure for a GPU without a preset", () => {
    const g = resolveGpu({ preset: "h100-sxm", hbmGiB: 96, hbmTBps: 2.4 });
    expect(g.hbmGiB).toBe(96);
    expect(g.peakTflopsBf16).toBe(989);
    expect(() => resolveGpu({ peakTflopsBf16: 100 })).toThrow(/hardware\.gpu\.hbmGiB/);
  });

  it("knows only its own presets: names inherited by every object are not GPUs", () => {
    expect(() => resolveGpu("toString")).toThrow(/hardware\.gpu: "toString" is not allowed/);
    expect(() => resolveGpu({ preset: "constructor" })).toThrow(/hardware\.gpu\.preset/);
  });
});
