import { describe, expect, it } from "vitest";
import { validateRunConfig } from "../../src/core/run/run-config.ts";
import { predictStep } from "../../src/core/run/step.ts";
import { searchLayouts } from "../../src/core/run/layout-search.ts";

const moe = (parallelism: object, precision: "bf16" | "fp8" = "bf16") =>
  validateRunConfig({
    model: {
      layers: 16, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, ffnKind: "swiglu", vocab: 32000, seqLen: 4096,
      moe: { experts: 64, topK: 8, expertFfn: 1024, sharedExperts: 1, denseLayers: 1 },
    },
    hardware: { gpu: "h100-sxm", count: 64 },
    parallelism,
    training: { globalBatch: 256, precision },
  });

describe("MoE and FP8", () => {
  it("expert parallelism shards expert memory and adds all-to-all on the level it crosses", () => {
    const ep1 = predictStep(moe({ tp: 1, pp: 1, ep: 1, zero: 1 }));
    const ep8 = predictStep(moe({ tp: 1, pp: 1, ep: 8, zero: 1 }));
    const ep64 = predictStep(moe({ tp: 1, pp: 1, ep: 64, zero: 1 }));
    expect(ep8.memoryPerGpuGiB.weights).toBeLessThan(ep1.memoryPerGpuGiB.weights);
    expect(ep1.breakdown.communication.expertParallel.totalSeconds).toBe(0);
    expect(ep8.breakdown.communication.expertParallel.level).toBe("scale-up");
    expect(ep64.breakdown.communication.expertParallel.level).toBe("scale-out");
    expect(ep64.breakdown.timeSeconds.expertParallelExposed).toBeGreaterThan(ep8.breakdown.timeSeconds.expertParallelExposed);
    for (const p of [ep1, ep8, ep64]) {
      expect(Number.isFinite(p.stepTimeSeconds)).toBe(true);
      expect(p.mfu).toBeLessThan(1);
    }
  });

  it("FP8 speeds up the GEMMs only: faster than BF16 but less than 2×; MFU at the FP8 peak is half the BF16 MFU", () => {
    const bf16 = predictStep(moe({ tp: 2, pp: 2, ep: 8, sequenceParallel: true }));
    const fp8 = predictStep(moe({ tp: 2, pp: 2, ep: 8, sequenceParallel: true }, "fp8"));
    expect(fp8.stepTimeSeconds).toBeLessThan(bf16.stepTimeSeconds);
    expect(fp8.stepTimeSeconds).toBeGreaterThan(bf16.stepTimeSeconds / 2);
    expect(fp8.mfuAtPrecisionPeak).toBeCloseTo(fp8.mfu * (989 / 1979), 12);
    expect(fp8.memoryPerGpuGiB.weights).toBeGreaterThan(bf16.memoryPerGpuGiB.weights); // the FP8 weight copy
  });

  it("search over a MoE model returns only fitting layouts, best first, with ep dividing (tp/expertTp)·dp·cp", () => {
    const cfg = moe({ zero: 1, recompute: "selective" });
    const r = searchLayouts({ ...cfg, parallelism: { zero: 1, recompute: "selective" } }, { top: 5 });
    expect(r.best.length).toBe(5);
    for (let i = 1; i < r.best.length; i++) expect(r.best[i]!.stepTimeSeconds).toBeGreaterThanOrEqual(r.best[i - 1]!.stepTimeSeconds);
    for (const b of r.best) {
      // MoE parallel folding: ep divides (tp/expertTp)·dp·cp (= dp·cp when expertTp = tp).
      expect((((b.layout.tp / (b.layout.expertTp ?? b.layout.tp)) * b.layout.dp * b.layout.cp) % b.layout.ep)).toBe(0);
      expect(b.layout.zero).toBe(1);
      expect(b.memoryPerGpuGiB).toBeLessThanOrEqual(r.usableMemoryGiB);
    }
  });
});
