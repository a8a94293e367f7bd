// The LR schedule of the planned run: warmup–stable–decay with a 20 % (1 − sqrt) cooldown (Hägele et al. 2024,
// arXiv 2405.18392, §3: a 20 % 1−sqrt cooldown matches cosine), linear warmup from 1 % (their reference trainer),
// and the checkpoints of the constant-LR trunk from which cooldown branches give the smaller-budget models of the
// same run (the `sweep` logic, sweep/plan.ts).

import { ComputationError } from "../errors.ts";
import { formatScheduleSpec } from "../schedule/spec.ts";
import type { WsdSchedule } from "../schedule/types.ts";
import { planSweep } from "../sweep/plan.ts";

/** Warmup steps: 2000, as Llama 2 (Touvron et al. 2023, §2.2: "warmup period of 2000 steps"). */
export const WARMUP_STEPS = 2000;
export const COOLDOWN_FRACTION = 0.2;
/** Warmup starts at 1 % of the peak (Hägele et al. reference trainer, init_div_factor 100). */
const WARMUP_FROM = 0.01;
/** Branch budgets as fractions of the run's tokens: each halving gives a model of a smaller budget. */
export const BRANCH_FRACTIONS = [0.125, 0.25, 0.5, 1] as const;

export interface PlanSchedule {
  readonly spec: string;
  readonly steps: number;
  readonly warmupSteps: number;
  readonly cooldownStartStep: number;
  readonly cooldownSteps: number;
  readonly peakLearningRate: number;
  readonly schedule: WsdSchedule;
  /** Checkpoint step of the trunk → cooldown → end step, for each budget (the last is the run itself). */
  readonly branchPoints: ReadonlyArray<{ readonly tokens: number; readonly checkpointStep: number; readonly cooldownSteps: number; readonly endStep: number }>;
}

/** Fewest steps a run may have: the warmup must end before the cooldown starts. */
export function minimumSteps(): number {
  return Math.ceil(WARMUP_STEPS / (1 - COOLDOWN_FRACTION)) + 1;
}

export function planSchedule(tokens: number, batchTokens: number, peakLearningRate: number, params: number): PlanSchedule {
  const steps = Math.floor(tokens / batchTokens);
  if (steps < minimumSteps()) {
    throw new ComputationError(`${steps} steps of ${batchTokens} tokens is fewer than the ${WARMUP_STEPS} warmup steps plus a ${COOLDOWN_FRACTION * 100} % cooldown`);
  }
  const cooldownSteps = Math.floor(COOLDOWN_FRACTION * steps);
  const schedule: WsdSchedule = {
    kind: "wsd",
    steps,
    peak: Number(peakLearningRate.toPrecision(3)),
    warmup: { steps: WARMUP_STEPS, from: WARMUP_FROM, shape: "linear" },
    cooldownSteps,
    shape: "sqrt",
    final: 0,
  };
  // Branches whose cooldown would start inside the warmup are left out (planSweep's own rule).
  const startsAfterWarmup = (end: number) => end - Math.floor(COOLDOWN_FRACTION * end) >= WARMUP_STEPS;
  const budgets = BRANCH_FRACTIONS.map((f) => Math.round(f * steps) * batchTokens).filter((b) => startsAfterWarmup(Math.round(b / batchTokens)));
  const sweep = planSweep({
    models: [{ name: "plan", params, batchTokens, budgets }],
    cooldownFraction: COOLDOWN_FRACTION,
    cooldownShape: "sqrt",
    warmupSteps: WARMUP_STEPS,
  });
  return {
    spec: formatScheduleSpec(schedule),
    steps,
    warmupSteps: WARMUP_STEPS,
    cooldownStartStep: steps - cooldownSteps,
    cooldownSteps,
    peakLearningRate: schedule.peak,
    schedule,
    branchPoints: sweep.sizes[0]!.branches.map((b) => ({ tokens: b.tokens, checkpointStep: b.checkpointStep, cooldownSteps: b.cooldownSteps, endStep: b.endStep })),
  };
}
