// Two torchtitan stack facts the step model carries: where the sequence-parallel inputs are cast to FP8
// (torchtitan parallelize.py: the Float8 TP plan, which casts the shard before the all-gather, exists for
// tensorwise scaling only; with rowwise "all-gather happens in high precision" and every rank casts the gathered
// input), and the separate wq / wk / wv GEMMs of torchtitan's Llama (Megatron-Core fuses them into one).
import { describe, expect, it } from "vitest";
import { completeLayout, resolveRun, validateRunConfig, type RunConfig } from "../../src/core/run/run-config.ts";
import { stepContext, Work, type StepContext } from "../../src/core/run/step-model.ts";
import { predictLayout } from "../../src/core/run/step.ts";

// Llama 3 8B on 64 H100 as in torchtitan's async-TP benchmark (the T9 rows), TP degree and recipe varied.
const llama8b = (tp: number, fp8Recipe: "tensorwise" | "rowwise", framework = "torchtitan"): RunConfig =>
  validateRunConfig({
    model: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, ffnKind: "swiglu", vocab: 128256, seqLen: 8192 },
    hardware: { gpu: "h100-sxm", count: 64 },
    parallelism: { tp, pp: 1, sequenceParallel: tp > 1, zero: 3, recompute: "selective", microBatch: 2 },
    training: { globalBatch: (64 / tp) * 2, precision: "fp8" },
    software: { framework, compile: true, fp8Recipe },
  });

const contextOf = (cfg: RunConfig): StepContext => stepContext(resolveRun(cfg));

/** Compute + recompute seconds per step of a configuration under a (possibly altered) context. */
function computeSeconds(cfg: RunConfig, alter: Partial<StepContext> = {}): number {
  const ctx: StepContext = { ...contextOf(cfg), ...alter, work: new Work() };
  const t = predictLayout(ctx, completeLayout(cfg.parallelism, cfg.hardware.count)).breakdown.timeSeconds;
  return t.compute + t.recompute;
}

describe("FP8 casts under TP and torchtitan's projections", () => {
  it("only torchtitan with a recipe other than tensorwise casts the gathered input", () => {
    expect(contextOf(llama8b(8, "rowwise")).fp8CastsGatheredInputs).toBe(true);
    expect(contextOf(llama8b(8, "tensorwise")).fp8CastsGatheredInputs).toBe(false);
    expect(contextOf(llama8b(8, "rowwise", "megatron-core")).fp8CastsGatheredInputs).toBe(false); // Transformer Engine casts the shard
  });

  it("casting the gathered input costs nothing without TP and a lot at TP8 with SP", () => {
    const extra = (tp: number) => computeSeconds(llama8b(tp, "rowwise")) / computeSeconds(llama8b(tp, "rowwise"), { fp8CastsGatheredInputs: false });
    expect(extra(1)).toBe(1);
    expect(extra(8)).toBeGreaterThan(1.1);
  });

  it("separate wq / wk / wv GEMMs are slower than one fused QKV GEMM, more so when TP8 thins K and V to 128 columns", () => {
    expect(contextOf(llama8b(8, "tensorwise")).separateQkvGemms).toBe(true);
    expect(contextOf(llama8b(8, "tensorwise", "megatron-core")).separateQkvGemms).toBe(false);
    const ratio = (tp: number) => computeSeconds(llama8b(tp, "tensorwise")) / computeSeconds(llama8b(tp, "tensorwise"), { separateQkvGemms: false });
    expect(ratio(1)).toBeGreaterThan(1);
    expect(ratio(8)).toBeGreaterThan(ratio(1));
  });
});
