// Predicted loss of a candidate at (N, D): the same function the allocation uses (scaling/allocation.ts `lossOf`),
// with the repetition penalty when D exceeds the unique tokens (Muennighoff et al. 2023), and a 95 % interval from a
// saved fit's bootstrap samples when there are any.

import { lossOf, type ParamSamples } from "../scaling/allocation.ts";
import type { LossLaw } from "../scaling/law-types.ts";
import type { MoeLaw } from "../scaling/moe-law-types.ts";
import { evaluateMoeLoss } from "../scaling/moe-laws.ts";
import { centralInterval } from "../scaling/percentile.ts";
import { dilocoLossFactor } from "./sites.ts";

export interface LawChoice {
  readonly law: LossLaw;
  /** For MoE candidates: an MoE law (scaling/moe-presets.ts), evaluated at active params, tokens and experts. */
  readonly moeLaw?: MoeLaw | undefined;
  /** Bootstrap samples [E, A, B, α, β] of a saved `scaleplan fit --json`. */
  readonly samples?: ParamSamples | undefined;
  readonly level?: number | undefined;
  /** DiLoCo with M replicas: the law's loss × Charles et al.'s L_M(N)/L_DP(N) (plan/sites.ts). */
  readonly dilocoReplicas?: number | undefined;
}

export interface PlanLoss {
  readonly predicted: number;
  readonly low: number;
  readonly high: number;
  /** Where low/high come from, or why they equal the prediction. */
  readonly interval: string;
  /** True when D > unique tokens and the repetition penalty applied. */
  readonly repeated: boolean;
}

/** The expert layout of an MoE candidate, for an MoE law. */
export interface MoeShape {
  readonly totalParams: number;
  readonly experts: number;
  readonly topK: number;
}

export function candidateLoss(choice: LawChoice, n: number, d: number, unique?: number, moe?: MoeShape): number {
  return lawLoss(choice, n, d, unique, moe) * replicaFactor(choice, n);
}

/** 1, or DiLoCo's loss relative to data parallelism at N (Charles et al. 2025; dense plans only). */
function replicaFactor(choice: LawChoice, n: number): number {
  return choice.dilocoReplicas === undefined ? 1 : dilocoLossFactor(n, choice.dilocoReplicas);
}

function lawLoss(choice: LawChoice, n: number, d: number, unique?: number, moe?: MoeShape): number {
  if (choice.moeLaw && moe) {
    return evaluateMoeLoss(choice.moeLaw, { activeParams: n, totalParams: moe.totalParams, experts: moe.experts, activeExperts: moe.topK, tokens: d });
  }
  return lossOf(choice.law, n, d, unique);
}

export function planLoss(choice: LawChoice, n: number, d: number, unique?: number, moe?: MoeShape): PlanLoss {
  const predicted = candidateLoss(choice, n, d, unique, moe);
  if (choice.moeLaw && moe) {
    return { predicted, low: predicted, high: predicted, interval: `none: the MoE law ${choice.moeLaw.id} is used at its published point estimate, so low = high = predicted`, repeated: false };
  }
  const repeated = unique !== undefined && d > unique;
  const samples = choice.samples;
  const law = choice.law;
  if (samples && samples.length >= 2 && (law.form === "chinchilla" || law.form === "data-constrained")) {
    const level = choice.level ?? 0.95;
    const values = samples.map(([E, A, B, alpha, beta]) => lossOf({ ...law, E, A, B, alpha, beta }, n, d, unique) * replicaFactor(choice, n));
    const [low, high] = centralInterval(values, level);
    return { predicted, low, high, interval: `${Math.round(level * 100)} % bootstrap interval of the fit (${samples.length} samples)`, repeated };
  }
  return {
    predicted,
    low: predicted,
    high: predicted,
    interval: `none: law ${law.id} has no joint parameter samples (published per-parameter intervals cannot be combined without their covariance), so low = high = predicted`,
    repeated,
  };
}
