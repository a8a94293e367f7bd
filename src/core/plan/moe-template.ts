// MoE shape templates: the expert layout of three published MoE families, scaled with width on the dense grid's
// widths and depths (attention as in the dense template: heads of 128, 8 KV heads; the step model has no MLA, so
// DeepSeek-V3's latent attention is modelled as GQA).
//
// Each family keeps the published model's expert count, top-k, shared experts, expert width as a fraction of the
// hidden size, and fraction of dense (non-MoE) layers:
//   deepseek-v3: 256 routed experts, top-8, 1 shared, expert width 2048 at hidden 7168, first 3 of 61 layers dense
//                (DeepSeek-AI 2024, arXiv 2412.19437, §4.2 "Model Hyper-Parameters");
//   qwen3-moe:   128 experts, top-8, no shared expert, expert width 1536 at hidden 4096, no dense layers
//                (Qwen3-235B-A22B config.json: moe_intermediate_size 1536, num_experts 128, num_experts_per_tok 8);
//   mixtral:     8 experts, top-2, expert width 16384 at hidden 6144 (a full SwiGLU MLP), no dense layers
//                (Mixtral 8x22B config.json; Jiang et al. 2024, arXiv 2401.04088 Table 1 for 8x7B: 14336 at 4096).

import type { RunConfigInput } from "../run/run-config.ts";
import { denseModel, denseWidths, templateLayers, type TemplateModel } from "./dense-template.ts";

export interface MoeFamily {
  readonly id: string;
  readonly experts: number;
  readonly topK: number;
  readonly sharedExperts: number;
  /** Expert SwiGLU width / hidden size of the published model. */
  readonly expertWidthRatio: number;
  /** Dense layers / layers of the published model. */
  readonly denseLayerFraction: number;
  readonly source: string;
}

export const MOE_FAMILIES: readonly MoeFamily[] = [
  { id: "deepseek-v3", experts: 256, topK: 8, sharedExperts: 1, expertWidthRatio: 2048 / 7168, denseLayerFraction: 3 / 61, source: "DeepSeek-V3, arXiv 2412.19437 §4.2" },
  { id: "qwen3-moe", experts: 128, topK: 8, sharedExperts: 0, expertWidthRatio: 1536 / 4096, denseLayerFraction: 0, source: "Qwen3-235B-A22B config.json" },
  { id: "mixtral", experts: 8, topK: 2, sharedExperts: 0, expertWidthRatio: 16384 / 6144, denseLayerFraction: 0, source: "Mixtral 8x22B config.json; arXiv 2401.04088 Table 1" },
];

/** Expert widths are rounded to a multiple of 128 (every published width above is one). */
const EXPERT_WIDTH_MULTIPLE = 128;

export function moeModel(family: MoeFamily, hidden: number, layers: number, seqLen: number): RunConfigInput["model"] {
  const dense = denseModel(hidden, layers, seqLen);
  const expertFfn = Math.max(EXPERT_WIDTH_MULTIPLE, EXPERT_WIDTH_MULTIPLE * Math.round((family.expertWidthRatio * hidden) / EXPERT_WIDTH_MULTIPLE));
  return {
    ...dense,
    moe: {
      experts: family.experts,
      topK: family.topK,
      expertFfn,
      sharedExperts: family.sharedExperts,
      denseLayers: Math.round(family.denseLayerFraction * layers),
    },
  };
}

/** Every family at every dense-grid width, at the template depth. */
export function moeGrid(seqLen: number): TemplateModel[] {
  const out: TemplateModel[] = [];
  for (const family of MOE_FAMILIES) {
    for (const h of denseWidths()) {
      const layers = templateLayers(h);
      out.push({ name: `${family.id}-h${h}-l${layers}`, model: moeModel(family, h, layers, seqLen), template: family.id, depthFactor: 1 });
    }
  }
  return out;
}
