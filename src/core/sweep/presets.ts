// The model family and token budgets of Hägele et al. 2024 (epfml/schedules-and-scaling `flops.ipynb`, spec §A.1
// table): GPT-2 vocabulary padded to 50304, sequence length 512, 200 sequences per step (400 for 360M).
import { findGpu } from "../hardware/lookup.ts";
import type { DecoderArch } from "./flops.ts";

export interface PresetModel {
  readonly name: string;
  /** Parameters with the tied embedding counted once (notebook value). */
  readonly params: number;
  readonly arch: DecoderArch;
  /** Tokens per optimiser step. */
  readonly batchTokens: number;
  /** The three step budgets of the paper's grid. */
  readonly steps: readonly number[];
}

const arch = (dModel: number, layers: number, heads: number): DecoderArch => ({ dModel, layers, heads, vocab: 50304, seqLen: 512 });
const B200 = 200 * 512;

export const HAGELE_2024_MODELS: readonly PresetModel[] = [
  { name: "33M", params: 33.45e6, arch: arch(384, 8, 6), batchTokens: B200, steps: [3000, 7000, 10000] },
  { name: "53M", params: 52.99e6, arch: arch(512, 8, 8), batchTokens: B200, steps: [3750, 7500, 11250] },
  { name: "60M", params: 59.81e6, arch: arch(512, 10, 8), batchTokens: B200, steps: [7500, 12500, 17500] },
  { name: "93M", params: 93.11e6, arch: arch(640, 12, 10), batchTokens: B200, steps: [10000, 17500, 25000] },
  { name: "124M", params: 123.53e6, arch: arch(768, 12, 12), batchTokens: B200, steps: [15000, 25000, 35000] },
  { name: "151M", params: 151.84e6, arch: arch(768, 16, 12), batchTokens: B200, steps: [25000, 37500, 50000] },
  { name: "166M", params: 166.14e6, arch: arch(896, 12, 14), batchTokens: B200, steps: [25000, 37500, 50000] },
  { name: "210M", params: 208.47e6, arch: arch(768, 24, 12), batchTokens: B200, steps: [37500, 50000, 62500] },
  // Batch 400 sequences for 360M (the notebook's FLOPs use 200 and are likely 2× too low; spec §A.1 note).
  { name: "360M", params: 359.74e6, arch: arch(1024, 24, 16), batchTokens: 400 * 512, steps: [25000, 37500, 50000] },
];

/**
 * Dense 16-bit peak FLOP/s of a catalogue GPU (src/core/hardware: datasheet figures, e.g. A100 312 and H100 SXM
 * 989 TFLOP/s), or undefined. Takes canonical ids and aliases (the paper's `a100`), own keys only.
 */
export function gpuPeakFlops(idOrAlias: string): number | undefined {
  const gpu = findGpu(idOrAlias);
  return gpu === undefined ? undefined : gpu.peakTflopsBf16 * 1e12;
}
