// Runs inside the worker: run-config text → the step model's prediction, and optionally the layout search,
// with the same tables the CLI prints (`scaleplan step`, `scaleplan search`).
import { InputError, requireInteger } from "../../../../src/core/errors.ts";
import { describeLayout, searchLayouts } from "../../../../src/core/run/layout-search.ts";
import { parseRunConfig } from "../../../../src/core/run/run-config.ts";
import { searchTable, stepMemoryTable, stepSummaryTable, stepTimeTable } from "../../../../src/core/run/step-report.ts";
import { predictStep, type StepPrediction } from "../../../../src/core/run/step.ts";
import type { Table } from "../../../../src/core/table.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { FormErrors } from "../limits/task.ts";

/** Error messages name the configuration as the CLI names a file. */
export const CONFIG_NAME = "run.yaml";

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
  /** Why `step` could not predict the configured layout (the search may still run). */
  readonly stepError: string | null;
  readonly search: { readonly table: Table; readonly evaluated: number; readonly fitting: number; readonly gpus: number; readonly smallestMemoryGiB: number; readonly usableMemoryGiB: number } | null;
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
      const n = Number(input.top.trim());
      top = requireInteger("top", input.top.trim() === "" || !Number.isFinite(n) ? input.top : n, 1);
    } catch (error) {
      if (error instanceof InputError) throw new FormErrors([{ key: "run", field: "top", message: error.message }]);
      throw error;
    }
  }
  let prediction: StepPrediction | null = null;
  let stepError: string | null = null;
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
    const r = searchLayouts(config, { top, onProgress: (done, total) => progress(done, total, "(tp, pp) blocks") });
    search = { table: searchTable(r), evaluated: r.evaluated, fitting: r.fitting, gpus: r.gpus, smallestMemoryGiB: r.smallestMemoryGiB, usableMemoryGiB: r.usableMemoryGiB };
  }
  return {
    prediction,
    layout: prediction ? describeLayout(prediction.breakdown.layout) : null,
    summary: prediction ? stepSummaryTable(prediction) : null,
    time: prediction ? stepTimeTable(prediction) : null,
    memory: prediction ? stepMemoryTable(prediction) : null,
    stepError,
    search,
  };
}
