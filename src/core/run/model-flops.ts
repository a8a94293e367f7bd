// Parameter counts and FLOPs of a decoder-only transformer, per token.
//
// Convention (run-config.md, "model FLOPs"): 6 × matmul parameters touched per token (forward 2, backward 4) +
// attention 12 · layers · hidden · seqLen, logits included, input embedding lookup and norms excluded, no
// recompute. The attention term counts the FULL (non-causal) score matrix, as Megatron's, NeMo's and MosaicML's
// MFU formulas do; the hardware time model instead charges only the causal half (FlashAttention skips the masked
// blocks), see step-model.ts.

import type { ModelShape } from "./run-config.ts";

export interface ModelCounts {
  /** Head dimension and total width of K (or V) across KV heads: GQA shrinks K and V projections. */
  readonly headDim: number;
  readonly kvDim: number;
  /** Matrices in the MLP: gelu 2 (up, down), swiglu 3 (gate, up, down). */
  readonly mlpMatrices: number;
  /** Attention projection parameters of one layer: Q, K, V (GQA-sized) and the output projection; for MLA the
   * down- and up-projections of DeepSeek-V2 §2.1 (W^DQ, W^UQ incl. the rotary part, W^DKV + W^KR, W^UK, W^UV, W^O). */
  readonly attentionParams: number;
  /** Of those, the MLA down-projections (W^DQ, W^DKV, W^KR), which Megatron-Core does not shard over TP; 0 for MHA. */
  readonly attentionReplicatedParams: number;
  /** Per token and layer: width of Q, of K and V together, and of the attention output (what the core sees). */
  readonly queryWidth: number;
  readonly keyValueWidth: number;
  readonly attentionOutputWidth: number;
  /** MLA compressed latents per token (c^Q, c^KV, k^R), kept for the up-projections' backward; 0 for MHA. */
  readonly latentWidth: number;
  /** MLP parameters of a dense layer. */
  readonly denseMlpParams: number;
  /** Per MoE layer: all routed experts, the shared experts, the router. */
  readonly routedExpertParams: number;
  readonly sharedExpertParams: number;
  readonly routerParams: number;
  /** Expert parameters a token passes through in one MoE layer (topK routed + shared + router). */
  readonly activeMoeParams: number;
  readonly denseLayers: number;
  readonly moeLayers: number;
  /** Input embedding (vocab × hidden) and the output projection (0 extra when tied). */
  readonly embeddingParams: number;
  readonly outputParams: number;
  /** Norm weights (two per layer + final), counted in memory, not in FLOPs. */
  readonly normParams: number;
  readonly totalParams: number;
  /** Matmul parameters a token touches (active experts only), logits included, embedding lookup excluded. */
  readonly activeMatmulParams: number;
  /** Forward FLOPs per token of the attention scores and values in one layer, full (non-causal): 4·s·h
   * (MHA), 2·s·heads·(qkHeadDim + qkRopeHeadDim) + 2·s·heads·vHeadDim (MLA). */
  readonly attentionCoreFlopsPerTokenPerLayer: number;
  /** Model FLOPs per token (forward + backward), the MFU numerator. */
  readonly modelFlopsPerToken: number;
}

/** The attention block of one layer: its parameters, the widths the core sees, and the per-head score/value widths. */
interface AttentionShape
  extends Pick<ModelCounts, "attentionParams" | "attentionReplicatedParams" | "queryWidth" | "keyValueWidth" | "attentionOutputWidth" | "latentWidth"> {
  /** Per head: the query·key dimension and the value dimension. */
  readonly scoreWidth: number;
  readonly valueWidth: number;
}

/** Multi-head attention with GQA: Q (h×h) + K, V (h×kvDim each) + output projection (h×h). */
function multiHeadAttention(m: ModelShape, headDim: number, kvDim: number): AttentionShape {
  const h = m.hidden;
  return {
    attentionParams: h * (h + 2 * kvDim) + h * h,
    attentionReplicatedParams: 0,
    queryWidth: h,
    keyValueWidth: 2 * kvDim,
    attentionOutputWidth: h,
    latentWidth: 0,
    scoreWidth: headDim,
    valueWidth: headDim,
  };
}

