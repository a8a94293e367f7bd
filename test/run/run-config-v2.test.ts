// Version 2 of the run-config contract (shared/specs/run-config.md, "Version 2 additions"): MLA, uneven
// pipelines, activation offloading, the training stack; every version-1 file stays valid.
import { readFileSync, readdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { DEFAULT_STEP_CONSTANTS } from "../../src/core/run/calibration.ts";
import { modelCounts } from "../../src/core/run/model-flops.ts";
import { physicalStageLayers, virtualStageLayers } from "../../src/core/run/pipeline-split.ts";
import { parseRunConfig, resolveRun, validateRunConfig } from "../../src/core/run/run-config.ts";
import { frameworkDefaults } from "../../src/core/run/software.ts";
import { predictStep } from "../../src/core/run/step.ts";

const root = join(import.meta.dirname, "..", "..");
const realRunsDir = join(root, "data", "real-runs");
const realRuns = readdirSync(realRunsDir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(join(realRunsDir, f), "utf8")) as { id: string; config: Record<string, unknown> });
const tmp = mkdtempSync(join(tmpdir(), "scaleplan-v2-"));

describe("version-1 files stay valid", () => {
  it("the v1 examples and fixtures parse and predict unchanged", () => {
    for (const file of [join(root, "examples", "gpt3-175b-h100.yaml"), join(root, "examples", "moe-fp8-h800.yaml"), join(root, "test", "fixtures", "run", "gpt3-175b-h100.yaml")]) {
      const c = parseRunConfig(readFileSync(file, "utf8"), file);
      const p = predictStep(c);
      expect(p.stepTimeSeconds, file).toBeGreaterThan(0);
      expect(p.software.framework).toBe("megatron-core");
    }
  });

  it("every calibration run without its v2 fields (software, inline GPU, MLA) is a valid v1 file", () => {
    for (const r of realRuns) {
      const { software: _software, ...v1 } = r.config;
      const hw = v1["hardware"] as { gpu: unknown; count: number };
      const gpu = typeof hw.gpu === "string" ? hw.gpu : (hw.gpu as { preset: string }).preset;
      const model = { ...(v1["model"] as Record<string, unknown>) };
      delete model["attention"];
      delete model["mla"];
      const config = validateRunConfig({ ...v1, model, hardware: { ...hw, gpu } }, r.id);
      expect(predictStep(config).stepTimeSeconds, r.id).toBeGreaterThan(0);
    }
  });
});

describe("uneven pipelines", () => {
  it("split as evenly as possible, the remainder to the middle stages", () => {
    // Llama 3.1 405B: 126 layers over pp 8 → 15, 16 × 6, 15.
    expect(Array.from({ length: 8 }, (_, r) => physicalStageLayers(126, 8, 1, null, null, r))).toEqual([15, 16, 16, 16, 16, 16, 16, 15]);
    // DeepSeek-V3: 61 layers over pp 4 × vp 4 = 16 virtual stages: 13 of 4 in the middle, 3 of 3 at the ends.
    const virtual = Array.from({ length: 16 }, (_, v) => virtualStageLayers(61, 16, null, null, v));
    expect(virtual.reduce((a, b) => a + b, 0)).toBe(61);
    expect(virtual).toEqual([3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3]);
    // Pinned ends (Megatron decoder_first/last_pipeline_num_layers): the rest evenly over the others.
    // 126 − 28 = 98 over 6 stages: 16 each and 2 left, which go to the middle two.
    expect(Array.from({ length: 8 }, (_, r) => physicalStageLayers(126, 8, 1, 14, 14, r))).toEqual([14, 16, 16, 17, 17, 16, 16, 14]);
  });

  it("the slowest stage sets the pace: 126 layers on pp 8 run between 120 and 128 (accepted, not refused)", () => {
    const run = (layers: number) =>
      predictStep(
        validateRunConfig({
          model: { layers, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, ffnKind: "swiglu", vocab: 128256, seqLen: 8192 },
          hardware: { gpu: "h100-sxm", count: 64 },
          parallelism: { tp: 8, pp: 8, recompute: "full" },
          training: { globalBatch: 64 },
        }),
      );
    const [t120, t126, t128] = [run(120), run(126), run(128)];
    expect(t126.stepTimeSeconds).toBeGreaterThan(t120.stepTimeSeconds);
    expect(t126.stepTimeSeconds).toBeLessThan(t128.stepTimeSeconds);
    // The end stages keep 15 layers next to the embedding / output layer, so the pace is not the 128-layer one.
    expect(t128.stepTimeSeconds - t126.stepTimeSeconds).toBeGreaterThan(0.01 * t128.stepTimeSeconds);
  });
});

