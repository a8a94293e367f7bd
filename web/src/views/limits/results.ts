// What the worker returns for one Limits scenario: the engine's sweep (the shape of `scaleplan limits --json`)
// plus the labels and the floor figure the page shows. Plain data, structured-cloneable.

export interface LayoutParallelism {
  readonly dp: number;
  readonly tpModel: number;
  readonly tpFf: number;
  readonly pp: number;
  readonly interleave: number;
  readonly ep: number;
  readonly microbatches: number;
  readonly schedule: string;
}

export interface SweepPoint {
  readonly dModel: number;
  readonly layers: number;
  readonly experts: number;
  readonly batchTokens: number;
  readonly flop: number;
  readonly months: number;
  readonly utilization: number;
  readonly gpus: number;
  readonly parallelism: LayoutParallelism;
}

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
}
