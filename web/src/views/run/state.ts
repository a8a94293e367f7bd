// The Run view's state: a run configuration (run-config.md) as YAML text, and whether to search layouts.
import type { ViewCodec } from "../../url-state.ts";
import { flag, text, type Fields } from "../../url-fields.ts";

/** Error messages name the configuration as the CLI names a file. */
export const CONFIG_NAME = "run.yaml";

/** The GPT-3-shaped example of run-config.md (dense: its optional `moe` block left out) on 1024 H100s. */
export const DEFAULT_RUN_CONFIG = `model:
  layers: 96
  hidden: 12288
  heads: 96
  ffnKind: gelu
  vocab: 51200
  seqLen: 2048
hardware:
  gpu: h100-sxm
  count: 1024
parallelism:
  tp: 8
  pp: 8
  sequenceParallel: true
  zero: 1
  recompute: selective
  pipelineSchedule: 1f1b
  microBatch: 1
training:
  globalBatch: 1536
  precision: bf16
`;

export type RunState = {
  /** The run configuration as typed (YAML). */
  config: string;
  /** Search parallelism layouts (`scaleplan search`) instead of predicting the configured one. */
  search: boolean;
  top: string;
};

const runFields: Fields<RunState> = { config: text(), search: flag(), top: text() };

export const DEFAULT_RUN_STATE: RunState = { config: DEFAULT_RUN_CONFIG, search: false, top: "10" };

export const runCodec: ViewCodec<RunState> = { prefix: "r", fields: runFields, defaults: DEFAULT_RUN_STATE };

/** The step prediction's (or layout search's) input. */
export const runTaskInput = (state: RunState) => ({ config: state.config, search: state.search, top: state.top });
