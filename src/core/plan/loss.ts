// Predicted loss of a candidate at (N, D): the same function the allocation uses (scaling/allocation.ts `lossOf`),
// with the repetition penalty when D exceeds the unique tokens (Muennighoff et al. 2023), and a 95 % interval from a
// saved fit's bootstrap samples when there are any.

import { lossOf, type ParamSamples } from "../scaling/allocation.ts";
import type { LossLaw } from "../scaling/law-types.ts";
import { centralInterval } from "../scaling/percentile.ts";

export interface LawChoice {
  readonly law: LossLaw;
  /** Bootstrap samples [E, A, B, α, β] of a saved `scaleplan fit --json`. */
  readonly samples?: ParamSamples | undefined;
  readonly level?: number | undefined;
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

export function candidateLoss(choice: LawChoice, n: number, d: number, unique?: number): number {
  return lossOf(choice.law, n, d, unique);
}

export function planLoss(choice: LawChoice, n: number, d: number, unique?: number): PlanLoss {
  const predicted = candidateLoss(choice, n, d, unique);
  const repeated = unique !== undefined && d > unique;
  const samples = choice.samples;
  const law = choice.law;
  if (samples && samples.length >= 2 && (law.form === "chinchilla" || law.form === "data-constrained")) {
    const level = choice.level ?? 0.95;
    const values = samples.map(([E, A, B, alpha, beta]) => lossOf({ ...law, E, A, B, alpha, beta }, n, d, unique));
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
