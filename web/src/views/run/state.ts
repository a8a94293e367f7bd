// The Run view's state: a run configuration (run-config.md) as YAML text, and whether to search layouts.
import { z } from "zod";
import type { ViewCodec } from "../../url-state.ts";

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

export const runStateSchema = z.object({
  config: z.string(),
  search: z.boolean(),
  top: z.string(),
});
export type RunState = z.infer<typeof runStateSchema>;

export const DEFAULT_RUN_STATE: RunState = { config: DEFAULT_RUN_CONFIG, search: false, top: "10" };

export const runCodec: ViewCodec<RunState> = { prefix: "r", schema: runStateSchema, defaults: DEFAULT_RUN_STATE };
