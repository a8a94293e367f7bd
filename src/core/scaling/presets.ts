import type { ChinchillaLaw, HyperparameterLaw, LawConventions, LossLaw, ScalingLaw } from "./law-types.ts";
import { GRANULAR_DENSE_2024 } from "./moe-presets.ts";

const CHINCHILLA_CONV: LawConventions = {
  params: "all parameters incl. embeddings",
  data: "training tokens (single epoch)",
  loss: "nats/token, MassiveText (smoothed training loss)",
  compute: "C = 6ND FLOP",
};
const KAPLAN_CONV: LawConventions = {
  params: "non-embedding parameters (≈12·n_layer·d²)",
  data: "training tokens",
  loss: "nats/token, WebText2, context 1024",
  compute: "C ≈ 6·N·B·S non-embedding FLOP; 1 PF-day = 8.64e19 FLOP",
};

// Hoffmann et al. 2022 Approach 3, rounded values printed in the paper (spec B.1).
export const CHINCHILLA_ROUNDED: ChinchillaLaw = {
  id: "chinchilla",
  name: "Chinchilla Approach 3 (rounded, as printed)",
  source: "Hoffmann et al. 2022, arXiv 2203.15556, eq. 10 / §D.2",
  conventions: CHINCHILLA_CONV,
  form: "chinchilla",
  E: 1.69,
  A: 406.4,
  B: 410.7,
  alpha: 0.34,
  beta: 0.28,
  notes: "Rounded β biases predictions; Besiroglu et al. 2024 found this fit inconsistent with the paper's own data.",
};

// Unrounded values from the paper's TeX source, as used by Epoch's notebook (spec B.1).
export const CHINCHILLA_UNROUNDED: ChinchillaLaw = {
  id: "chinchilla-unrounded",
  name: "Chinchilla Approach 3 (unrounded, TeX source)",
  source: "Hoffmann et al. 2022 TeX source via epoch-research/analyzing-chinchilla",
  conventions: CHINCHILLA_CONV,
  form: "chinchilla",
  E: Math.exp(0.5267228),
  A: Math.exp(6.0073404),
  B: Math.exp(6.0179186),
  alpha: 0.33917084,
  beta: 0.2849083,
};

// Besiroglu et al. 2024 refit of the Chinchilla Figure-4 data (spec B.2, B.9 row "Epoch").
export const EPOCH_REPLICATION: ChinchillaLaw = {
  id: "epoch",
  name: "Besiroglu et al. replication of Chinchilla Approach 3",
  source: "Besiroglu et al. 2024, arXiv 2404.10102, Table 1 (data_analysis.ipynb)",
  conventions: CHINCHILLA_CONV,
  form: "chinchilla",
  E: 1.8172,
  A: 482.01,
  B: 2085.43,
  alpha: 0.3478,
  beta: 0.3658,
  notes: "95% bootstrap CI: E 1.769–1.871, α 0.317–0.373, β 0.331–0.415; A, B poorly identified.",
};

