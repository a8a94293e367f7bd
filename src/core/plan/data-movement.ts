// The data-movement verdict (Erdil & Schneider-Joseph 2024): where this run's FLOP sits on the utilization curve
// that `limits` computes for the GPU and the deadline (limits/sweep.ts `runSweep`): in the linear-scaling regime,
// where utilization falls (past the first point at ≤ 80 % of the GPU's ceiling, the paper's "end of linear
// scaling"), or past the latency wall (beyond the largest run that any cluster can train in time).
// The curve depends only on the GPU and the duration, so it is computed once per pair and kept.

import { findDataMovementGpu } from "../hardware/lookup.ts";
import type { DataMovementGpu } from "../hardware/microarchitecture.ts";
import { runSweep, type SweepResult } from "../limits/sweep.ts";

/** The catalogue GPU as the limits model sees it (undefined when the catalogue has no micro-architecture for it). */
export function limitsGpuFor(runGpuId: string): DataMovementGpu | undefined {
  return findDataMovementGpu(runGpuId);
}

export type Regime = "linear" | "utilization-falling" | "past-latency-wall";

export interface DataMovementVerdict {
  readonly gpu: string;
  readonly months: number;
  readonly regime: Regime;
  readonly runFlop: number;
  /** The GPU's utilization ceiling in the limits model. */
  readonly ceiling: number;
  readonly linearScalingEndFlop: number | null;
  readonly latencyWallFlop: number | null;
  /** Utilization the limits model predicts at this FLOP (log-interpolated), null past the wall. */
  readonly limitsUtilization: number | null;
  readonly summary: string;
  /** The curve (FLOP, utilization) for plots. */
  readonly curve: ReadonlyArray<{ readonly flop: number; readonly utilization: number }>;
}

const cache = new Map<string, SweepResult>();
const CACHE_LIMIT = 16;

function sweepFor(gpu: DataMovementGpu, months: number): SweepResult {
  const key = `${gpu.id}|${months}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = runSweep({ gpu, months });
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, result);
  return result;
}

function interpolate(points: SweepResult["points"], flop: number): number | null {
  if (points.length === 0 || flop > points[points.length - 1]!.flop) return null;
  if (flop <= points[0]!.flop) return points[0]!.utilization;
  let i = 0;
  while (points[i + 1]!.flop < flop) i++;
  const a = points[i]!;
  const b = points[i + 1]!;
  const t = Math.log(flop / a.flop) / Math.log(b.flop / a.flop);
  return a.utilization + t * (b.utilization - a.utilization);
}

/** Null when the limits model has no preset for this GPU. */
export function dataMovementVerdict(runGpuId: string, days: number, runFlop: number): DataMovementVerdict | null {
  const gpu = limitsGpuFor(runGpuId);
  if (gpu === undefined) return null;
  // Months as the limits model counts them (a year of 3.154e7 s / 12).
  const months = (days * 86_400) / (3.154e7 / 12);
  let sweep: SweepResult;
  try {
    sweep = sweepFor(gpu, months);
  } catch {
    return null; // a deadline too short for the limits grid's smallest model: no curve to place the run on
  }
  const s = sweep.summary;
  const wall = s.firstInfeasibleFlop ?? null;
  const last = s.lastFeasibleFlop ?? Infinity;
  let regime: Regime;
  if (runFlop > last) regime = "past-latency-wall";
  else if (s.linearScalingEnd !== null && runFlop >= s.linearScalingEnd) regime = "utilization-falling";
  else regime = "linear";
  const u = interpolate(sweep.points, runFlop);
  const e = (x: number | null) => (x === null ? "none on the grid" : `${x.toExponential(2)} FLOP`);
  const where =
    regime === "linear"
      ? "in the linear-scaling regime"
      : regime === "utilization-falling"
        ? "past the end of linear scaling: utilization falls"
        : "past the latency wall: no cluster of this GPU trains it in time";
  return {
    gpu: gpu.id,
    months,
    regime,
    runFlop,
    ceiling: s.ceiling,
    linearScalingEndFlop: s.linearScalingEnd,
    latencyWallFlop: wall,
    limitsUtilization: u,
    summary: `${runFlop.toExponential(2)} FLOP is ${where} (${gpu.id}, ${months.toFixed(1)} months: linear scaling ends at ${e(s.linearScalingEnd)}, latency wall at ${e(wall)}${u === null ? "" : `; limits-model utilization here ${(u * 100).toFixed(0)} % of peak`})`,
    curve: sweep.points.map((p) => ({ flop: p.flop, utilization: p.utilization })),
  };
}
