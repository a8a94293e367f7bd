// Runs inside the worker: run-config text → the step model's prediction, and optionally the layout search,
// with the same tables the CLI prints (`scaleplan step`, `scaleplan search`).
import { SEARCH_TOP } from "../../../../src/core/config/bounds.ts";
import { InputError } from "../../../../src/core/errors.ts";
import { readBounded, type Bound } from "../../worker/bounds.ts";
import { describeLayout, searchLayouts } from "../../../../src/core/run/layout-search.ts";
import { layoutOutput, parseRunConfig } from "../../../../src/core/run/run-config.ts";
import { searchTable, stepMemoryTable, stepSummaryTable, stepTimeTable } from "../../../../src/core/run/step-report.ts";
import { predictStep, type StepPrediction } from "../../../../src/core/run/step.ts";
import type { Table } from "../../../../src/core/table.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { FormErrors } from "../limits/task.ts";
import { CONFIG_NAME } from "./state.ts";


/** Layouts the search lists: the core's bound, which searchLayouts enforces too (src/core/config/bounds.ts). */
export const MAX_TOP: Bound = SEARCH_TOP;

export interface RunTaskInput {
  readonly config: string;
  readonly search: boolean;
  readonly top: string;
}

export interface RunTaskResult {
  readonly prediction: StepPrediction | null;
  readonly layout: string | null;
  readonly summary: Table | null;
  readonly time: Table | null;
  readonly memory: Table | null;
  /** Why `step` could not predict the configured layout and the search found nothing that fits. */
  readonly stepError: string | null;
  /** Whose prediction is shown: the configured layout, or (when the configuration leaves fields to the search) the best one found. */
  readonly predicted: "configured" | "best-found";
  readonly search: { readonly table: Table; readonly considered: number; readonly evaluated: number; readonly fitting: number; readonly gpus: number; readonly smallestMemoryGiB: number; readonly usableMemoryGiB: number } | null;
}

export function runTask(input: RunTaskInput, progress: ProgressFn): RunTaskResult {
  let config;
  try {
    config = parseRunConfig(input.config, CONFIG_NAME);
  } catch (error) {
    if (error instanceof InputError) throw new FormErrors([{ key: "run", field: "config", message: error.message }]);
    throw error;
  }
  let top = 10;
  if (input.search) {
    try {
      top = readBounded("top", input.top, MAX_TOP);
    } catch (error) {
      if (error instanceof InputError) throw new FormErrors([{ key: "run", field: "top", message: error.message }]);
      throw error;
    }
  }
  let prediction: StepPrediction | null = null;
  let stepError: string | null = null;
  let predicted: RunTaskResult["predicted"] = "configured";
  try {
    prediction = predictStep(config);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // Without a search there is nothing else to show: the message goes next to the configuration.
    if (!input.search) throw new FormErrors([{ key: "run", field: "config", message: error.message }]);
    stepError = error.message;
  }
  let search: RunTaskResult["search"] = null;
  if (input.search) {
    const r = searchLayouts(config, { top, onProgress: (done, total) => progress(done, total, "tp degrees") });
    search = { table: searchTable(r), considered: r.considered, evaluated: r.evaluated, fitting: r.fitting, gpus: r.gpus, smallestMemoryGiB: r.smallestMemoryGiB, usableMemoryGiB: r.usableMemoryGiB };
    // A field deleted "to search over it" leaves the configured layout incomplete (tp back to 1 with
    // sequenceParallel on, say): that is the search's question, not an error. Show the best layout it found.
    const best = r.best[0];
    if (prediction === null && best) {
      const { dp: _dp, ...parallelism } = layoutOutput(best.layout);
      prediction = predictStep({ ...config, parallelism });
      predicted = "best-found";
      stepError = null;
    }
  }
  return {
    prediction,
    layout: prediction ? describeLayout(prediction.breakdown.layout) : null,
    summary: prediction ? stepSummaryTable(prediction) : null,
    time: prediction ? stepTimeTable(prediction) : null,
    memory: prediction ? stepMemoryTable(prediction) : null,
    stepError,
    predicted,
    search,
  };
}
