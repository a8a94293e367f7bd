// Scaling laws as data: a form, its constants, its units and conventions. Loadable from JSON, listed by
// `scaleplan laws`, evaluated by loss-law.ts and hyperparameter-law.ts.

/** What the law's variables count; laws fitted under different conventions are not interchangeable. */
export interface LawConventions {
  /** What N counts, e.g. "all parameters incl. embeddings" (Chinchilla) or "non-embedding" (Kaplan). */
  readonly params: string;
  /** What D counts, e.g. "tokens". */
  readonly data: string;
  /** Loss definition, e.g. "nats/token, MassiveText". */
  readonly loss: string;
  /** Compute accounting, e.g. "C = 6ND FLOP". */
  readonly compute: string;
}

interface LawBase {
  readonly id: string;
  readonly name: string;
  /** Paper and where in it (section, table, repository file). */
  readonly source: string;
  readonly conventions: LawConventions;
  readonly notes?: string;
}

/** L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, eq. 2). */
export interface ChinchillaLaw extends LawBase {
  readonly form: "chinchilla";
  readonly E: number;
  readonly A: number;
  readonly B: number;
  readonly alpha: number;
  readonly beta: number;
}

/**
 * Muennighoff et al. 2023 data-constrained law: the Chinchilla form evaluated at effective data D′ and
 * effective parameters N′ when only U unique tokens exist (repeated epochs decay with R_D*, excess params with R_N*).
 */
export interface DataConstrainedLaw extends LawBase {
  readonly form: "data-constrained";
  readonly E: number;
  readonly A: number;
  readonly B: number;
  readonly alpha: number;
  readonly beta: number;
  readonly rdStar: number;
  readonly rnStar: number;
}

/**
 * Gadre et al. 2024 over-training form: L(C, M) = E + (a·M^η + b·M^{−η})·C^{−η} with M = D/N tokens per
 * parameter, C = 6ND; the Chinchilla form with tied exponents α = β = 2η rewritten.
 */
export interface OvertrainingLaw extends LawBase {
  readonly form: "overtraining";
  readonly E: number;
  readonly a: number;
  readonly b: number;
  readonly eta: number;
}

/** Kaplan et al. 2020 L(N, D) = [(N_c/N)^{α_N/α_D} + D_c/D]^{α_D} (eq. 1.5). */
export interface KaplanNDLaw extends LawBase {
  readonly form: "kaplan-nd";
  readonly nc: number;
  readonly alphaN: number;
  readonly dc: number;
  readonly alphaD: number;
}

/** A one-variable power law L(X) = (X_c/X)^α (Kaplan L(N), L(D), L(C_min)); X in the stated unit. */
export interface PowerLaw1D extends LawBase {
  readonly form: "power-1d";
  readonly variable: "N" | "D" | "C";
  /** Unit of X; "PF-day" for Kaplan's compute laws (1 PF-day = 8.64e19 FLOP). */
  readonly unit: "params" | "tokens" | "FLOP" | "PF-day";
  readonly xc: number;
  readonly exponent: number;
}

/** A loss law: something that predicts loss. */
export type LossLaw = ChinchillaLaw | DataConstrainedLaw | OvertrainingLaw | KaplanNDLaw | PowerLaw1D;

/** y = coef · C^exp (DeepSeek: batch in tokens and peak LR as functions of compute C in FLOP). */
export interface ComputeHyperparameterLaw extends LawBase {
  readonly form: "hparams-compute";
  readonly batch: { readonly coef: number; readonly exp: number };
  readonly lr: { readonly coef: number; readonly exp: number };
}

/** Step Law: η = c·N^p·D^q, B = c·D^q (tokens). */
export interface StepLaw extends LawBase {
  readonly form: "hparams-nd";
  readonly lr: { readonly coef: number; readonly expN: number; readonly expD: number };
  readonly batch: { readonly coef: number; readonly expD: number };
}

/** Kaplan B_crit(L) = B_⋆/L^{1/α_B} (tokens), eq. 1.4. */
export interface CriticalBatchLossLaw extends LawBase {
  readonly form: "bcrit-loss";
  readonly bStar: number;
  readonly alphaB: number;
}

/** Zhang et al. 2024: CBS = coef · (N / 1e6)^exp sequences of `sequenceLength` tokens (Chinchilla-scaled runs). */
export interface CriticalBatchParamsLaw extends LawBase {
  readonly form: "cbs-params";
  readonly coef: number;
  readonly exp: number;
  readonly sequenceLength: number;
}

export type HyperparameterLaw = ComputeHyperparameterLaw | StepLaw | CriticalBatchLossLaw | CriticalBatchParamsLaw;

export type ScalingLaw = LossLaw | HyperparameterLaw;

/** 1 PF-day in FLOP (Kaplan et al. 2020 §1.3: 10^15 × 24 × 3600). */
export const PF_DAY = 8.64e19;
