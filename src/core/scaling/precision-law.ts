// Precision-aware scaling (Kumar et al. 2024, "Scaling Laws for Precision", arXiv 2411.04330, §4 eq. 3–4):
// training with weights, activations and KV cache in P_w, P_a, P_kv bits acts like a smaller model,
// N_eff = N·(1 − e^(−P_w/γ_w))·(1 − e^(−P_a/γ_a))·(1 − e^(−P_kv/γ_kv)), and the loss follows the Chinchilla form at
// N_eff. We apply the factor to any Chinchilla-form law *relative to 16-bit training* (the precision the base laws
// were fitted at), so a BF16 run keeps the base law's prediction exactly.
import { InputError } from "../errors.ts";
import { chinchillaLoss, chinchillaOptimum, type ChinchillaParams } from "./chinchilla-law.ts";
import type { LawConventions } from "./law-types.ts";

export interface PrecisionLaw {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly conventions: LawConventions;
  readonly notes?: string;
  readonly form: "precision";
  /** Bit sensitivities of weights, activations and KV cache. */
  readonly gammaW: number;
  readonly gammaA: number;
  readonly gammaKv: number;
}

/**
 * Kumar et al. 2024 App. K, Table 2 (γ_w, γ_a, γ_kv of the quantized-training fit), read from a third-party
 * implementation that cites that table (the paper's PDF was not in our sources: a secondary source). The same
 * table's α = β = 0.4965 and E = 2.7648 are confirmed by a second excerpt; its A and B were not available, which is
 * why the factor is applied to a law of the user's choice.
 */
export const KUMAR_PRECISION: PrecisionLaw = {
  id: "precision-kumar-2024",
  name: "Kumar et al. effective parameters under low-precision training",
  source: "Kumar et al. 2024, arXiv 2411.04330, eq. 3–4 and App. K Table 2 (γ_w, γ_a, γ_kv via a secondary source)",
  conventions: { params: "as the base law", data: "as the base law", loss: "as the base law", compute: "C = 6ND; a P-bit run computes faster, not cheaper in FLOP" },
  form: "precision",
  gammaW: 2.6745,
  gammaA: 2.2102,
  gammaKv: 0.9578,
  notes: "Fitted on integer quantization of 30M–220M OLMo-style models (D/N up to ~10^3); the authors call the constants unlikely to transfer and the trends the finding.",
};

/** Bits of weights, activations and KV cache during training. */
export interface TrainingPrecision {
  readonly weights: number;
  readonly activations: number;
  readonly kv: number;
}

/** Named training precisions by their bit width (FP8 = 8 bits for all three, as the paper counts bits). */
export const PRECISION_PRESETS: Readonly<Record<string, TrainingPrecision>> = {
  fp32: { weights: 32, activations: 32, kv: 32 },
  bf16: { weights: 16, activations: 16, kv: 16 },
  fp8: { weights: 8, activations: 8, kv: 8 },
  fp6: { weights: 6, activations: 6, kv: 6 },
  fp4: { weights: 4, activations: 4, kv: 4 },
};

/** The eq. 4 factor N_eff / N at a precision. */
export function precisionFactor(law: PrecisionLaw, p: TrainingPrecision): number {
  for (const [k, v] of Object.entries(p)) if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`precision ${k}`, v, "a number of bits > 0");
  return (1 - Math.exp(-p.weights / law.gammaW)) * (1 - Math.exp(-p.activations / law.gammaA)) * (1 - Math.exp(-p.kv / law.gammaKv));
}

/** N_eff / N relative to 16-bit training, the precision the base laws were fitted at. */
export function relativeEffectiveParams(law: PrecisionLaw, p: TrainingPrecision): number {
  return precisionFactor(law, p) / precisionFactor(law, PRECISION_PRESETS.bf16!);
}

/** Loss of a base Chinchilla-form law for a P-bit training run of N parameters on D tokens. */
export function precisionLoss(base: ChinchillaParams, law: PrecisionLaw, p: TrainingPrecision, n: number, d: number): number {
  return chinchillaLoss(base, n * relativeEffectiveParams(law, p), d);
}

export interface PrecisionTradeoff {
  /** Compute-optimal loss of the 16-bit run on the budget. */
  readonly baselineLoss: number;
  /** Compute-optimal loss of the low-precision run given `speedup`× the FLOP in the same GPU time. */
  readonly lowPrecisionLoss: number;
  readonly relativeEffectiveParams: number;
  /** The speedup at which the low-precision run matches the 16-bit loss. */
  readonly breakEvenSpeedup: number;
  readonly n: number;
  readonly d: number;
}

/**
 * FP8 (or any P) against BF16 on the same GPU time: the 16-bit run gets `flops`, the P-bit run `speedup`·flops, and
 * its parameters count k = N_eff/N as much. N_eff = k·N turns the law into a Chinchilla form with A' = A·k^(−α),
 * whose compute-optimal excess loss is ∝ (A'^β · C^(−αβ))^(1/(α+β)) (Hoffmann et al. eq. 4 substituted back); equal
 * losses need (k·s)^(−αβ/(α+β)) = 1, so the break-even speedup is exactly s* = 1/k, whatever the base law.
 */
export function precisionTradeoff(base: ChinchillaParams, law: PrecisionLaw, p: TrainingPrecision, flops: number, speedup: number): PrecisionTradeoff {
  if (!(speedup > 0) || !Number.isFinite(speedup)) throw new InputError("speedup", speedup, "a finite number > 0");
  const k = relativeEffectiveParams(law, p);
  const baseline = chinchillaOptimum(base, flops);
  const low = chinchillaOptimum({ ...base, A: base.A * k ** -base.alpha }, flops * speedup);
  return { baselineLoss: baseline.loss, lowPrecisionLoss: low.loss, relativeEffectiveParams: k, breakEvenSpeedup: 1 / k, n: low.n, d: low.d };
}
