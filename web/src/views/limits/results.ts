// What the worker returns for one Limits scenario: the engine's sweep points (as `scaleplan limits --json` has
// them) plus the labels and summary figures the page shows. Plain data, structured-cloneable.
import type { SweepPoint, SweepSummary } from "../../../../src/core/limits/sweep.ts";

export type { SweepPoint };

export interface ScenarioResult {
  /** Short unique label used in the legend and tables, e.g. "1: H100 SXM, dense". */
  readonly label: string;
  readonly gpuName: string;
  readonly modelType: "dense" | "sparse";
  /** The GPU's utilization ceiling (its sustained fraction of peak). */
  readonly ceiling: number;
  /** The floor used for maxFeasibleFlop, as an absolute utilization (floor fraction × ceiling). */
  readonly floorUtilization: number;
  readonly points: readonly SweepPoint[];
  readonly linearScalingEnd: number | null;
  readonly lastFeasibleFlop: number | null;
  readonly firstInfeasibleDModel: number | null;
  /** Largest training compute whose utilization stays at or above the floor; null if no point does. */
  readonly maxFeasibleFlop: number | null;
  readonly stoppedBy: SweepSummary["stoppedBy"];
}
