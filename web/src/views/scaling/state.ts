// The Scaling laws view's state: the runs (pasted text, or the bundled example), fit and allocation settings.
import type { ViewCodec } from "../../url-state.ts";
import { oneOf, text, type Fields } from "../../url-fields.ts";

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
};

const scalingFields: Fields<ScalingState> = {
  source: oneOf(["example", "pasted"]),
  data: text(),
  columns: text(),
  bootstrap: text(),
  drop: text(),
  seed: text(),
  budget: text(),
  preset: text(),
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
};

export const scalingCodec: ViewCodec<ScalingState> = { prefix: "f", fields: scalingFields, defaults: DEFAULT_SCALING_STATE };
