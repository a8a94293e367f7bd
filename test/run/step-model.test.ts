import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { completeLayout, resolveRun, validateRunConfig, brokenLayoutRule, type Layout } from "../../src/core/run/run-config.ts";
import { evaluateLayout, stepContext } from "../../src/core/run/step-model.ts";
import { predictStep } from "../../src/core/run/step.ts";
import { FULL_RECOMPUTE_WORKING_LAYERS } from "../../src/core/run/calibration.ts";

const GIB = 1024 ** 3;
const gpt22b = validateRunConfig({
  model: { layers: 48, hidden: 6144, heads: 64, ffn: 24576, vocab: 51200, seqLen: 2048, tiedEmbeddings: true },
  hardware: { gpu: "a100-sxm-80gb", count: 8 },
  parallelism: { tp: 8, pp: 1, zero: 0, recompute: "full", sequenceParallel: true, microBatch: 4 },
  training: { globalBatch: 4, precision: "fp16" },
});

describe("memory of known configurations", () => {
  // 16-bit gradient buffer (Megatron-Core DDP default grad_reduce_in_fp32 = False; fp16 Megatron-LM keeps fp16
  // grads) + fp32 master weights and Adam m, v (12 bytes): 16 bytes per parameter, 4 + 12/dp with the
  // distributed optimizer (Megatron-Core distributed-optimizer doc, minus the fp32 grad copy that exists only
  // around the optimizer step, when the activations are freed).
  it("no distributed optimizer: 2 + 2 + 12 bytes per parameter", () => {
    const p = predictStep(gpt22b);
    // Parameters by hand: 48 layers × (12·h² + 2h norms) + V·h + final norm; all of them on each of 8 TP ranks / 8.
    const h = 6144;
    const params = 48 * (12 * h * h + 2 * h) + 51200 * h + h;
    const states = p.memoryPerGpuGiB.weights + p.memoryPerGpuGiB.gradients + p.memoryPerGpuGiB.optimizer;
    expect((states * GIB) / ((16 * params) / 8)).toBeCloseTo(1, 6);
  });

  it("distributed optimizer (zero 1): 4 + 12/dp bytes per parameter", () => {
    const c = { ...gpt22b, hardware: { ...gpt22b.hardware, count: 64 }, training: { ...gpt22b.training, globalBatch: 32 }, parallelism: { ...gpt22b.parallelism, zero: 1 as const } };
    const p = predictStep(c);
    const h = 6144;
    const params = (48 * (12 * h * h + 2 * h) + 51200 * h + h) / 8;
    const states = p.memoryPerGpuGiB.weights + p.memoryPerGpuGiB.gradients + p.memoryPerGpuGiB.optimizer;
    expect((states * GIB) / ((4 + 12 / 8) * params)).toBeCloseTo(1, 6);
  });

  // torch FSDP shards the fp32 parameters (the optimizer's master copy; 16-bit weights exist only gathered), its
  // fp32 gradients and the Adam moments: 16 bytes per parameter / dp, with no FP8 weight copy under torchao.
  it("torch FSDP (zero 3): (4 + 4 + 8)/dp bytes per parameter, for BF16 and torchao FP8 alike", () => {
    const h = 6144;
    const params = (48 * (12 * h * h + 2 * h) + 51200 * h + h) / 8;
    for (const precision of ["bf16", "fp8"] as const) {
      const c = validateRunConfig({
        ...gpt22b,
        hardware: { gpu: "h100-sxm", count: 64 },
        parallelism: { ...gpt22b.parallelism, zero: 3 },
        training: { globalBatch: 32, precision },
        software: { framework: "torchtitan" },
      });
      const p = predictStep(c);
      const states = p.memoryPerGpuGiB.weights + p.memoryPerGpuGiB.gradients + p.memoryPerGpuGiB.optimizer;
      expect((states * GIB) / ((16 / 8) * params), precision).toBeCloseTo(1, 6);
    }
  });

  it("full recompute with SP stores only each layer's input, 2·s·b·h/t bytes (Korthikanti et al. 2022, §4.1), plus the rebuilt layer's working set", () => {
    const p = predictStep(gpt22b);
    const s = 2048, b = 4, h = 6144, t = 8;
    const inputs = 48 * ((2 * s * b * h) / t);
    // One layer's full activations × FULL_RECOMPUTE_WORKING_LAYERS of Megatron (the prior 1: the replayed layer).
    const rebuilt = FULL_RECOMPUTE_WORKING_LAYERS.other * s * b * 2 * ((4 * h) / t + (2 * h + 2 * h + 24576 + 24576) / t);
    const logits = s * b * (51200 / t) * 10;
    expect(p.memoryPerGpuGiB.activations * GIB).toBeCloseTo(inputs + rebuilt + logits, -3);
  });
});

