import { describe, expect, it } from "vitest";
import { modelCounts } from "../../src/core/run/model-flops.ts";
import type { ModelShape } from "../../src/core/run/run-config.ts";

const gpt3: ModelShape = {
  layers: 96, hidden: 12288, heads: 96, kvHeads: 96, ffn: 49152, ffnKind: "gelu",
  vocab: 51200, seqLen: 2048, tiedEmbeddings: true, moe: null, mla: null,
};

describe("model FLOPs per token (run-config.md convention)", () => {
  it("GPT-3 175B: 72·l·h² + 12·l·h·s + 6·V·h, i.e. NVIDIA's 2.20e15 FLOPs per 2,048-token sample", () => {
    const c = modelCounts(gpt3);
    // Hand-computed: 72·96·12288² = 1,043,677,052,928; 12·96·12288·2048 = 28,991,029,248; 6·51200·12288 = 3,774,873,600.
    expect(c.modelFlopsPerToken).toBe(1_043_677_052_928 + 28_991_029_248 + 3_774_873_600);
    // dgxc-benchmarking nemo_megatron/README_175b.md: 2.20e15 model FLOPs per sample (seq 2048).
    expect((c.modelFlopsPerToken * 2048) / 2.2e15).toBeCloseTo(1, 2);
    // The paper's "175B" parameters (Brown et al. 2020, Table 2.1: 175.0B).
    expect(c.totalParams / 175e9).toBeCloseTo(1, 2);
  });

  it("GQA shrinks only the K and V projections; SwiGLU has three MLP matrices (Llama 3.1 8B: 8.03B parameters)", () => {
    const llama: ModelShape = { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, ffnKind: "swiglu", vocab: 128256, seqLen: 8192, tiedEmbeddings: false, moe: null, mla: null };
    const c = modelCounts(llama);
    expect(c.kvDim).toBe(1024);
    expect(c.attentionParams).toBe(4096 * (4096 + 2 * 1024) + 4096 * 4096);
    expect(c.denseMlpParams).toBe(3 * 4096 * 14336);
    // Meta's model card: 8.03B parameters.
    expect(c.totalParams / 8.03e9).toBeCloseTo(1, 2);
    // NeMo's formula (README_8b.md): 12·l·h²·(1 + g/a + s/h) + 18·l·ffn·h + 6·V·h per token.
    const l = 32, h = 4096, s = 8192, V = 128256;
    expect(c.modelFlopsPerToken).toBe(12 * l * h * h * (1 + 8 / 32 + s / h) + 18 * l * 14336 * h + 6 * V * h);
  });

  it("MoE: routed top-k + shared experts + router per token, dense leading layers keep the dense MLP", () => {
    const moe: ModelShape = {
      layers: 4, hidden: 1024, heads: 8, kvHeads: 8, ffn: 4096, ffnKind: "swiglu", vocab: 1000, seqLen: 512, tiedEmbeddings: false,
      moe: { experts: 16, topK: 2, expertFfn: 512, sharedExperts: 1, denseLayers: 1 },
      mla: null,
    };
    const c = modelCounts(moe);
    const attn = 1024 * (1024 + 2 * 1024) + 1024 * 1024;
    const expert = 3 * 1024 * 512;
    const active = 4 * attn + 1 * 3 * 1024 * 4096 + 3 * ((2 + 1) * expert + 1024 * 16) + 1000 * 1024;
    expect(c.activeMatmulParams).toBe(active);
    expect(c.modelFlopsPerToken).toBe(6 * active + 12 * 4 * 1024 * 512);
    expect(c.totalParams).toBe(4 * attn + 3 * 1024 * 4096 + 3 * (16 * expert + expert + 1024 * 16) + 2 * 1000 * 1024 + 9 * 1024);
  });
});
