// The Scaling laws view's state: the runs (pasted text, or the bundled example), fit and allocation settings.
import type { ViewCodec } from "../../url-state.ts";
import { flag, oneOf, text, type Fields } from "../../url-fields.ts";
import { DEFAULT_DILOCO_INPUT, DEFAULT_MOE_INPUT, DEFAULT_PRECISION_INPUT, type DilocoInput, type MoeInput, type PrecisionInput } from "./panel-inputs.ts";

// The constants the worker's Scaling task also needs live in a zod-free module (the worker then loads no zod).
export { COMPARABLE_PRESETS, RUNS_NAME, SCALING_BOUNDS } from "./constants.ts";

export type ScalingState = {
  /** "example": the bundled Chinchilla points (Besiroglu et al. 2024); "pasted": the text below. */
  source: "example" | "pasted";
  /** Pasted or uploaded runs: CSV, TSV or JSON Lines with N, D or C, and loss columns. */
  data: string;
  /** Optional header mapping, as `scaleplan fit --columns` (n=Model Size,c=Training FLOP,loss=loss). */
  columns: string;
  bootstrap: string;
  /** Drop the k highest-loss runs first, as `scaleplan fit --drop-highest` (Besiroglu et al. drop 5). */
  drop: string;
  seed: string;
  /** Compute budget to allocate, FLOP. */
  budget: string;
  /** A loss-law preset to compare with (its id), or "none". */
  preset: string;
} & MoeInput &
  PrecisionInput &
  DilocoInput;

const scalingFields: Fields<ScalingState> = {
  source: oneOf(["example", "pasted"]),
  data: text(),
  columns: text(),
  bootstrap: text(),
  drop: text(),
  seed: text(),
  budget: text(),
  preset: text(),
  // The law panels (panel-inputs.ts), as typed: their tasks check the values and name a bad one under its field.
  moeLaw: text(),
  moeBudget: text(),
  moeExperts: text(),
  moeMaxTotal: text(),
  moeGranularity: text(),
  moeParams: text(),
  precisionLaw: text(),
  precision: text(),
  precisionSpeedup: text(),
  dilocoParams: text(),
  dilocoReplicas: text(),
  dilocoSyncEvery: text(),
  dilocoNodes: text(),
  dilocoBatch: text(),
  dilocoNodeFlops: text(),
  dilocoBandwidth: text(),
  dilocoLatency: text(),
  dilocoWithinBandwidth: text(),
  dilocoWithinLatency: text(),
  dilocoOuterBits: text(),
  dilocoFragments: text(),
  dilocoOverlap: flag(),
};

export const DEFAULT_SCALING_STATE: ScalingState = {
  source: "example",
  data: "",
  columns: "",
  // The CLI's default is 1000 resamples; 200 keeps a browser refit around a second on a laptop.
  bootstrap: "200",
  // Besiroglu et al. (2024) drop the 5 highest-loss runs before refitting Chinchilla's Approach 3 (spec B.2): the
  // first law a user sees is then theirs (E 1.82, B ≈ 2,143, β ≈ 0.367), as test/scaling/approach3.test.ts checks.
  drop: "5",
  seed: "1",
  // Chinchilla's own budget (Hoffmann et al. 2022: 5.76e23 FLOP for the 70B model).
  budget: "5.76e23",
  preset: "chinchilla",
  ...DEFAULT_MOE_INPUT,
  ...DEFAULT_PRECISION_INPUT,
  ...DEFAULT_DILOCO_INPUT,
};

export const scalingCodec: ViewCodec<ScalingState> = { prefix: "f", fields: scalingFields, defaults: DEFAULT_SCALING_STATE };

/** The fit's own fields: the Scaling task's input (the law panels' fields do not refit the runs). */
export type ScalingFitInput = Pick<ScalingState, "source" | "data" | "columns" | "bootstrap" | "drop" | "seed" | "budget" | "preset">;

/** The Scaling task's input (the view and the page entry's first request build it the same way). */
export const scalingTaskInput = (s: ScalingState): ScalingFitInput => ({
  source: s.source,
  data: s.data,
  columns: s.columns,
  bootstrap: s.bootstrap,
  drop: s.drop,
  seed: s.seed,
  budget: s.budget,
  preset: s.preset,
});
