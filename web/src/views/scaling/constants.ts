// The Scaling view's constants shared by the page and the worker's Scaling task; no zod here, so the worker does
// not load it.
import type { LossLaw } from "../../../../src/core/scaling/law-types.ts";
import { isTwoVariableLaw } from "../../../../src/core/scaling/loss-law.ts";
import { LOSS_LAW_PRESETS } from "../../../../src/core/scaling/presets.ts";
import { BOOTSTRAP_RESAMPLES } from "../../../../src/core/config/bounds.ts";
import type { Bound } from "../../worker/bounds.ts";

/** Error messages name the data as the CLI names a file. */
export const RUNS_NAME = "runs.csv";

/** Loss-law presets that can allocate a budget (two-variable laws L(N, D)). */
export const COMPARABLE_PRESETS: readonly LossLaw[] = LOSS_LAW_PRESETS.filter(isTwoVariableLaw);

/** What the numeric fields of the Scaling form accept. */
export const SCALING_BOUNDS = {
  // The core's bound (src/core/config/bounds.ts), which fitApproach3 enforces too; 200 resamples take ~0.3 s in
  // the browser's worker, so long runs have the Cancel button.
  bootstrap: BOOTSTRAP_RESAMPLES,
  // seededRandom keeps 32 bits of state (src/core/util/random.ts): larger seeds would alias smaller ones.
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
  // Runs dropped before the fit; "fewer than the number of runs" is checked once the runs are read.
  drop: { min: 0, max: 1_000_000, integer: true },
  // 1e40 FLOP is ~10^13 times GPT-4's estimated training compute (2e25, Epoch AI): far past any plan.
  budget: { min: 0, minExclusive: true, max: 1e40 },
} as const satisfies Readonly<Record<string, Bound>>;
