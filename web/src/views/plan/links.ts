// The other views, opened with the plan's values: Run with its configuration, Limits with its GPU and duration,
// Schedules with its schedule, Scaling with its law and compute.
import type { Plan } from "../../../../src/core/plan/make-plan.ts";
import { DEFAULT_LIMITS_STATE, DEFAULT_SCENARIO, type LimitsState } from "../limits/state.ts";
import type { RunState } from "../run/state.ts";
import { COMPARABLE_PRESETS, DEFAULT_SCALING_STATE, type ScalingState } from "../scaling/state.ts";
import { DEFAULT_SCHEDULES_STATE, type SchedulesState } from "../schedules/state.ts";

export function runStateFor(runYaml: string): RunState {
  return { config: runYaml, search: false, top: "10" };
}

export function limitsStateFor(plan: Plan): LimitsState | null {
  if (!plan.limits) return null;
  return { ...DEFAULT_LIMITS_STATE, scenarios: [{ ...DEFAULT_SCENARIO, gpu: plan.limits.gpu, months: String(Number(plan.limits.months.toPrecision(4))) }] };
}

export function schedulesStateFor(plan: Plan): SchedulesState {
  return { ...DEFAULT_SCHEDULES_STATE, specs: [plan.schedule.spec], law: "none", code: 0 };
}

export function scalingStateFor(plan: Plan): ScalingState {
  const preset = COMPARABLE_PRESETS.some((l) => l.id === plan.law.id) ? plan.law.id : DEFAULT_SCALING_STATE.preset;
  return { ...DEFAULT_SCALING_STATE, budget: plan.trainingFlop6ND.toPrecision(4), preset };
}
