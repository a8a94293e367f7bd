// Evaluating the MoE loss laws (moe-law-types.ts). evaluateMoeLoss is the browser-safe entry point the planner
// calls for an MoE model's loss at (total params, active params, experts / granularity, tokens).
import { InputError } from "../errors.ts";
import type { GranularMoeLaw, JointMoeLaw, MoeLaw, MoeQuery, RoutedMoeLaw, SparsityMoeLaw } from "./moe-law-types.ts";

/**
 * Saturating expert count Ê (Clark et al. 2022 eq. 2 footnote; Ludziejewski et al. 2025 eq. 4):
 * 1/Ê = 1/(E − 1 + (1/E_start − 1/E_max)^(−1)) + 1/E_max. Ê(1) = E_start, Ê(∞) = E_max.
 */
export function saturatedExperts(experts: number, eStart: number, eMax: number): number {
  return 1 / (1 / (experts - 1 + 1 / (1 / eStart - 1 / eMax)) + 1 / eMax);
}

function need(value: number | undefined, field: keyof MoeQuery, law: MoeLaw, min = 0): number {
  if (value === undefined) throw new InputError(field, value, `a value (law ${law.id} needs it)`);
  if (!Number.isFinite(value) || !(value > min)) throw new InputError(field, value, `a finite number > ${min}`);
  return value;
}

/** Clark et al. 2022 eq. 2 (base-10 logs): N = dense base (active) parameters, E experts. */
export function routedMoeLoss(law: RoutedMoeLaw, activeParams: number, experts: number): number {
  const lgN = Math.log10(activeParams);
  const lgE = Math.log10(saturatedExperts(experts, law.eStart, law.eMax));
  return 10 ** (law.a * lgN + law.b * lgE + law.c * lgN * lgE + law.d);
}

/**
 * Clark et al. 2022 §5 effective parameter count: the dense size N̄ with L(N̄, 1) = L(N, E). With Ê(1) = E_start,
 * log N̄ = [(a + c·log Ê)·log N + b·(log Ê − log E_start)] / (a + c·log E_start).
 */
export function routedEffectiveParams(law: RoutedMoeLaw, activeParams: number, experts: number): number {
  const lgN = Math.log10(activeParams);
  const lgE = Math.log10(saturatedExperts(experts, law.eStart, law.eMax));
  const lgE1 = Math.log10(law.eStart);
  return 10 ** (((law.a + law.c * lgE) * lgN + law.b * (lgE - lgE1)) / (law.a + law.c * lgE1));
}

/** Ludziejewski et al. 2024 eq. 9: N total non-embedding parameters, D tokens, G granularity. */
export function granularMoeLoss(law: GranularMoeLaw, totalParams: number, tokens: number, granularity: number): number {
  return law.c + (law.g / granularity ** law.gamma + law.a) / totalParams ** law.alpha + law.b / tokens ** law.beta;
}

/** The joint law at a fixed expert count as a Chinchilla form L = m·N^µ + n·D^ν + c (Ludziejewski et al. 2025 Table 4). */
export interface JointMoeSlice {
  readonly m: number;
  readonly mu: number;
  readonly n: number;
  readonly nu: number;
  readonly c: number;
}

export function jointMoeSlice(law: JointMoeLaw, experts: number): JointMoeSlice {
  const lnE = Math.log(saturatedExperts(experts, law.eStart, law.eMax));
  return {
    m: law.a * Math.exp(law.delta * lnE),
    mu: law.alpha + law.gamma * lnE,
    n: law.b * Math.exp(law.omega * lnE),
    nu: law.beta + law.zeta * lnE,
    c: law.c,
  };
}

/** Ludziejewski et al. 2025 eq. 6: N_act active parameters (with embeddings), D tokens, E experts (1 = dense). */
export function jointMoeLoss(law: JointMoeLaw, activeParams: number, tokens: number, experts: number): number {
  const s = jointMoeSlice(law, experts);
  return s.m * activeParams ** s.mu + s.n * tokens ** s.nu + s.c;
}

/** Abnar et al. 2025 eq. 6 with S = 1 − active experts / experts. */
export function sparsityMoeLoss(law: SparsityMoeLaw, totalParams: number, tokens: number, sparsity: number): number {
  const dense = 1 - sparsity;
  return law.a / totalParams ** law.alpha + law.b / tokens ** law.beta + law.c / dense ** law.lambda + law.d / (dense ** law.delta * totalParams ** law.gamma) + law.e;
}

/**
 * The loss an MoE law predicts for a model and run (nats/token in the law's own conventions: see its `conventions`).
 * Browser-safe; throws InputError naming the missing or invalid field.
 * - moe-routed (Clark): activeParams, experts (its token budget is fixed at the paper's 130B);
 * - moe-granular (Ludziejewski 2024): totalParams (non-embedding), tokens, granularity (default 1);
 * - moe-joint (Ludziejewski 2025): activeParams (with embeddings), tokens, experts;
 * - moe-sparsity (Abnar): totalParams, tokens, experts and activeExperts (S = 1 − k/E).
 */
export function evaluateMoeLoss(law: MoeLaw, q: MoeQuery): number {
  switch (law.form) {
    case "moe-routed":
      return routedMoeLoss(law, need(q.activeParams, "activeParams", law), need(q.experts, "experts", law));
    case "moe-granular":
      return granularMoeLoss(law, need(q.totalParams, "totalParams", law), need(q.tokens, "tokens", law), q.granularity === undefined ? 1 : need(q.granularity, "granularity", law));
    case "moe-joint":
      return jointMoeLoss(law, need(q.activeParams, "activeParams", law), need(q.tokens, "tokens", law), q.experts === undefined ? 1 : need(q.experts, "experts", law));
    case "moe-sparsity": {
      const e = need(q.experts, "experts", law);
      const k = need(q.activeExperts, "activeExperts", law);
      if (k > e) throw new InputError("activeExperts", k, `at most experts (${e})`);
      return sparsityMoeLoss(law, need(q.totalParams, "totalParams", law), need(q.tokens, "tokens", law), 1 - k / e);
    }
  }
}
