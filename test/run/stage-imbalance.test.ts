// Unequal pipeline stages (the first holds the input embedding, the last the output layer and the loss) and the
// memory of a published NeMo run that fits in 80 GB.
import { describe, expect, it } from "vitest";
import { AMPERE, DEFAULT_STEP_CONSTANTS } from "../../src/core/run/calibration.ts";
import { resolveRun, validateRunConfig } from "../../src/core/run/run-config.ts";
import { evaluateLayout, stepContext } from "../../src/core/run/step-model.ts";
import { predictStep } from "../../src/core/run/step.ts";

const GIB = 1024 ** 3;

function gpt(vocab: number, pp: number) {
  return validateRunConfig({
    model: { layers: 16, hidden: 4096, heads: 32, ffn: 16384, vocab, seqLen: 2048, tiedEmbeddings: false },
    hardware: { gpu: "a100-sxm-80gb", count: pp },
    parallelism: { tp: 1, pp, zero: 0, recompute: "none", microBatch: 1 },
    training: { globalBatch: 32, precision: "fp16" },
  });
}

describe("pipeline stages are not equal", () => {
  it("the output layer is paid m times on the last stage and not at all in the bubble (pp 4)", () => {
    // Growing the vocabulary from 32k to 64k only changes the last stage (logits GEMM forward + two backward
    // GEMMs, and the fp32 cross-entropy at 16 bytes per logit). The last stage is the slowest, so the step
    // grows by m times that, and the fill/drain of the other three stages does not change.
    const a = predictStep(gpt(32768, 4));
    const b = predictStep(gpt(65536, 4));
    const m = 32; // micro-batches per pipeline: globalBatch / (dp · microBatch)
    const tokens = 2048;
    const h = 4096;
    const dV = 65536 - 32768;
    const eff = AMPERE.matmul * (tokens / (tokens + DEFAULT_STEP_CONSTANTS.matmulHalfDim)); // smallest GEMM dim: 2048 tokens
    const gemm = (2 * tokens * dV * h) / (312e12 * eff);
    const ce = (tokens * dV * 16) / (2.039e12 * DEFAULT_STEP_CONSTANTS.hbmEfficiency);
    // The last stage also has the larger optimizer step (30 bytes per parameter of Adam traffic, ZeRO 0).
    const adam = (dV * h * DEFAULT_STEP_CONSTANTS.adamBytesPerParam) / (2.039e12 * DEFAULT_STEP_CONSTANTS.hbmEfficiency);
    expect(b.stepTimeSeconds - a.stepTimeSeconds).toBeCloseTo(m * (3 * gemm + ce) + adam, 4);
    expect(b.breakdown.timeSeconds.pipelineBubble).toBeCloseTo(a.breakdown.timeSeconds.pipelineBubble, 9);
  });

  it("with one stage the output layer is on the only stage", () => {
    const a = predictStep(gpt(32768, 1));
    const b = predictStep(gpt(65536, 1));
    expect(b.stepTimeSeconds).toBeGreaterThan(a.stepTimeSeconds);
    expect(b.breakdown.timeSeconds.pipelineBubble).toBe(0);
  });

  it("memory: logits are held by the last stage only; the first stage holds p micro-batches (1F1B)", () => {
    const run = resolveRun(gpt(32768, 4));
    const ctx = stepContext(run);
    const e = evaluateLayout(ctx, { tp: 1, pp: 4, vp: 1, cp: 1, ep: 1, dp: 1, sequenceParallel: false, zero: 0, recompute: "none", pipelineSchedule: "1f1b", microBatch: 1, firstStageLayers: null, lastStageLayers: null, activationOffloadLayers: 0 });
    // The first stage (4 micro-batches in flight) outweighs the last (1 in flight + logits) here.
    expect(e.memory.logits).toBe(0);
    const perLayerMb = 2 * 2048 * (4 * 4096 + 2 * 4096 + 2 * 4096 + 16384 + 16384); // bytes, see step-model.ts
    expect(e.memory.activations).toBeCloseTo(4 * 4 * perLayerMb, -2);
  });
});

// Nemotron-4 340B on 128 H100, BF16 (NVIDIA/dgxc-benchmarking @143b90d, nemotron/README_340b.md: NeMo 24.11,
// TP=8, PP=8, MBS=1, VP=12, GBS=32 on 128 GPUs, 4.61 s per step; model dims from its "Notes" section: 96 layers,
// hidden 18432, vocab 256000, seq 4096) with the rest of nemotron/nemotron4-340b-synth.yaml (@8f5cbb3): ffn 73728,
// 96 heads, 8 query groups, squared-relu (2 matrices), untied embeddings, sequence_parallel true,
// activations_checkpoint_granularity selective, distributed_fused_adam with grad_sync_dtype bf16. The README
// states the workload needs "at least 128 GPUs with at least 80 GB memory each", i.e. this run fits in 80 GB.
const nemotron = validateRunConfig({
  model: { layers: 96, hidden: 18432, heads: 96, kvHeads: 8, ffn: 73728, ffnKind: "gelu", vocab: 256000, seqLen: 4096, tiedEmbeddings: false },
  hardware: { gpu: "h100-sxm", count: 128 },
  parallelism: { tp: 8, pp: 8, vp: 12, cp: 1, ep: 1, sequenceParallel: true, zero: 1, recompute: "selective", pipelineSchedule: "interleaved-1f1b", microBatch: 1 },
  training: { globalBatch: 32, precision: "bf16" },
});

describe("Nemotron-4 340B on 128 H100 (NeMo, published to run on 80 GB GPUs)", () => {
  const p = predictStep(nemotron);

  it("fits in 80 GB", () => {
    expect(p.fitsInMemory).toBe(true);
    expect(p.memoryPerGpuGiB.total).toBeLessThan(80);
  });

  it("model states: bf16 weights and gradients + 12/dp bytes of fp32 Adam states, on the first stage", () => {
    // Parameters of the first stage (12 layers + the input embedding) on one TP rank, by hand:
    // attention q, o h² each, k, v h·kvDim each (kvDim = 8 groups × 192), MLP 2·h·ffn, two norms 2h.
    const h = 18432;
    const kv = 8 * (h / 96);
    const layer = 2 * h * h + 2 * h * kv + 2 * h * 73728 + 2 * h;
    const params = (12 * layer + 256000 * h) / 8;
    const states = p.memoryPerGpuGiB.weights + p.memoryPerGpuGiB.gradients + p.memoryPerGpuGiB.optimizer;
    expect((states * GIB) / ((2 + 2 + 12 / 2) * params)).toBeCloseTo(1, 4);
  });
});
