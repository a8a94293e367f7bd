// Dense shape template: Llama-style decoders (pre-norm, RoPE, SwiGLU, GQA, untied embeddings), sized by width.
//
// Rules, each read off published Llama shapes (Touvron et al. 2023, "Llama 2", Table 1 / params.json; Llama Team
// 2024, "The Llama 3 Herd of Models", Table 3):
//   - heads of 128 dims: hidden = 128 · heads (Llama 2 7B/13B/70B, Llama 3 8B/70B/405B);
//   - GQA with 8 KV heads (Llama 2 70B, Llama 3 8B/70B/405B); widths below 4096 that give a head count not
//     divisible by 8 use gcd(heads, 8) KV heads;
//   - SwiGLU width: int(8/3·h) × ffn_dim_multiplier, rounded up to a multiple of 1024 (Llama 3's `multiple_of`),
//     with the multiplier 1.3 below 16384 and 1.2 from 16384 on (Llama 3 8B/70B and 405B params.json), which
//     reproduces 4096→14336, 8192→28672, 16384→53248;
//   - depth from the published aspect ratios (hidden, layers): 4096/32, 5120/40, 8192/80, 16384/126, interpolated
//     log-linearly and extrapolated with the 405B ratio, rounded to a multiple of 4 so pipelines of 2 and 4 stages
//     divide it (the search also tries every other divisor).
// The grid: widths 1024…4096 in steps of 512, 4096…16384 in steps of 1024 and 18432…49152 in steps of 2048, each at the template depth and at
// 3/4 and 4/3 of it (rounded the same way), so neighbouring parameter counts differ by at most 1.45× (1.35× above 1B parameters; DENSE_GRID_SPACING).

import type { RunConfigInput } from "../run/run-config.ts";

/** Published (hidden, layers) pairs used for the depth rule, with their sources. */
export const LLAMA_SHAPES: ReadonlyArray<{ readonly name: string; readonly hidden: number; readonly layers: number; readonly ffn: number; readonly source: string }> = [
  { name: "Llama 3.2 1B", hidden: 2048, layers: 16, ffn: 8192, source: "meta-llama/Llama-3.2-1B config.json" },
  { name: "Llama 3 8B", hidden: 4096, layers: 32, ffn: 14336, source: "Llama 3 Herd, Table 3" },
  { name: "Llama 2 13B", hidden: 5120, layers: 40, ffn: 13824, source: "Llama 2 paper Table 1 / params.json (depth only; its ffn uses multiple_of 256, no multiplier)" },
  { name: "Llama 3 70B", hidden: 8192, layers: 80, ffn: 28672, source: "Llama 3 Herd, Table 3" },
  { name: "Llama 3 405B", hidden: 16384, layers: 126, ffn: 53248, source: "Llama 3 Herd, Table 3" },
];

/** Llama 3's tokenizer: 128K tokens (128,000 BPE + 256 special = 128,256; Llama 3 Herd §3.2 / config.json). */
export const LLAMA3_VOCAB = 128_256;
export const HEAD_DIM = 128;
export const KV_HEADS = 8;
/** Llama 3's ffn_dim_multiplier: 1.3 in the 8B and 70B params.json, 1.2 in the 405B's; multiple_of 1024 in all. */
const FFN_DIM_MULTIPLIER_BELOW_16K = 1.3;
const FFN_DIM_MULTIPLIER_FROM_16K = 1.2;
const FFN_MULTIPLE_OF = 1024;

/** SwiGLU inner width as Llama computes it: int(2·4h/3), × ffn_dim_multiplier, rounded up to multiple_of. */
export function llamaSwigluWidth(
  hidden: number,
  multiplier = hidden >= 16384 ? FFN_DIM_MULTIPLIER_FROM_16K : FFN_DIM_MULTIPLIER_BELOW_16K,
  multipleOf = FFN_MULTIPLE_OF,
): number {
  const base = Math.floor((2 * 4 * hidden) / 3);
  return multipleOf * Math.ceil(Math.floor(multiplier * base) / multipleOf);
}

const DEPTH_POINTS = LLAMA_SHAPES.filter((s) => s.hidden >= 4096);

/** Template depth for a width: log-linear between the published Llama points, the 405B aspect ratio beyond. */
export function templateLayers(hidden: number): number {
  const pts = DEPTH_POINTS;
  let layers: number;
  if (hidden <= pts[0]!.hidden) layers = (pts[0]!.layers * hidden) / pts[0]!.hidden;
  else if (hidden >= pts[pts.length - 1]!.hidden) layers = (pts[pts.length - 1]!.layers * hidden) / pts[pts.length - 1]!.hidden;
  else {
    let i = 0;
    while (pts[i + 1]!.hidden < hidden) i++;
    const a = pts[i]!;
    const b = pts[i + 1]!;
    const t = Math.log(hidden / a.hidden) / Math.log(b.hidden / a.hidden);
    layers = Math.exp(Math.log(a.layers) + t * Math.log(b.layers / a.layers));
  }
  return roundLayers(layers);
}

/** Whole multiple of 4, at least 4. */
export function roundLayers(layers: number): number {
  return Math.max(4, 4 * Math.round(layers / 4));
}

/** The run-config model block of a dense template model. */
export function denseModel(hidden: number, layers: number, seqLen: number): RunConfigInput["model"] {
  const heads = hidden / HEAD_DIM;
  return {
    layers,
    hidden,
    heads,
    kvHeads: gcd(heads, KV_HEADS),
    ffn: llamaSwigluWidth(hidden),
    ffnKind: "swiglu",
    vocab: LLAMA3_VOCAB,
    seqLen,
    tiedEmbeddings: false,
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Widths of the grid (see the header). */
export function denseWidths(): number[] {
  const w: number[] = [];
  for (let h = 1024; h < 4096; h += 512) w.push(h);
  for (let h = 4096; h <= 16384; h += 1024) w.push(h);
  for (let h = 18432; h <= 49152; h += 2048) w.push(h);
  return w;
}

/** Depth factors tried at every width: the template depth and one step shallower and deeper. */
export const DEPTH_FACTORS = [0.75, 1, 4 / 3] as const;

/** Largest ratio between neighbouring parameter counts on the dense grid (checked in test/plan). */
export const DENSE_GRID_SPACING = 1.45;

export interface TemplateModel {
  readonly name: string;
  readonly model: RunConfigInput["model"];
  /** Which template row the shape follows. */
  readonly template: string;
  /** Depth relative to the template depth at this width (1 = the published aspect ratio). */
  readonly depthFactor: number;
}

export function denseGrid(seqLen: number): TemplateModel[] {
  const out: TemplateModel[] = [];
  const seen = new Set<string>();
  for (const h of denseWidths()) {
    const base = templateLayers(h);
    for (const f of DEPTH_FACTORS) {
      const layers = f === 1 ? base : roundLayers(base * f);
      const key = `${h}x${layers}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ name: `dense-h${h}-l${layers}`, model: denseModel(h, layers, seqLen), template: "llama", depthFactor: f });
    }
  }
  return out;
}