/**
 * DeepSeek-V2 §2.1 (and Megatron-Core MLASelfAttention): queries through a low-rank c^Q (or directly when
 * qLoraRank = 0), keys/values through c^KV, a shared rotary key k^R, per-head non-rotary + rotary query.
 */
function multiHeadLatentAttention(m: ModelShape, mla: NonNullable<ModelShape["mla"]>): AttentionShape {
  const h = m.hidden;
  const qk = mla.qkHeadDim + mla.qkRopeHeadDim;
  const qParams = mla.qLoraRank > 0 ? h * mla.qLoraRank + mla.qLoraRank * m.heads * qk : h * m.heads * qk;
  const kvDown = h * (mla.kvLoraRank + mla.qkRopeHeadDim);
  const kvUp = mla.kvLoraRank * m.heads * (mla.qkHeadDim + mla.vHeadDim);
  return {
    attentionParams: qParams + kvDown + kvUp + m.heads * mla.vHeadDim * h,
    attentionReplicatedParams: (mla.qLoraRank > 0 ? h * mla.qLoraRank : 0) + kvDown,
    queryWidth: m.heads * qk,
    keyValueWidth: m.heads * qk + m.heads * mla.vHeadDim,
    attentionOutputWidth: m.heads * mla.vHeadDim,
    latentWidth: mla.qLoraRank + mla.kvLoraRank + mla.qkRopeHeadDim,
    scoreWidth: qk,
    valueWidth: mla.vHeadDim,
  };
}

export function modelCounts(m: ModelShape): ModelCounts {
  const headDim = m.hidden / m.heads;
  const kvDim = m.kvHeads * headDim;
  const mlpMatrices = m.ffnKind === "swiglu" ? 3 : 2;
  const attention = m.mla ? multiHeadLatentAttention(m, m.mla) : multiHeadAttention(m, headDim, kvDim);
  const { attentionParams, scoreWidth, valueWidth } = attention;
  const denseMlpParams = mlpMatrices * m.hidden * m.ffn;
  const moe = m.moe;
  const expert = moe ? mlpMatrices * m.hidden * moe.expertFfn : 0;
  const routedExpertParams = moe ? moe.experts * expert : 0;
  const sharedExpertParams = moe ? moe.sharedExperts * expert : 0;
  const routerParams = moe ? m.hidden * moe.experts : 0;
  const activeMoeParams = moe ? (moe.topK + moe.sharedExperts) * expert + routerParams : 0;
  const denseLayers = moe ? moe.denseLayers : m.layers;
  const moeLayers = m.layers - denseLayers;
  const embeddingParams = m.vocab * m.hidden;
  const outputParams = m.tiedEmbeddings ? 0 : m.vocab * m.hidden;
  const normParams = (2 * m.layers + 1) * m.hidden;
  const totalParams =
    m.layers * attentionParams +
    denseLayers * denseMlpParams +
    moeLayers * (routedExpertParams + sharedExpertParams + routerParams) +
    embeddingParams +
    outputParams +
    normParams;
  const activeMatmulParams =
    m.layers * attentionParams + denseLayers * denseMlpParams + moeLayers * activeMoeParams + m.vocab * m.hidden;
  const attentionCoreFlopsPerTokenPerLayer = 2 * m.seqLen * m.heads * (scoreWidth + valueWidth);
  // 6·N_matmul + 12·L·h·s: backward is twice the forward for every matmul, the score/value products included.
  const modelFlopsPerToken = 6 * activeMatmulParams + 3 * m.layers * attentionCoreFlopsPerTokenPerLayer;
  return {
    headDim,
    kvDim,
    mlpMatrices,
    attentionParams,
    attentionReplicatedParams: attention.attentionReplicatedParams,
    queryWidth: attention.queryWidth,
    keyValueWidth: attention.keyValueWidth,
    attentionOutputWidth: attention.attentionOutputWidth,
    latentWidth: attention.latentWidth,
    denseMlpParams,
    routedExpertParams,
    sharedExpertParams,
    routerParams,
    activeMoeParams,
    denseLayers,
    moeLayers,
    embeddingParams,
    outputParams,
    normParams,
    totalParams,
    activeMatmulParams,
    attentionCoreFlopsPerTokenPerLayer,
    modelFlopsPerToken,
  };
}
