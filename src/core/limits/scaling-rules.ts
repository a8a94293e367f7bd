// How the model is sized as the width grows (spec §2.1–§2.2): depth rule, sparsity rule, batch rules,
// and the Chinchilla dataset/compute accounting of a transformer made only of MLP blocks.
import { snapToRoundingList } from "./rounding.ts";

/** Training sequence length in tokens (spec §1.1). */
export const DEFAULT_SEQUENCE_LENGTH = 2048;
/** d_ff / d_model (spec §1.1). */
export const FF_RATIO = 4;

export type BatchRule = "critical" | "fixed" | "deepseek";
export const BATCH_RULES: readonly BatchRule[] = ["critical", "fixed", "deepseek"];

/**
 * Layers L = snap_R(0.10056 · (d·f)^0.3751): a power law fitted to the Chinchilla model shapes (Hoffmann et al.
 * 2022), spec §2.2 rule 1. `depthScale` multiplies the snapped depth and rounds down (our option; 1 = reference).
 */
export function layersFor(dModel: number, dFf: number, depthScale = 1): number {
  const snapped = snapToRoundingList(0.10056 * Math.pow(dModel * dFf, 0.3751));
  return depthScale === 1 ? snapped : Math.floor(snapped * depthScale);
}

/**
 * Experts per layer for MoE runs: E = snap_R(8 · sqrt(d·f / (4·12288²))), i.e. 8 at GPT-4-like width
 * d = 12288 and linear in width (spec §2.2 rule 2).
 */
export function expertsFor(dModel: number, dFf: number): number {
  return snapToRoundingList(8 * Math.pow((dModel * dFf) / (4 * 12288 ** 2), 0.5));
}

/**
 * Global batch in sequences (spec §2.2 rule 3). "critical": 4 Mi tokens at 3e23 FLOP, ∝ C^(1/6) and ∝ √E;
 * "fixed": 4 Mi tokens whatever the model; "deepseek": B = √E · 0.2920 · C^0.3271 tokens (Bi et al. 2024,
 * DeepSeek LLM). The per-expert value is snapped to R, then multiplied back by E. The operation order follows
 * the reference so that the snapped results agree bit for bit.
 */
export function batchSequences(rule: BatchRule, flop: number, seqLen: number, experts: number): number {
  if (rule === "fixed") return Math.floor(2 ** 22 / seqLen);
  const bs =
    rule === "critical"
      ? ((Math.pow(experts, 1 / 2) * Math.pow(flop / 3e23, 1 / 6) * 2048 * 2048) / seqLen)
      : (1 / seqLen) * Math.pow(experts, 1 / 2) * 0.292 * Math.pow(flop, 0.3271);
  return experts * snapToRoundingList(bs / experts);
}

export interface ScaledModelOptions {
  readonly sparse: boolean;
  readonly batchRule: BatchRule;
  readonly depthScale: number;
  readonly tokensPerParam: number;
  readonly sequenceLength: number;
}

/** One model of a sweep: everything follows from d_model by the rules above (spec §2.2 rule 4). */
export interface ScaledModel {
  readonly dModel: number;
  readonly dFf: number;
  readonly layers: number;
  readonly experts: number;
  /** Total parameters P_tot = E · 2·d·f·L (each expert is a full MLP). */
  readonly params: number;
  /** Active parameters per token P_act = 2·d·f·L. */
  readonly activeParams: number;
  /** Dataset D = tokensPerParam · P_tot (total, not active, parameters; spec §2.1). */
  readonly datasetTokens: number;
  /** Training compute C = 6 · P_act · D. */
  readonly flop: number;
  readonly sequenceLength: number;
  readonly batchSequences: number;
  readonly batchTokens: number;
}

export function scaledModel(dModel: number, options: ScaledModelOptions): ScaledModel {
  const dFf = FF_RATIO * dModel;
  const layers = layersFor(dModel, dFf, options.depthScale);
  const experts = options.sparse ? expertsFor(dModel, dFf) : 1;
  // Integer products: every factor has an odd part ≤ 15, so these doubles are exact (spec §5 Q5).
  const params = 2 * dModel * dFf * layers * experts;
  const activeParams = 2 * dModel * dFf * layers;
  const datasetTokens = options.tokensPerParam * params;
  // The reference computes 6·P_tot·D/E (exact integer, then one rounding); the same order here.
  const flop = (6 * params * datasetTokens) / experts;
  const seqs = batchSequences(options.batchRule, flop, options.sequenceLength, experts);
  return {
    dModel,
    dFf,
    layers,
    experts,
    params,
    activeParams,
    datasetTokens,
    flop,
    sequenceLength: options.sequenceLength,
    batchSequences: seqs,
    batchTokens: seqs * options.sequenceLength,
  };
}