export const LOSS_LAW_PRESETS: readonly LossLaw[] = [
  CHINCHILLA_ROUNDED,
  CHINCHILLA_UNROUNDED,
  EPOCH_REPLICATION,
  {
    // huggingface/datablations README (C4 coefficients, α = β tied), spec B.8.
    id: "datablations-c4",
    name: "Muennighoff et al. data-constrained law (C4)",
    source: "Muennighoff et al. 2023, arXiv 2305.16264; huggingface/datablations README",
    conventions: { ...CHINCHILLA_CONV, loss: "nats/token, C4 validation", data: "training tokens (D) and unique tokens (U)" },
    form: "data-constrained",
    E: Math.exp(0.6254804),
    A: Math.exp(6.255414),
    B: Math.exp(7.3049974),
    alpha: 0.3526596,
    beta: 0.3526596,
    rdStar: 15.387756,
    rnStar: 5.309743,
  },
  {
    // The Gadre et al. 2024 form needs their fitted constants, which are not in our sources; this preset is the
    // datablations C4 law (α = β = 0.3526596) rewritten in that form: η = α/2, a = A·6^η, b = B·6^η (see overtraining.ts).
    id: "overtraining-c4",
    name: "Gadre et al. over-training form (datablations C4 constants)",
    source: "Gadre et al. 2024, arXiv 2403.08540 (form, mlfoundations/scaling laws.py); constants: Muennighoff et al. 2023 C4",
    conventions: { ...CHINCHILLA_CONV, loss: "nats/token, C4 validation", data: "M = D/N tokens per parameter" },
    form: "overtraining",
    E: Math.exp(0.6254804),
    a: Math.exp(6.255414) * 6 ** (0.3526596 / 2),
    b: Math.exp(7.3049974) * 6 ** (0.3526596 / 2),
    eta: 0.3526596 / 2,
  },
  {
    id: "kaplan-nd",
    name: "Kaplan L(N, D) (Table 2 joint fit)",
    source: "Kaplan et al. 2020, arXiv 2001.08361, eq. 1.5 / Table 2",
    conventions: KAPLAN_CONV,
    form: "kaplan-nd",
    nc: 6.4e13,
    alphaN: 0.076,
    dc: 1.8e13,
    alphaD: 0.103,
  },
  {
    id: "kaplan-n",
    name: "Kaplan L(N) (converged)",
    source: "Kaplan et al. 2020, eq. 1.1",
    conventions: KAPLAN_CONV,
    form: "power-1d",
    variable: "N",
    unit: "params",
    xc: 8.8e13,
    exponent: 0.076,
  },
  {
    id: "kaplan-d",
    name: "Kaplan L(D) (large N, early stopping)",
    source: "Kaplan et al. 2020, eq. 1.2",
    conventions: KAPLAN_CONV,
    form: "power-1d",
    variable: "D",
    unit: "tokens",
    xc: 5.4e13,
    exponent: 0.095,
  },
  {
    id: "kaplan-cmin",
    name: "Kaplan L(C_min) (compute-efficient frontier)",
    source: "Kaplan et al. 2020, eq. 1.3",
    conventions: KAPLAN_CONV,
    form: "power-1d",
    variable: "C",
    unit: "PF-day",
    xc: 3.1e8,
    exponent: 0.05,
  },
  {
    id: "kaplan-c",
    name: "Kaplan L(C) (fixed batch size, not compute-efficient)",
    source: "Kaplan et al. 2020, §1.3 / Figure 1 (α_C = 0.057, C_c = 1.6e7 PF-days)",
    conventions: KAPLAN_CONV,
    form: "power-1d",
    variable: "C",
    unit: "PF-day",
    xc: 1.6e7,
    exponent: 0.057,
  },
  // The dense baseline of the granularity paper, to compare with moe-granular-2024 (issue 14).
  GRANULAR_DENSE_2024,
];

export const HYPERPARAMETER_LAW_PRESETS: readonly HyperparameterLaw[] = [
  {
    id: "deepseek",
    name: "DeepSeek LLM batch size and learning rate vs compute",
    source: "DeepSeek-AI 2024, arXiv 2401.02954, §3.1 (B_opt = 0.2920·C^0.3271, η_opt = 0.3118·C^−0.1250)",
    conventions: { params: "—", data: "batch in tokens", loss: "—", compute: "C in FLOP (non-embedding FLOP/token M × D)" },
    form: "hparams-compute",
    batch: { coef: 0.292, exp: 0.3271 },
    lr: { coef: 0.3118, exp: -0.125 },
    notes: "Fitted on 1e17–2e19 FLOP IsoFLOP grids; extrapolation beyond is the paper's claim.",
  },
  {
    id: "step-law",
    name: "Step Law (Li et al.) learning rate and batch size vs N, D",
    source: "Li et al. 2025, arXiv 2503.04715; step-law/steplaw fitted parameters",
    conventions: { params: "non-embedding parameters", data: "training tokens; batch in tokens", loss: "—", compute: "—" },
    form: "hparams-nd",
    lr: { coef: 1.79, expN: -0.713, expD: 0.307 },
    batch: { coef: 0.58, expD: 0.571 },
  },
  {
    id: "kaplan-bcrit",
    name: "Kaplan critical batch size vs loss",
    source: "Kaplan et al. 2020, eq. 1.4 (B_⋆ ≈ 2e8 tokens, α_B ≈ 0.21)",
    conventions: KAPLAN_CONV,
    form: "bcrit-loss",
    bStar: 2e8,
    alphaB: 0.21,
    notes: "Loss on Kaplan's WebText2 scale; other datasets shift it.",
  },
  {
    id: "zhang-cbs",
    name: "Zhang et al. critical batch size vs model size (Chinchilla-scaled runs)",
    source: "Zhang et al. 2024, arXiv 2410.21676; hlzhang109/critical-batch-size plots/chinchilla.ipynb",
    conventions: { params: "parameters (OLMo models 85M–1.2B)", data: "batch in sequences of 512 tokens", loss: "C4", compute: "D ∝ N (Chinchilla-scaled)" },
    form: "cbs-params",
    coef: 93.2,
    exp: 0.4683,
    sequenceLength: 512,
    notes: "20%-overhead critical batch size; scales with data size, so valid only at ≈ Chinchilla tokens/param.",
  },
];

export const LAW_PRESETS: readonly ScalingLaw[] = [...LOSS_LAW_PRESETS, ...HYPERPARAMETER_LAW_PRESETS];

export function findPreset(id: string): ScalingLaw | undefined {
  return LAW_PRESETS.find((l) => l.id === id);
}
