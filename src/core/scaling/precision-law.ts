// Precision-aware scaling (Kumar et al. 2024, "Scaling Laws for Precision", arXiv 2411.04330, §4 eq. 3–4):
// training with weights, activations and KV cache in P_w, P_a, P_kv bits acts like a smaller model,
// N_eff = N·(1 − e^(n_w − P_w/γ_w))·(1 − e^(n_a − P_a/γ_a))·(1 − e^(n_kv − P_kv/γ_kv)), and the loss follows the
// Chinchilla form at N_eff. The offsets n are in the paper's fitted constants (App. K: "a fit of the form e^(x/γ_x)
// in the main text is really computed with offset"); the main text drops them "for notation". With them the
// paper's compute-optimal 7–8 bits (§4.3.2) follows from its own Table 2; without them the optimum is 3.5 bits.
// We apply the factor to any Chinchilla-form law *relative to 16-bit training* (the precision the base laws were
// fitted at), so a BF16 run keeps the base law's prediction exactly; the paper's own base law comes with the preset.
import { InputError } from "../errors.ts";
import { brentMinimize } from "../optimize/brent.ts";
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
  /** Offsets n of the saturating exponentials, 1 − e^(n − P/γ) (App. K); 0 when absent (the main-text form). */
  readonly nW?: number;
  readonly nA?: number;
  readonly nKv?: number;
  /**
   * The Chinchilla-form constants fitted together with the γ's, in the paper's conventions. With them the law
   * allocates N, D and P on its own under its cost model C = (6/16)·N·D·P (eq. 5).
   */
  readonly base?: ChinchillaParams;
}

/**
 * Kumar et al. 2024 App. K, Table 2 ("Fitted constants and their values"), read from a text conversion of the
 * paper: A = 4.299e3, α = β = 0.4965 (tied, App. K), B = 1.806e4, E = 2.7648, γ_w = 2.6745, n_w = 0.3037,
 * γ_i = 2.2102, n_i = 1.4072 (activations, "i" in the table), γ_kv = 0.9578, n_kv = 2.4185. The table's PTQ constants
 * (C_T 0.0598, γ_D 0.5068, γ_N 0.3439, γ_post 0.5907, b 1.1277) are not used: post-training quantization is not
 * modelled here. Fitted on integer-type quantized training of 30M–220M models on Dolma (§2).
 */
export const KUMAR_PRECISION: PrecisionLaw = {
  id: "precision-kumar-2024",
  name: "Kumar et al. effective parameters under low-precision training",
  source: "Kumar et al. 2024, arXiv 2411.04330, eq. 3–5 and App. K Table 2 (γ's with their offsets n, A, B, E, α = β)",
  conventions: { params: "all parameters (their Dolma runs); as the base law with --precision", data: "tokens", loss: "nats/token, Dolma validation", compute: "C = (6/16)·N·D·P (eq. 5; = 6ND at 16 bits); with --precision: 6ND, a P-bit run computes faster" },
  form: "precision",
  gammaW: 2.6745,
  gammaA: 2.2102,
  gammaKv: 0.9578,
  nW: 0.3037,
  nA: 1.4072,
  nKv: 2.4185,
  base: { A: 4.299e3, B: 1.806e4, E: 2.7648, alpha: 0.4965, beta: 0.4965 },
  notes: "Fitted on integer quantization of 30M–220M OLMo-style models (D/N up to ~10^3); the authors call the constants unlikely to transfer and the trends the finding.",
};

/** Precision-aware law presets (`scaleplan laws`, `optimal --law`). */
export const PRECISION_LAW_PRESETS: readonly PrecisionLaw[] = [KUMAR_PRECISION];

export function findPrecisionPreset(id: string): PrecisionLaw | undefined {
  return PRECISION_LAW_PRESETS.find((l) => l.id === id);
}

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

/** One part's factor 1 − e^(n − P/γ); ≤ 0 at or below n·γ bits. */
const partFactor = (bits: number, gamma: number, offset = 0): number => 1 - Math.exp(offset - bits / gamma);

/** The eq. 4 factor for one shared precision P = P_w = P_a = P_kv (≤ 0 where the law has no effective parameters). */
function tiedFactor(law: PrecisionLaw, bits: number): number {
  const parts = [partFactor(bits, law.gammaW, law.nW), partFactor(bits, law.gammaA, law.nA), partFactor(bits, law.gammaKv, law.nKv)];
  return parts.some((f) => f <= 0) ? 0 : parts[0]! * parts[1]! * parts[2]!;
}

/** Bits at or below which a part's factor vanishes (n·γ): the law leaves no effective parameters there. */
export function minimumTrainingBits(law: PrecisionLaw): { weights: number; activations: number; kv: number } {
  return { weights: (law.nW ?? 0) * law.gammaW, activations: (law.nA ?? 0) * law.gammaA, kv: (law.nKv ?? 0) * law.gammaKv };
}