describe("multi-head latent attention (DeepSeek-V3, MB4)", () => {
  const mb4 = realRuns.find((r) => r.id === "MB4")!;
  const counts = modelCounts(resolveRun(validateRunConfig(mb4.config, "MB4")).model);

  it("has DeepSeek-V3's 671 B parameters and ~37 B activated (DeepSeek-V3 report, Table 1 / §1)", () => {
    expect(counts.totalParams / 1e9).toBeCloseTo(671, 0);
    // 37 B activated per token: matmul parameters touched (36.6 B) + the input embedding (0.93 B).
    expect((counts.activeMatmulParams + 129280 * 7168) / 1e9).toBeCloseTo(37.5, 0);
  });

  it("attention FLOPs use the score width qk + rope = 192 and the value width 128 per head", () => {
    expect(counts.attentionCoreFlopsPerTokenPerLayer).toBe(2 * 4096 * 128 * (192 + 128));
  });
});

describe("the training stack", () => {
  it("fills defaults per framework (a missing block is megatron-core)", () => {
    expect(frameworkDefaults("megatron-core")).toEqual({ framework: "megatron-core", attention: "cudnn", compile: false, fp8Recipe: null, tpCommOverlap: false, fp8AllGather: false, optimizerStates: "fp32" });
    expect(frameworkDefaults("nemo").tpCommOverlap).toBe(true);
    expect(frameworkDefaults("maxtext").compile).toBe(true);
    expect(frameworkDefaults("megatron-deepspeed").attention).toBe("unfused");
  });

  it("eager torchtitan is slower than compiled, unfused attention slower than flash, TP overlap faster", () => {
    const base = {
      model: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, ffnKind: "swiglu", vocab: 128256, seqLen: 8192 },
      hardware: { gpu: "h100-sxm", count: 16 },
      parallelism: { tp: 2, zero: 3, recompute: "selective" },
      training: { globalBatch: 32 },
    };
    const t = (software: object) => predictStep(validateRunConfig({ ...base, software })).stepTimeSeconds;
    expect(t({ framework: "torchtitan" })).toBeGreaterThan(t({ framework: "torchtitan", compile: true }));
    expect(t({ framework: "torchtitan", attention: "unfused" })).toBeGreaterThan(t({ framework: "torchtitan" }));
    // The fitted hidden fraction is 0 (calibration.ts, TP_OVERLAP_HIDDEN); with any positive one, overlap helps.
    const overlap = (hiddenFraction: number) =>
      predictStep(validateRunConfig({ ...base, software: { framework: "torchtitan", tpCommOverlap: true } }), { ...DEFAULT_STEP_CONSTANTS, tpOverlapHidden: hiddenFraction }).stepTimeSeconds;
    expect(overlap(0)).toBeCloseTo(t({ framework: "torchtitan" }), 12);
    expect(overlap(0.5)).toBeLessThan(overlap(0));
  });
});

