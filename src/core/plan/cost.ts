// What a run costs: GPU-hours, dollars, energy. Energy counts the GPUs' board power only (not CPUs, network or
// storage), times the data centre's power usage effectiveness.
import { MAX_PLAN_DAYS, PLAN_DAYS } from "../config/bounds.ts";
import { InputError } from "../errors.ts";
import { formatExact } from "../format.ts";

/**
 * PUE default: 1.10, Google's fleet-wide trailing-twelve-month PUE (Google 2023 Environmental Report, "Data
 * centers"); large AI training sites are hyperscale halls of this kind. The industry-wide average is higher
 * (1.58, Uptime Institute Global Data Center Survey 2023): pass `pue` for another site.
 */
export const DEFAULT_PUE = 1.1;
export const DEFAULT_PUE_SOURCE = "Google 2023 Environmental Report, fleet-wide TTM PUE 1.10";

export interface PlanCost {
  readonly gpuHours: number;
  /** Null when no price is known for this GPU and none was given. */
  readonly usd: number | null;
  readonly usdPerGpuHour: number | null;
  readonly priceSource: string | null;
  /** Null when the GPU's board power is not known. */
  readonly energyMWh: number | null;
  readonly boardPowerWatts: number | null;
  readonly pue: number;
  readonly pueSource: string;
  /** Wall-clock days, goodput included (the deadline, or what the budget buys). */
  readonly wallClockDays: number;
}

export interface PriceAndPower {
  readonly usdPerGpuHour: number | null;
  readonly priceSource: string | null;
  readonly boardPowerWatts: number | null;
}

export function planCost(gpus: number, wallClockDays: number, facts: PriceAndPower, pue = DEFAULT_PUE, pueSource = DEFAULT_PUE_SOURCE): PlanCost {
  const gpuHours = gpus * wallClockDays * 24;
  return {
    gpuHours,
    usd: facts.usdPerGpuHour === null ? null : gpuHours * facts.usdPerGpuHour,
    usdPerGpuHour: facts.usdPerGpuHour,
    priceSource: facts.priceSource,
    // W × h = Wh; 1e6 Wh = 1 MWh.
    energyMWh: facts.boardPowerWatts === null ? null : (facts.boardPowerWatts * gpuHours * pue) / 1e6,
    boardPowerWatts: facts.boardPowerWatts,
    pue,
    pueSource,
    wallClockDays,
  };
}

/**
 * Budget mode: the wall-clock days a dollar budget buys on `gpus` GPUs at a price per GPU-hour, held to the
 * deadline's bound (config/bounds.ts PLAN_DAYS): `plan --budget-usd 1e300` ended with "d: Infinity" (issue 13).
 */
export function daysForBudget(budgetUsd: number, usdPerGpuHour: number, gpus: number): number {
  const days = budgetUsd / usdPerGpuHour / gpus / 24;
  if (!(days <= MAX_PLAN_DAYS)) {
    const most = MAX_PLAN_DAYS * 24 * gpus * usdPerGpuHour;
    throw new InputError("budgetUsd", budgetUsd, `dollars buying at most ${formatExact(MAX_PLAN_DAYS)} days (${PLAN_DAYS.reason}): at most ${formatExact(threeDigitsDown(most))} for ${formatExact(gpus)} GPUs at $${formatExact(usdPerGpuHour)}/GPU-hour`);
  }
  return days;
}

/** `x` cut (not rounded) to three significant digits, so a bound printed as the largest allowed value is allowed. */
function threeDigitsDown(x: number): number {
  const shown = Number(x.toPrecision(3));
  return shown <= x ? shown : Number((shown - 10 ** (Math.floor(Math.log10(x)) - 2)).toPrecision(3));
}