/** The eq. 4 factor N_eff / N at a precision. */
export function precisionFactor(law: PrecisionLaw, p: TrainingPrecision): number {
  for (const [k, v] of Object.entries(p)) if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`precision ${k}`, v, "a number of bits > 0");
  const floor = minimumTrainingBits(law);
  for (const k of ["weights", "activations", "kv"] as const) {
    // Below n·γ bits the fitted factor is ≤ 0; the paper's runs with P_a or P_kv ≤ 3 diverged (App. L).
    if (!(p[k] > floor[k])) throw new InputError(`precision ${k}`, p[k], `more than ${floor[k].toFixed(2)} bits (${law.id} leaves no effective parameters at or below it)`);
  }
  return partFactor(p.weights, law.gammaW, law.nW) * partFactor(p.activations, law.gammaA, law.nA) * partFactor(p.kv, law.gammaKv, law.nKv);
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

/** Highest shared precision searched for an optimum: past it every published γ leaves N_eff/N = 1 to 10 digits. */
const MAX_SEARCH_BITS = 64;

/** Smallest shared precision that keeps effective parameters (the largest part's n·γ). */
function tiedFloor(law: PrecisionLaw): number {
  const f = minimumTrainingBits(law);
  return Math.max(f.weights, f.activations, f.kv);
}

function requireBase(law: PrecisionLaw): ChinchillaParams {
  if (!law.base) throw new InputError("law", law.id, "a precision law with its own Chinchilla constants (A, B, E, α, β)");
  return law.base;
}

/**
 * Compute-optimal shared training precision P = P_w = P_a = P_kv when N, D and P are chosen jointly at fixed
 * C ∝ N·D·P (Kumar et al. §4.3.2, eq. 7; App. E.2.3). With N_eff = N·f(P) and N·D = C'/P, the compute-optimal loss
 * depends on N_eff·D = f(P)·C'/P only, so P* maximises f(P)/P whatever the compute and whatever A, B, α, β: the
 * paper's "independent of compute". With App. K's constants (offsets included) this is 7.0 bits.
 */
export function computeOptimalPrecision(law: PrecisionLaw): number {
  const lo = Math.max(tiedFloor(law), 1e-6);
  return brentMinimize((p) => -tiedFactor(law, p) / p, lo, MAX_SEARCH_BITS, { tolerance: 1e-8 }).x;
}

/** A compute-optimal run at a shared training precision under C = (6/16)·N·D·P. */
export interface PrecisionAllocation {
  readonly bits: number;
  readonly n: number;
  readonly d: number;
  readonly loss: number;
  /** N_eff / N at these bits (absolute, the paper's own fit). */
  readonly factor: number;
  /** C in 16-bit FLOP: (6/16)·N·D·P. */
  readonly flops: number;
}

/**
 * §4.3.1 (eq. 6): the best N, D at a fixed shared precision P. N·D = 16·C/(6P) and A·(N·f)^(−α) = (A·f^(−α))·N^(−α),
 * so it is the Chinchilla optimum of A·f(P)^(−α) at 16·C/P "6ND" FLOP. Lower P: more parameters, fewer tokens.
 */
export function allocateAtPrecision(law: PrecisionLaw, flops: number, bits: number): PrecisionAllocation {
  const base = requireBase(law);
  const factor = precisionFactor(law, { weights: bits, activations: bits, kv: bits });
  const o = chinchillaOptimum({ ...base, A: base.A * factor ** -base.alpha }, (16 * flops) / bits);
  return { bits, n: o.n, d: o.d, loss: o.loss, factor, flops };
}

/** §4.3.2: N, D and P chosen jointly; P is the compute-independent P*. */
export function jointPrecisionOptimum(law: PrecisionLaw, flops: number): PrecisionAllocation {
  return allocateAtPrecision(law, flops, computeOptimalPrecision(law));
}

/**
 * §4.3.3: the model size N is fixed, D and P are chosen: minimise A·(N·f(P))^(−α) + B·D^(−β) with
 * D = 16·C/(6·N·P). The paper finds P* ∝ log C here (App. E.2.2): overtrained models want more bits.
 */
export function fixedSizePrecisionOptimum(law: PrecisionLaw, flops: number, n: number): PrecisionAllocation {
  const base = requireBase(law);
  const tokens = (bits: number) => (16 * flops) / (6 * n * bits);
  const loss = (bits: number) => {
    const f = tiedFactor(law, bits);
    return f > 0 ? chinchillaLoss(base, n * f, tokens(bits)) : Number.POSITIVE_INFINITY;
  };
  const bits = brentMinimize(loss, Math.max(tiedFloor(law), 1e-6), MAX_SEARCH_BITS, { tolerance: 1e-8 }).x;
  return { bits, n, d: tokens(bits), loss: loss(bits), factor: tiedFactor(law, bits), flops };
}