describe("bad input: one line naming the field, exit 2", () => {
  const model = "{ layers: 4, hidden: 1024, heads: 8, vocab: 1000, seqLen: 1024 }";
  const cases: Array<[string, string, RegExp]> = [
    ["framework", `model: ${model}\nhardware: { gpu: h100-sxm, count: 8 }\ntraining: { globalBatch: 8 }\nsoftware: { framework: jax }\n`, /software\.framework/],
    ["recipe", `model: ${model}\nhardware: { gpu: h100-sxm, count: 8 }\ntraining: { globalBatch: 8, precision: fp8 }\nsoftware: { fp8Recipe: perchannel }\n`, /software\.fp8Recipe/],
    ["fp8Recipe on bf16", `model: ${model}\nhardware: { gpu: h100-sxm, count: 8 }\ntraining: { globalBatch: 8 }\nsoftware: { fp8Recipe: rowwise }\n`, /^scaleplan: software\.fp8Recipe: "rowwise" is not allowed; expected no fp8Recipe unless training\.precision is fp8 \(got bf16\)$/],
    ["mla without ranks", `model: { layers: 4, hidden: 1024, heads: 8, vocab: 1000, seqLen: 1024, attention: mla }\nhardware: { gpu: h100-sxm, count: 8 }\ntraining: { globalBatch: 8 }\n`, /^scaleplan: model\.mla: a missing value is not allowed; expected the MLA ranks/],
    ["stage layers", `model: ${model}\nhardware: { gpu: h100-sxm, count: 8 }\nparallelism: { pp: 4, firstStageLayers: 2, lastStageLayers: 2 }\ntraining: { globalBatch: 8 }\n`, /^scaleplan: parallelism\.firstStageLayers: 2 does not add up/],
  ];
  for (const [name, text, pattern] of cases) {
    it(name, async () => {
      const file = join(tmp, `${name.replace(/\W+/g, "-")}.yaml`);
      writeFileSync(file, text);
      const io = memoryIO();
      expect(await runCli(["step", "--config", file], io)).toBe(2);
      expect(io.err.trim().split("\n")).toHaveLength(1);
      expect(io.err.trim()).toMatch(pattern);
    });
  }
});

describe("activation offloading and FSDP under pipeline parallelism", () => {
  const llama70 = (parallelism: object, gpu: string = "h100-sxm") =>
    validateRunConfig({
      model: { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, ffnKind: "swiglu", vocab: 128256, seqLen: 8192 },
      hardware: { gpu, count: 64 },
      parallelism,
      training: { globalBatch: 128 },
    });

  it("offloaded layers leave HBM and cost host-link time that is hidden when the link is fast", () => {
    const base = { tp: 4, pp: 4, recompute: "selective", zero: 1 };
    const none = predictStep(llama70(base));
    const half = predictStep(llama70({ ...base, activationOffloadLayers: 10 }));
    // Stored activations of 10 of the 20 layers per stage leave HBM (the in-flight micro-batches of the first stage).
    expect(half.memoryPerGpuGiB.activations).toBeLessThan(none.memoryPerGpuGiB.activations * 0.6);
    expect(half.breakdown.communication.activationOffload.level).toBe("host-link");
    expect(half.breakdown.communication.activationOffload.totalSeconds).toBeGreaterThan(0);
    // GB200's 450 GB/s NVLink-C2C hides more of it than H100's 64 GB/s PCIe Gen5.
    const exposed = (gpu: string) => predictStep(llama70({ ...base, activationOffloadLayers: 10 }, gpu)).breakdown.timeSeconds.activationOffloadExposed;
    expect(exposed("gb200")).toBeLessThan(exposed("h100-sxm"));
  });

  it("torch FSDP under PP keeps the stage gathered (16-bit weights, fp32 gradients): T5-32k's 75.3 GiB within 15 %", () => {
    const t5 = realRuns.find((r) => r.id === "T5-32k")!;
    const p = predictStep(validateRunConfig(t5.config, "T5-32k"));
    expect(Math.abs(p.memoryPerGpuGiB.total / 75.3 - 1)).toBeLessThan(0.15);
    // The same run under Megatron's sharding (no such rule) needs far less: the difference is the kept stage.
    const megatron = predictStep(validateRunConfig({ ...t5.config, software: { framework: "megatron-core", attention: "flash", fp8Recipe: "tensorwise" } }, "T5-32k"));
    expect(p.memoryPerGpuGiB.total - megatron.memoryPerGpuGiB.total).toBeGreaterThan(20);
  });
});
