// Published MoE law constants (issue 14). Every constant names its table; the conventions say what N counts.
import type { ChinchillaLaw } from "./law-types.ts";
import type { GranularMoeLaw, JointMoeLaw, MoeLaw, RoutedMoeLaw } from "./moe-law-types.ts";

/**
 * Clark et al. 2022, arXiv 2202.01169, the S-BASE row of their fitted-coefficient table (a, b, c, d, E_start, E_max;
 * base-10 logs). Read from a write-up that reproduces the table and the paper's effective-parameter-count formula
 * (a secondary source: the paper's PDF was not in our sources); the form is confirmed by Ludziejewski et al. 2025 eq. 3–4.
 */
export const CLARK_SBASE: RoutedMoeLaw = {
  id: "moe-clark-sbase",
  name: "Clark et al. routed LM law, Sinkhorn-BASE routing",
  source: "Clark et al. 2022, arXiv 2202.01169, eq. 2 and coefficient table (S-BASE); constants via a secondary write-up",
  conventions: {
    params: "parameters of the dense base model (= active parameters per token)",
    data: "fixed 130B training tokens (no D term)",
    loss: "nats/token, the paper's validation set",
    compute: "FLOP per token of the base model",
  },
  form: "moe-routed",
  a: -0.082,
  b: -0.108,
  c: 0.009,
  d: 1.104,
  eStart: 1.847,
  eMax: 314.478,
  notes: "Valid at the 130B-token budget it was fitted on; Ludziejewski et al. 2024 §6.3 show the 'MoE stops paying above ~1T' conclusion disappears once D varies.",
};

/** Ludziejewski (Krajewski) et al. 2024, arXiv 2402.07871, Table 1, MoE row (E = 64 throughout §5). */
export const GRANULAR_MOE_2024: GranularMoeLaw = {
  id: "moe-granular-2024",
  name: "Ludziejewski et al. fine-grained MoE law (granularity)",
  source: "Ludziejewski, Krajewski et al. 2024, arXiv 2402.07871, eq. 9 and Table 1 (MoE row)",
  conventions: {
    params: "total non-embedding parameters N = d_model²·(8E + 4)·n_blocks (§6.1)",
    data: "training tokens",
    loss: "nats/token, the paper's evaluation set",
    compute: "F = 6·N_act·D plus routing (§6.1, not modelled here)",
  },
  form: "moe-granular",
  a: 18.1,
  alpha: 0.115,
  b: 30.8,
  beta: 0.147,
  g: 2.1,
  gamma: 0.58,
  c: 0.47,
  expansion: 64,
  notes: "Fitted at expansion rate E = 64 on 129M–3.7B parameters, 16B–130B tokens, G in [1, 16].",
};

/** The dense baseline fitted with it (Table 1, Dense row), a Chinchilla-form law. */
export const GRANULAR_DENSE_2024: ChinchillaLaw = {
  id: "dense-ludziejewski-2024",
  name: "Ludziejewski et al. dense baseline (to compare with moe-granular-2024)",
  source: "Ludziejewski, Krajewski et al. 2024, arXiv 2402.07871, Table 1 (Dense row)",
  conventions: { params: "non-embedding parameters", data: "training tokens", loss: "nats/token, the paper's evaluation set", compute: "C = 6ND FLOP" },
  form: "chinchilla",
  E: 0.47,
  A: 16.3,
  B: 26.7,
  alpha: 0.126,
  beta: 0.127,
};

/** Ludziejewski et al. 2025, arXiv 2502.05172, Table 3 (App. B), exponents negative as printed. */
export const JOINT_MOE_2025: JointMoeLaw = {
  id: "moe-joint-2025",
  name: "Ludziejewski et al. joint dense/MoE law (active params, tokens, experts)",
  source: "Ludziejewski et al. 2025, arXiv 2502.05172, eq. 6 and Table 3",
  conventions: {
    params: "active parameters incl. embedding and unembedding (App. A.1, vocabulary 50,257)",
    data: "training tokens",
    loss: "nats/token, the paper's evaluation set",
    compute: "F = 6·N_act·D (App. A.2; routing negligible at E ≤ 32)",
  },
  form: "moe-joint",
  a: 35.91,
  alpha: -0.1889,
  delta: -0.2285,
  gamma: 0.0098,
  b: 35.98,
  beta: -0.1775,
  omega: 0.5529,
  zeta: -0.0259,
  eStart: 2.0732,
  eMax: 290.4521,
  c: 1.3637,
  notes: "Fitted on 280+ runs up to 2.7B active / 5B total parameters, E in {1, 2, 4, 8, 16, 32}; E = 1 is the dense model.",
};

export const MOE_LAW_PRESETS: readonly MoeLaw[] = [CLARK_SBASE, GRANULAR_MOE_2024, JOINT_MOE_2025];

export function findMoePreset(id: string): MoeLaw | undefined {
  return MOE_LAW_PRESETS.find((l) => l.id === id);
}
