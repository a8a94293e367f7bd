// The run configuration of shared/specs/run-config.md as a strict zod schema (unknown fields are errors naming the
// field, defaults filled in), and the two ways in: text (parseRunConfig) and parsed data (validateRunConfig). The
// cross-field rules (derived dp, divisibility) are in run-config.ts, which loads without zod.

import { z } from "zod";
import { parseConfigText, validateConfig } from "../config/parse.ts";
import { GPU_COUNT, GPU_HBM_GIB, GPU_HBM_TBPS, GPU_PEAK_TFLOPS, LINK_GBYTES_PER_S, LINK_LATENCY_US, MAX_GPUS } from "../config/bounds.ts";
import { numberValue } from "../config/schema.ts";
import { dilocoSchema, interSiteSchema, sitesSchema } from "./diloco-config.ts";
import { ATTENTION_VARIANTS, PIPELINE_SCHEDULES, PRECISIONS, RECOMPUTE_MODES, RUN_CONFIG_DEFAULTS as DEFAULTS } from "./run-config-fields.ts";
import { ATTENTION_KERNELS, FP8_RECIPES, FRAMEWORKS, OPTIMIZER_STATES } from "./software.ts";

const posInt = z.number().int().min(1);

const moeSchema = z.strictObject({
  experts: posInt,
  topK: posInt,
  expertFfn: posInt,
  sharedExperts: z.number().int().min(0).default(DEFAULTS.moe.sharedExperts),
  denseLayers: z.number().int().min(0).default(DEFAULTS.moe.denseLayers),
});

/** Multi-head latent attention ranks (DeepSeek-V2 §2.1, DeepSeek-V3 config; Megatron-Core MLATransformerConfig). */
const mlaSchema = z.strictObject({
  qLoraRank: z.number().int().min(0),
  kvLoraRank: posInt,
  qkHeadDim: posInt,
  qkRopeHeadDim: z.number().int().min(0),
  vHeadDim: posInt,
});

const modelSchema = z.strictObject({
  layers: posInt,
  hidden: posInt,
  heads: posInt,
  kvHeads: posInt.optional(),
  ffn: posInt.optional(),
  ffnKind: z.enum(["gelu", "swiglu"]).default(DEFAULTS.model.ffnKind),
  vocab: posInt,
  seqLen: posInt,
  tiedEmbeddings: z.boolean().default(DEFAULTS.model.tiedEmbeddings),
  moe: moeSchema.optional(),
  attention: z.enum(ATTENTION_VARIANTS).default(DEFAULTS.model.attention),
  mla: mlaSchema.optional(),
});

/** A custom GPU (or preset override); the same shape is accepted from a separate file by the CLI. */
export const gpuObjectSchema = z.strictObject({
  preset: z.string().optional(),
  id: z.string().optional(),
  // Bounded (config/bounds.ts): `peakTflopsBf16: 1e300` printed NaN, `hbmGiB: 1e300` Infinity (issue 13).
  peakTflopsBf16: numberValue(GPU_PEAK_TFLOPS).optional(),
  peakTflopsFp8: numberValue(GPU_PEAK_TFLOPS).nullable().optional(),
  hasBf16: z.boolean().optional(),
  hbmGiB: numberValue(GPU_HBM_GIB).optional(),
  hbmTBps: numberValue(GPU_HBM_TBPS).optional(),
  scaleUpDomain: numberValue(GPU_COUNT).optional(),
  scaleUpGBpsBidirectional: numberValue(LINK_GBYTES_PER_S).optional(),
  scaleOutGBpsPerDirection: numberValue(LINK_GBYTES_PER_S).optional(),
  hostLinkGBpsPerDirection: numberValue(LINK_GBYTES_PER_S).optional(),
  scaleUpLatencyUs: numberValue(LINK_LATENCY_US).optional(),
  scaleOutLatencyUs: numberValue(LINK_LATENCY_US).optional(),
});

const hardwareSchema = z.strictObject({
  gpu: z.union([z.string(), gpuObjectSchema]),
  count: numberValue(GPU_COUNT),
  // A scale-up domain may exceed the GPUs used (8 of an NVL72), never the GPU bound (1e12 was accepted, issue 13).
  gpusPerNode: numberValue(GPU_COUNT).optional(),
  // Version 3: training across sites (diloco-config.ts).
  sites: sitesSchema.optional(),
  interSite: interSiteSchema.optional(),
});

// Every parallelism field is optional: `step` fills defaults, `search` treats a given field as fixed.
const parallelismSchema = z.strictObject({
  tp: posInt.optional(),
  pp: posInt.optional(),
  vp: posInt.optional(),
  cp: posInt.optional(),
  ep: posInt.optional(),
  // MoE parallel folding (moe-folding.ts): the tensor-parallel size of the expert layers (Megatron-Core
  // --expert-tensor-parallel-size, ETP); absent = tp.
  expertTp: posInt.optional(),
  sequenceParallel: z.boolean().optional(),
  zero: z
    .number()
    .int()
    .min(0)
    .max(3, { error: "expected 0 (none), 1 (optimizer states), 2 (+ gradients) or 3 (+ weights, FSDP)" })
    .transform((v) => v as 0 | 1 | 2 | 3)
    .optional(),
  recompute: z.enum(RECOMPUTE_MODES).optional(),
  pipelineSchedule: z.enum(PIPELINE_SCHEDULES).optional(),
  microBatch: posInt.optional(),
  // Version 2: uneven pipelines (Megatron decoder_first/last_pipeline_num_layers) and activation offloading
  // (Megatron cpu_offloading_num_layers).
  firstStageLayers: z.number().int().min(0).optional(),
  lastStageLayers: z.number().int().min(0).optional(),
  activationOffloadLayers: z.number().int().min(0).optional(),
});

const trainingSchema = z.strictObject({
  globalBatch: posInt,
  precision: z.enum(PRECISIONS).default(DEFAULTS.training.precision),
  diloco: dilocoSchema.optional(),
});

const softwareSchema = z.strictObject({
  framework: z.enum(FRAMEWORKS).default(DEFAULTS.software.framework),
  attention: z.enum(ATTENTION_KERNELS).optional(),
  compile: z.boolean().optional(),
  fp8Recipe: z.enum(FP8_RECIPES).optional(),
  tpCommOverlap: z.boolean().optional(),
  fp8AllGather: z.boolean().optional(),
  optimizerStates: z.enum(OPTIMIZER_STATES).optional(),
});

export const runConfigSchema = z.strictObject({
  model: modelSchema,
  hardware: hardwareSchema,
  parallelism: parallelismSchema.optional(),
  training: trainingSchema,
  software: softwareSchema.optional(),
});

export type RunConfigInput = z.input<typeof runConfigSchema>;
export type RunConfig = z.output<typeof runConfigSchema>;
export type ParallelismInput = z.output<typeof parallelismSchema>;
export type Precision = RunConfig["training"]["precision"];

/** Parses YAML/JSON text into a RunConfig (schema errors as `file:line:col: field: message`). */
export function parseRunConfig(text: string, sourceName: string): RunConfig {
  return parseConfigText(text, runConfigSchema, sourceName);
}

/** Validates already-parsed data (the web app's URL state, a fixture's `config`). */
export function validateRunConfig(data: unknown, sourceName = ""): RunConfig {
  return validateConfig(data, runConfigSchema, sourceName);
}
