// Mixture-of-experts loss laws as data (issue 14): the forms of Clark et al. 2022, Ludziejewski et al. 2024 and 2025
// and Abnar et al. 2025. Evaluated by moe-laws.ts, allocated by moe-allocation.ts, listed by `scaleplan laws`.
import type { LawConventions } from "./law-types.ts";

interface MoeLawBase {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly conventions: LawConventions;
  readonly notes?: string;
}

/**
 * Clark et al. 2022 (arXiv 2202.01169) eq. 2 with the saturating expert count Ê:
 * log10 L = a·log10 N + b·log10 Ê + c·log10 N·log10 Ê + d, N the dense base model's parameters, at a fixed
 * 130B-token budget (as Ludziejewski et al. 2024 §3 restate it).
 */
export interface RoutedMoeLaw extends MoeLawBase {
  readonly form: "moe-routed";
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly eStart: number;
  readonly eMax: number;
}

/**
 * Ludziejewski (Krajewski) et al. 2024 (arXiv 2402.07871) eq. 9: L(N, D, G) = c + (g/G^γ + a)/N^α + b/D^β,
 * N total non-embedding parameters, D tokens, G granularity (d_ff / d_expert), fitted at expansion rate E = 64.
 */
export interface GranularMoeLaw extends MoeLawBase {
  readonly form: "moe-granular";
  readonly a: number;
  readonly alpha: number;
  readonly b: number;
  readonly beta: number;
  readonly g: number;
  readonly gamma: number;
  readonly c: number;
  /** The expansion rate E (total / active FFN parameters) the law was fitted at. */
  readonly expansion: number;
}

/**
 * Ludziejewski et al. 2025 (arXiv 2502.05172) eq. 6:
 * L(N_act, D, Ê) = a·Ê^δ·N_act^(α + γ·ln Ê) + b·Ê^ω·D^(β + ζ·ln Ê) + c, exponents α, β negative as printed.
 */
export interface JointMoeLaw extends MoeLawBase {
  readonly form: "moe-joint";
  readonly a: number;
  readonly alpha: number;
  readonly delta: number;
  readonly gamma: number;
  readonly b: number;
  readonly beta: number;
  readonly omega: number;
  readonly zeta: number;
  readonly eStart: number;
  readonly eMax: number;
  readonly c: number;
}

/**
 * Abnar et al. 2025 (arXiv 2501.12370) eq. 6: L(N, D, S) = a/N^α + b/D^β + c/(1−S)^λ + d/((1−S)^δ·N^γ) + e,
 * N total parameters, S sparsity = 1 − active experts / experts. No preset: the fitted constants (their App. F)
 * are not in our sources; a law document or `scaleplan fit` supplies them.
 */
export interface SparsityMoeLaw extends MoeLawBase {
  readonly form: "moe-sparsity";
  readonly a: number;
  readonly alpha: number;
  readonly b: number;
  readonly beta: number;
  readonly c: number;
  readonly lambda: number;
  readonly d: number;
  readonly delta: number;
  readonly gamma: number;
  readonly e: number;
}

export type MoeLaw = RoutedMoeLaw | GranularMoeLaw | JointMoeLaw | SparsityMoeLaw;

/** An MoE model and its training run, as the planner describes it. Each law reads the fields it needs. */
export interface MoeQuery {
  /** All parameters (every expert). */
  readonly totalParams?: number;
  /** Parameters used per token. */
  readonly activeParams?: number;
  /** Routed experts per MoE layer (1 = dense). */
  readonly experts?: number;
  /** Experts each token is routed to (top-k); for the sparsity S = 1 − k/E. */
  readonly activeExperts?: number;
  /** Granularity G = d_ff / d_expert (Ludziejewski et al. 2024); 1 = experts as wide as the dense FFN. */
  readonly granularity?: number;
  /** Training tokens. */
  readonly tokens?: number;
}
