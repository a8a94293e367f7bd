// Goodput: the fraction of wall-clock time that does useful training steps (failures, restarts, lost work,
// checkpointing). A reliability model calibrated on one published run and checked against another:
//
//   interruptions arrive at r = λ·G per hour for G GPUs (λ per GPU-hour), each costs τ hours of no progress
//   (detection, restart, reload, redoing the steps since the last checkpoint); per useful hour the wall clock is
//   1 + r·τ hours, so goodput = 1 / (1 + λ·G·τ).
//
// λ: Llama 3 405B pre-training saw 466 job interruptions in a 54-day snapshot on 16,384 H100s (Llama Team 2024,
//    "The Llama 3 Herd of Models", §3.3.4) → 466 / (16,384 · 54 · 24) = 2.19e-5 per GPU-hour.
// τ: the same section reports "higher than 90% effective training time"; goodput 0.90 at 16,384 GPUs gives
//    τ = (1/0.9 − 1) / (λ · 16,384) = 0.309 h (18.5 min).
// Check: MegaScale (Jiang et al. 2024, arXiv 2402.15627, §6) reports over 90 % effective training time on 12,288
//    GPUs; the model gives 0.92.

import { GOODPUT, requireWithinBound } from "../config/bounds.ts";

export const LLAMA3_INTERRUPTIONS = 466;
export const LLAMA3_SNAPSHOT_DAYS = 54;
export const LLAMA3_GPUS = 16_384;
export const LLAMA3_EFFECTIVE_TRAINING_TIME = 0.9;

/** Interruptions per GPU-hour (Llama 3, §3.3.4). */
export const INTERRUPTIONS_PER_GPU_HOUR = LLAMA3_INTERRUPTIONS / (LLAMA3_GPUS * LLAMA3_SNAPSHOT_DAYS * 24);
/** Hours of progress lost per interruption, calibrated so that the model gives 90 % at 16,384 GPUs. */
export const HOURS_LOST_PER_INTERRUPTION = (1 / LLAMA3_EFFECTIVE_TRAINING_TIME - 1) / (INTERRUPTIONS_PER_GPU_HOUR * LLAMA3_GPUS);

export interface Goodput {
  readonly value: number;
  readonly source: "model" | "input";
  /** One sentence: which value and why. */
  readonly reason: string;
  /** Expected interruptions per day at this cluster size (model only). */
  readonly interruptionsPerDay: number | null;
}

export function modelledGoodput(gpus: number): number {
  return 1 / (1 + INTERRUPTIONS_PER_GPU_HOUR * gpus * HOURS_LOST_PER_INTERRUPTION);
}

/** The goodput to plan with: the user's value, or the reliability model's at this cluster size. */
export function goodputFor(gpus: number, given?: number): Goodput {
  if (given !== undefined) {
    requireWithinBound("goodput", given, GOODPUT);
    return {
      value: given,
      source: "input",
      reason: given === 1 ? "goodput 1 given: failures and restarts ignored" : `goodput ${given} given by the user`,
      interruptionsPerDay: null,
    };
  }
  const perDay = INTERRUPTIONS_PER_GPU_HOUR * gpus * 24;
  const value = modelledGoodput(gpus);
  return {
    value,
    source: "model",
    reason: `${perDay.toFixed(perDay < 1 ? 2 : 1)} interruptions/day expected on ${gpus} GPUs (Llama 3: 466 in 54 days on 16,384 H100s), each costing ${(HOURS_LOST_PER_INTERRUPTION * 60).toFixed(1)} min (calibrated to Llama 3's 90 % effective training time)`,
    interruptionsPerDay: perDay,
  };
}
