// The inputs of the Scaling view's law panels (MoE, precision, DiLoCo) and their defaults, as typed into the form
// (text, kept as typed so the URL reproduces even an invalid entry). Zod-free: the worker's tasks import it too.

/** Mixture-of-experts laws (`scaleplan optimal --law moe-…`). */
export type MoeInput = {
  readonly moeLaw: string;
  /** Compute budget, FLOP (joint and granular laws). */
  readonly moeBudget: string;
  /** Expert counts to compare, comma-separated (joint law; Clark et al.). */
  readonly moeExperts: string;
  /** Cap on total parameters (memory, Ludziejewski et al. 2025 §4.2); empty for none. */
  readonly moeMaxTotal: string;
  /** Granularity G (moe-granular-2024). */
  readonly moeGranularity: string;
  /** The dense base model's parameters (Clark et al., whose law has a fixed 130B-token budget). */
  readonly moeParams: string;
};

export const DEFAULT_MOE_INPUT: MoeInput = {
  moeLaw: "moe-joint-2025",
  // The first budget of Ludziejewski et al. 2025 Table 1 (reproduced in docs/moe-and-precision-laws.md): its
  // compute-optimal models (0.7–1.7B active) lie inside the sizes the joint law was fitted on, unlike those of the
  // Chinchilla budget of the fit above.
  moeBudget: "1e20",
  // The CLI's default: the expert counts the joint law was fitted on (Ludziejewski et al. 2025 App. E).
  moeExperts: "1,2,4,8,16,32",
  moeMaxTotal: "",
  // The CLI's default (`--granularity`, 8): inside the paper's fitted 1–16.
  moeGranularity: "8",
  // docs/moe-and-precision-laws.md's Clark example (`--params 1e9`).
  moeParams: "1e9",
};

/** Low-precision training against BF16 (`scaleplan optimal --precision P --precision-speedup s`). */
export type PrecisionInput = {
  /** A Chinchilla-form loss-law preset the precision factor is applied to. */
  readonly precisionLaw: string;
  /** fp8, fp6 or fp4 (Kumar et al. count bits; all of weights, activations and KV cache). */
  readonly precision: string;
  /** Its speed over BF16: FLOP in the same GPU time. */
  readonly precisionSpeedup: string;
};

export const DEFAULT_PRECISION_INPUT: PrecisionInput = {
  // The CLI's default law (`optimal --law epoch`, Besiroglu et al. 2024).
  precisionLaw: "epoch",
  precision: "fp8",
  // The CLI's default (1: no speed-up); the chart shows every speed-up up to 2× (H100 SXM's FP8/BF16 peak ratio,
  // 1,979 / 989 TFLOP/s dense, NVIDIA datasheet) and where FP8 starts to win.
  precisionSpeedup: "1",
};

/** DiLoCo against synchronous data parallelism across sites (`scaleplan diloco`). */
export type DilocoInput = {
  readonly dilocoParams: string;
  readonly dilocoReplicas: string;
  readonly dilocoSyncEvery: string;
  readonly dilocoNodes: string;
  readonly dilocoBatch: string;
  readonly dilocoNodeFlops: string;
  readonly dilocoBandwidth: string;
  readonly dilocoLatency: string;
  readonly dilocoWithinBandwidth: string;
  readonly dilocoWithinLatency: string;
  readonly dilocoOuterBits: string;
  readonly dilocoFragments: string;
  readonly dilocoOverlap: boolean;
};

/** `scaleplan diloco`'s defaults (Charles et al. 2025 App. A.3 archetypes), for their Table 6 model of 10B parameters. */
export const DEFAULT_DILOCO_INPUT: DilocoInput = {
  dilocoParams: "10e9",
  dilocoReplicas: "2",
  // The cadence of the paper's scaling laws (H = 30, their §3.1).
  dilocoSyncEvery: "30",
  dilocoNodes: "1024",
  dilocoBatch: "4194304",
  dilocoNodeFlops: "300e12",
  dilocoBandwidth: "10",
  dilocoLatency: "0.01",
  dilocoWithinBandwidth: "400",
  dilocoWithinLatency: "0.0001",
  dilocoOuterBits: "16",
  dilocoFragments: "1",
  dilocoOverlap: false,
};

/** The fields of `defaults` taken from a view's state: a panel's task sees (and recomputes on) its own fields only. */
export function pickFields<D extends object>(state: D, defaults: D): D {
  const out = {} as D;
  for (const key of Object.keys(defaults) as Array<keyof D>) out[key] = state[key];
  return out;
}
