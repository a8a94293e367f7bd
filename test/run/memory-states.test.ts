// Memory terms behind issue 11's "no run that ran is predicted out of memory": DeepSpeed ZeRO-3's gathered
// working set (one module, as DeepSpeed's estimate_zero3_model_states_mem_needs counts it) and bf16 optimizer
// states (Apex DistributedFusedAdam with dtype bf16, software.optimizerStates). Expected values are derived here
// from the model's shape, not read back from the model.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { validateRunConfig } from "../../src/core/run/run-config.ts";
import { predictStep } from "../../src/core/run/step.ts";

const GIB = 2 ** 30;
// GPT 530B (Narayanan et al. 2021, Table 2): 105 layers, h 20,480, FFN 4h, tied vocab 51,200.
const gpt530b = { layers: 105, hidden: 20480, heads: 128, ffn: 81920, ffnKind: "gelu", vocab: 51200, seqLen: 2048, tiedEmbeddings: true } as const;
const zero3 = (framework: string) =>
  predictStep(
    validateRunConfig({
      model: gpt530b,
      hardware: { gpu: "a100-sxm-80gb", count: 640 },
      parallelism: { zero: 3, recompute: "full", microBatch: 4 },
      training: { globalBatch: 2560, precision: "fp16" },
      software: { framework },
    }),
  );

describe("ZeRO-3 gathered working set", () => {
  it("DeepSpeed holds the largest module's 16-bit weight and gradient: 4 bytes × FC1 (h × 4h)", () => {
    const p = zero3("deepspeed");
    expect(p.breakdown.memoryGiB.zero3Buffers * GIB).toBeCloseTo(4 * 20480 * 81920, -3);
    expect(p.fitsInMemory).toBe(true);
  });

  it("torch FSDP keeps the computed and prefetched layer plus one unsharded gradient: 3 × 2 bytes × a layer", () => {
    const p = zero3("llm-foundry");
    const layer = 4 * 20480 * 20480 + 2 * 20480 * 81920 + 2 * 20480; // QKV + output, FC1 + FC2, two norms
    expect(p.breakdown.memoryGiB.zero3Buffers * GIB).toBeCloseTo(3 * 2 * layer, -3);
    expect(p.breakdown.memoryGiB.zero3Buffers).toBeGreaterThan(4 * zero3("deepspeed").breakdown.memoryGiB.zero3Buffers);
  });
});

describe("software.optimizerStates", () => {
  const nemotron340b = (optimizerStates?: "fp32" | "bf16") =>
    predictStep(
      validateRunConfig({
        model: { layers: 96, hidden: 18432, heads: 96, kvHeads: 8, ffn: 73728, ffnKind: "gelu", vocab: 256000, seqLen: 4096, tiedEmbeddings: false },
        hardware: { gpu: "h100-sxm", count: 128 },
        parallelism: { tp: 8, pp: 8, vp: 12, sequenceParallel: true, zero: 1, recompute: "none", pipelineSchedule: "interleaved-1f1b", microBatch: 1 },
        training: { globalBatch: 32, precision: "fp8" },
        software: optimizerStates === undefined ? { framework: "nemo" } : { framework: "nemo", optimizerStates },
      }),
    );

  it("defaults to fp32 (12 bytes per parameter) and bf16 keeps 4: a third of the optimizer memory", () => {
    const fp32 = nemotron340b();
    const bf16 = nemotron340b("bf16");
    expect(nemotron340b("fp32").memoryPerGpuGiB.optimizer).toBe(fp32.memoryPerGpuGiB.optimizer);
    expect(bf16.memoryPerGpuGiB.optimizer / fp32.memoryPerGpuGiB.optimizer).toBeCloseTo(4 / 12, 12);
    expect(bf16.memoryPerGpuGiB.weights).toBe(fp32.memoryPerGpuGiB.weights);
    expect(bf16.stepTimeSeconds).toBe(fp32.stepTimeSeconds);
    expect(fp32.fitsInMemory).toBe(false);
    expect(bf16.fitsInMemory).toBe(true);
    expect(bf16.software.optimizerStates).toBe("bf16");
    expect("optimizerStates" in fp32.software).toBe(false);
  });

  it("an unknown value is one line naming the field, exit 2", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "scaleplan-memory-")), "run.yaml");
    writeFileSync(file, "model: { layers: 4, hidden: 1024, heads: 8, vocab: 1000, seqLen: 1024 }\nhardware: { gpu: h100-sxm, count: 8 }\ntraining: { globalBatch: 8 }\nsoftware: { optimizerStates: fp16 }\n");
    const io = memoryIO();
    expect(await runCli(["step", "--config", file], io)).toBe(2);
    expect(io.err.trim().split("\n")).toHaveLength(1);
    expect(io.err.trim()).toMatch(/^scaleplan: \S*run\.yaml:4:\d+: software\.optimizerStates: "fp16" is not allowed; expected one of fp32, bf16$/);
  });
});