describe("Transformer Engine memory savings", () => {
  // Llama-3-8B-shaped, TP2 with SP, no recompute, one GPU stage: the stored activations are exact sums.
  const s = 8192, b = 1, h = 4096, ffn = 14336, t = 2, L = 32, V = 128256;
  const base = (precision: "bf16" | "fp8", framework: "megatron-core" | "megatron-bridge") =>
    predictStep(
      validateRunConfig({
        model: { layers: L, hidden: h, heads: 32, kvHeads: 8, ffn, ffnKind: "swiglu", vocab: V, seqLen: s },
        hardware: { gpu: "h100-sxm", count: 2 },
        parallelism: { tp: t, pp: 1, zero: 1, recompute: "none", sequenceParallel: true, microBatch: b },
        training: { globalBatch: 1, precision },
        software: { framework },
      }),
    );

  it("FP8 keeps the norm outputs (2h, ÷t with SP) and the activation output (ffn/t) in 1 byte, not 2", () => {
    const saved = L * s * b * ((2 * h) / t + ffn / t);
    const bf16 = base("bf16", "megatron-core").memoryPerGpuGiB.activations * GIB;
    const fp8 = base("fp8", "megatron-core").memoryPerGpuGiB.activations * GIB;
    expect(bf16 - fp8).toBeCloseTo(saved, -3);
  });

  it("the fused cross entropy of Megatron-Bridge keeps 2 bytes per logit instead of 10", () => {
    const core = base("bf16", "megatron-core").memoryPerGpuGiB.activations * GIB;
    const bridge = base("bf16", "megatron-bridge").memoryPerGpuGiB.activations * GIB;
    expect(core - bridge).toBeCloseTo(s * b * (V / t) * 8, -3);
  });
});

// Property tests over random valid layouts of one model.
const llama70 = validateRunConfig({
  model: { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, ffnKind: "swiglu", vocab: 128256, seqLen: 8192 },
  hardware: { gpu: "h100-sxm", count: 256 },
  training: { globalBatch: 512 },
});
const run = resolveRun(llama70);
const ctx = stepContext(run);
const arbLayout = fc
  .record({
    tp: fc.constantFrom(1, 2, 4, 8),
    pp: fc.constantFrom(1, 2, 4, 8),
    cp: fc.constantFrom(1, 2),
    zero: fc.constantFrom(0, 1, 2, 3),
    recompute: fc.constantFrom("none", "selective", "full"),
    microBatch: fc.constantFrom(1, 2),
    schedule: fc.constantFrom("1f1b", "gpipe", "zero-bubble"),
  })
  .map((r): Layout => completeLayout({ tp: r.tp, pp: r.pp, cp: r.cp, zero: r.zero as 0 | 1 | 2 | 3, recompute: r.recompute as "none", microBatch: r.microBatch, pipelineSchedule: r.schedule as "1f1b", sequenceParallel: r.tp > 1 }, 256));

describe("properties", () => {
  it("MFU and HFU stay below 1, every time part is non-negative and the parts add up to the step time", () => {
    fc.assert(
      fc.property(arbLayout, (l) => {
        if (brokenLayoutRule(run, l) !== null) return;
        const e = evaluateLayout(ctx, l);
        const t = e.time;
        const parts = [t.compute, t.recompute, t.tensorParallelExposed, t.contextParallelExposed, t.expertParallelExposed, t.pipelineP2pExposed, t.zero3GatherExposed, t.pipelineBubble, t.dataParallelExposed, t.optimizer];
        for (const x of parts) expect(x).toBeGreaterThanOrEqual(0);
        expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(t.stepTime, 9);
        const mfu = (ctx.counts.modelFlopsPerToken * run.globalBatch * 8192) / (t.stepTime * 256 * ctx.peakFlopsBf16);
        expect(mfu).toBeLessThan(1);
        expect(e.hardwareFlopsPerGpu / (t.stepTime * ctx.peakFlopsBf16)).toBeLessThan(1);
      }),
      { numRuns: 300 },
    );
  });

  // At a fixed data-parallel size (the cluster grows with tp or pp). At a fixed GPU count, a deeper pipeline can
  // need more memory: dp shrinks while the first stage keeps the whole embedding.
  it("memory per GPU does not increase as zero, tp (with SP) or pp grow at fixed dp", () => {
    fc.assert(
      fc.property(arbLayout, (l) => {
        if (brokenLayoutRule(run, l) !== null) return;
        const mem = evaluateLayout(ctx, l).memory.total;
        const more: Layout[] = [];
        if (l.zero < 3) more.push({ ...l, zero: (l.zero + 1) as 1 | 2 | 3 });
        if (l.tp < 8) more.push({ ...l, tp: l.tp * 2, sequenceParallel: true });
        if (l.pp < 8) more.push({ ...l, pp: l.pp * 2 });
        for (const m of more) {
          if (brokenLayoutRule(run, m) !== null) continue;
          expect(evaluateLayout(ctx, m).memory.total).toBeLessThanOrEqual(mem * (1 + 1e-12));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("recompute trades time for memory: none ≥ selective ≥ full in memory, the reverse in time", () => {
    const l = completeLayout({ tp: 8, pp: 4, recompute: "none" }, 256);
    const none = evaluateLayout(ctx, l);
    const memNone = none.memory.total, tNone = none.time.stepTime;
    const sel = evaluateLayout(ctx, { ...l, recompute: "selective" });
    const memSel = sel.memory.total, tSel = sel.time.stepTime;
    const full = evaluateLayout(ctx, { ...l, recompute: "full" });
    expect(memNone).toBeGreaterThan(memSel);
    expect(memSel).toBeGreaterThan(full.memory.total);
    expect(tNone).toBeLessThan(tSel);
    expect(tSel).toBeLessThan(full.time.stepTime);
  });

  it("pipeline bubble: interleaving by v divides the 1F1B bubble by v; zero-bubble is smaller than 1F1B", () => {
    const l = completeLayout({ tp: 8, pp: 4, recompute: "selective" }, 256);
    const b1 = evaluateLayout(ctx, l).time.pipelineBubble;
    const b5 = evaluateLayout(ctx, { ...l, vp: 5, pipelineSchedule: "interleaved-1f1b" }).time.pipelineBubble;
    expect(b5 / b1).toBeCloseTo(1 / 5, 1);
    expect(evaluateLayout(ctx, { ...l, pipelineSchedule: "zero-bubble" }).time.pipelineBubble).toBeLessThan(b1);
  });
});
