// The Scaling laws view's state: the runs (pasted text, or the bundled example), fit and allocation settings.
import { z } from "zod";
import type { LossLaw } from "../../../../src/core/scaling/law-types.ts";
import { isTwoVariableLaw } from "../../../../src/core/scaling/loss-law.ts";
import { LOSS_LAW_PRESETS } from "../../../../src/core/scaling/presets.ts";
import type { ViewCodec } from "../../url-state.ts";
import type { Bound } from "../../worker/bounds.ts";

/** Error messages name the data as the CLI names a file. */
export const RUNS_NAME = "runs.csv";

/** Loss-law presets that can allocate a budget (two-variable laws L(N, D)). */
export const COMPARABLE_PRESETS: readonly LossLaw[] = LOSS_LAW_PRESETS.filter(isTwoVariableLaw);

export const scalingStateSchema = z.object({
  /** "example": the bundled Chinchilla points (Besiroglu et al. 2024); "pasted": the text below. */
  source: z.enum(["example", "pasted"]),
  /** Pasted or uploaded runs: CSV, TSV or JSON Lines with N, D or C, and loss columns. */
  data: z.string(),
  /** Optional header mapping, as `scaleplan fit --columns` (n=Model Size,c=Training FLOP,loss=loss). */
  columns: z.string(),
  bootstrap: z.string(),
  /** Drop the k highest-loss runs first, as `scaleplan fit --drop-highest` (Besiroglu et al. drop 5). */
  drop: z.string(),
  seed: z.string(),
  /** Compute budget to allocate, FLOP. */
  budget: z.string(),
  /** A loss-law preset to compare with (its id), or "none". */
  preset: z.string(),
});
export type ScalingState = z.infer<typeof scalingStateSchema>;

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

export const scalingCodec: ViewCodec<ScalingState> = { prefix: "f", schema: scalingStateSchema, defaults: DEFAULT_SCALING_STATE };

/** What the numeric fields of the Scaling form accept. */
export const SCALING_BOUNDS = {
  // The CLI's default is 1,000 resamples; 200 take ~0.3 s in the browser's worker, so 10,000 take ~15 s (with a
  // Cancel button). 1e6 ran for ~10 minutes (issue 13).
  bootstrap: { min: 0, max: 10_000, integer: true },
  // seededRandom keeps 32 bits of state (src/core/util/random.ts): larger seeds would alias smaller ones.
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
  // Runs dropped before the fit; "fewer than the number of runs" is checked once the runs are read.
  drop: { min: 0, max: 1_000_000, integer: true },
  // 1e40 FLOP is ~10^13 times GPT-4's estimated training compute (2e25, Epoch AI): far past any plan.
  budget: { min: 0, minExclusive: true, max: 1e40 },
} as const satisfies Readonly<Record<string, Bound>>;
