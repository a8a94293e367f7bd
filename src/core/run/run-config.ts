// The run configuration of shared/specs/run-config.md: strict zod schema (unknown fields are errors naming the
// field), defaults, and the cross-field rules (derived dp, divisibility) as one-line InputErrors.

import { z } from "zod";
import { InputError } from "../errors.ts";
import { parseConfigText, validateConfig } from "../config/parse.ts";
import { resolveGpu, type GpuSpec } from "../hardware/index.ts";

const posInt = z.number().int().min(1);

const moeSchema = z.strictObject({
  experts: posInt,
  topK: posInt,
  expertFfn: posInt,
  sharedExperts: z.number().int().min(0).default(0),
  denseLayers: z.number().int().min(0).default(0),
});

const modelSchema = z.strictObject({
  layers: posInt,
  hidden: posInt,
  heads: posInt,
  kvHeads: posInt.optional(),
  ffn: posInt.optional(),
  ffnKind: z.enum(["gelu", "swiglu"]).default("gelu"),
  vocab: posInt,
  seqLen: posInt,
  tiedEmbeddings: z.boolean().default(false),
  moe: moeSchema.optional(),
});

const positiveNumber = z.number().positive();

/** A custom GPU (or preset override); the same shape is accepted from a separate file by the CLI. */
export const gpuObjectSchema = z.strictObject({
  preset: z.string().optional(),
  id: z.string().optional(),
  peakTflopsBf16: positiveNumber.optional(),
  peakTflopsFp8: positiveNumber.nullable().optional(),
  hasBf16: z.boolean().optional(),
  hbmGiB: positiveNumber.optional(),
  hbmTBps: positiveNumber.optional(),
  scaleUpDomain: posInt.optional(),
  scaleUpGBpsBidirectional: positiveNumber.optional(),
  scaleOutGBpsPerDirection: positiveNumber.optional(),
  scaleUpLatencyUs: z.number().min(0).optional(),
  scaleOutLatencyUs: z.number().min(0).optional(),
  hostLinkGBpsPerDirection: positiveNumber.optional(),
});

const hardwareSchema = z.strictObject({
  gpu: z.union([z.string(), gpuObjectSchema]),
  count: posInt,
  gpusPerNode: posInt.optional(),
});

export const RECOMPUTE_MODES = ["none", "selective", "full"] as const;
export const PIPELINE_SCHEDULES = ["1f1b", "interleaved-1f1b", "zero-bubble", "gpipe", "dualpipe"] as const;
export type RecomputeMode = (typeof RECOMPUTE_MODES)[number];
export type PipelineSchedule = (typeof PIPELINE_SCHEDULES)[number];

// Every parallelism field is optional: `step` fills defaults, `search` treats a given field as fixed.
const parallelismSchema = z.strictObject({
  tp: posInt.optional(),
  pp: posInt.optional(),
  vp: posInt.optional(),
  cp: posInt.optional(),
  ep: posInt.optional(),
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
});

const trainingSchema = z.strictObject({
  globalBatch: posInt,
  precision: z.enum(["bf16", "fp16", "fp8"]).default("bf16"),
});

export const runConfigSchema = z.strictObject({
  model: modelSchema,
  hardware: hardwareSchema,
  parallelism: parallelismSchema.optional(),
  training: trainingSchema,
});

export type RunConfigInput = z.input<typeof runConfigSchema>;
export type RunConfig = z.output<typeof runConfigSchema>;
export type ParallelismInput = z.output<typeof parallelismSchema>;
export type Precision = RunConfig["training"]["precision"];

/** The model with every default filled in. */
export interface ModelShape {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly ffn: number;
  readonly ffnKind: "gelu" | "swiglu";
  readonly vocab: number;
  readonly seqLen: number;
  readonly tiedEmbeddings: boolean;
  readonly moe: {
    readonly experts: number;
    readonly topK: number;
    readonly expertFfn: number;
    readonly sharedExperts: number;
    readonly denseLayers: number;
  } | null;
}

/** One complete parallel layout; dp is derived (count / (tp·pp·cp)). */
export interface Layout {
  readonly tp: number;
  readonly pp: number;
  readonly vp: number;
  readonly cp: number;
  readonly ep: number;
  readonly dp: number;
  readonly sequenceParallel: boolean;
  readonly zero: 0 | 1 | 2 | 3;
  readonly recompute: RecomputeMode;
  readonly pipelineSchedule: PipelineSchedule;
  readonly microBatch: number;
}

/** A run everything downstream can use: model, GPU, cluster and training settings, all resolved. */
export interface ResolvedRun {
  readonly model: ModelShape;
  readonly gpu: GpuSpec;
  readonly gpuCount: number;
  /** Scale-up domain size actually used (hardware.gpusPerNode or the preset's). */
  readonly gpusPerNode: number;
  readonly globalBatch: number;
  readonly precision: Precision;
}

/** Parses YAML/JSON text into a RunConfig (schema errors as `file:line:col: field: message`). */
export function parseRunConfig(text: string, sourceName: string): RunConfig {
  return parseConfigText(text, runConfigSchema, sourceName);
}

/** Validates already-parsed data (the web app's URL state, a fixture's `config`). */
export function validateRunConfig(data: unknown, sourceName = ""): RunConfig {
  return validateConfig(data, runConfigSchema, sourceName);
}

/** Resolves model defaults, the GPU and cluster facts, and checks the rules that do not depend on the layout. */
export function resolveRun(config: RunConfig): ResolvedRun {
  const m = config.model;
  const model: ModelShape = {
    layers: m.layers,
    hidden: m.hidden,
    heads: m.heads,
    kvHeads: m.kvHeads ?? m.heads,
    ffn: m.ffn ?? 4 * m.hidden,
    ffnKind: m.ffnKind,
    vocab: m.vocab,
    seqLen: m.seqLen,
    tiedEmbeddings: m.tiedEmbeddings,
    moe: m.moe ?? null,
  };
  if (model.hidden % model.heads !== 0) {
    throw new InputError("model.hidden", model.hidden, `a multiple of model.heads (${model.heads})`);
  }
  if (model.kvHeads > model.heads || model.heads % model.kvHeads !== 0) {
    throw new InputError("model.kvHeads", model.kvHeads, `a divisor of model.heads (${model.heads})`);
  }
  if (model.moe) {
    if (model.moe.topK > model.moe.experts) {
      throw new InputError("model.moe.topK", model.moe.topK, `at most model.moe.experts (${model.moe.experts})`);
    }
    if (model.moe.denseLayers > model.layers) {
      throw new InputError("model.moe.denseLayers", model.moe.denseLayers, `at most model.layers (${model.layers})`);
    }
  }
  const gpu = resolveGpu(config.hardware.gpu as Parameters<typeof resolveGpu>[0]);
  const precision = config.training.precision;
  if (precision === "fp8" && gpu.peakTflopsFp8 === null) {
    throw new InputError("training.precision", precision, `bf16 or fp16: ${gpu.id} has no FP8 tensor cores`);
  }
  if (precision === "bf16" && !gpu.hasBf16) {
    throw new InputError("training.precision", precision, `fp16: ${gpu.id} has no BF16 tensor cores`);
  }
  const gpusPerNode = config.hardware.gpusPerNode ?? gpu.scaleUpDomain;
  return { model, gpu, gpuCount: config.hardware.count, gpusPerNode, globalBatch: config.training.globalBatch, precision };
}

/** Fills the defaults of a (partial) parallelism block and derives dp; `checkLayout` validates it. */
export function completeLayout(p: ParallelismInput | undefined, gpuCount: number): Layout {
  const tp = p?.tp ?? 1;
  const pp = p?.pp ?? 1;
  const vp = p?.vp ?? 1;
  const cp = p?.cp ?? 1;
  return {
    tp,
    pp,
    vp,
    cp,
    ep: p?.ep ?? 1,
    dp: gpuCount / (tp * pp * cp),
    sequenceParallel: p?.sequenceParallel ?? tp > 1,
    zero: p?.zero ?? 1,
    recompute: p?.recompute ?? "none",
    pipelineSchedule: p?.pipelineSchedule ?? (vp > 1 ? "interleaved-1f1b" : "1f1b"),
    microBatch: p?.microBatch ?? 1,
  };
}

/** Identifiers of the layout rules, in the order they are checked. */
export type LayoutRule =
  | "dp-whole"
  | "tp-heads"
  | "tp-kv-heads"
  | "vp-schedule"
  | "vp-needs-pp"
  | "layers-pp-vp"
  | "dualpipe-even"
  | "cp-seq"
  | "sp-needs-tp"
  | "ep-dense"
  | "ep-dp"
  | "ep-experts"
  | "batch-multiple"
  | "interleaved-microbatches"
  | "dualpipe-microbatches";

/**
 * The first layout rule of run-config.md (and of the frameworks' implementations) that `l` breaks, or null.
 * Cheap (no allocation): the search calls it in its inner loop; `layoutError` turns it into a message.
 */
export function brokenLayoutRule(run: ResolvedRun, l: Layout): LayoutRule | null {
  const model = run.model;
  if (!Number.isInteger(l.dp) || l.dp < 1) return "dp-whole";
  if (model.heads % l.tp !== 0) return "tp-heads";
  if (model.kvHeads % l.tp !== 0 && l.tp % model.kvHeads !== 0) return "tp-kv-heads";
  if (l.vp > 1 && l.pipelineSchedule !== "interleaved-1f1b") return "vp-schedule";
  if (l.vp > 1 && l.pp === 1) return "vp-needs-pp";
  if (model.layers % (l.pp * l.vp) !== 0) return "layers-pp-vp";
  if (l.pipelineSchedule === "dualpipe" && l.pp % 2 !== 0) return "dualpipe-even";
  if (l.cp > 1 && model.seqLen % (2 * l.cp) !== 0) return "cp-seq";
  if (l.sequenceParallel && l.tp === 1) return "sp-needs-tp";
  if (model.moe === null) {
    if (l.ep !== 1) return "ep-dense";
  } else {
    if ((l.dp * l.cp) % l.ep !== 0) return "ep-dp";
    if (model.moe.experts % l.ep !== 0) return "ep-experts";
  }
  const perStep = l.dp * l.microBatch;
  if (run.globalBatch % perStep !== 0) return "batch-multiple";
  const microBatches = run.globalBatch / perStep;
  if (l.pipelineSchedule === "interleaved-1f1b" && l.pp > 1 && microBatches % l.pp !== 0) return "interleaved-microbatches";
  if (l.pipelineSchedule === "dualpipe" && microBatches < l.pp) return "dualpipe-microbatches";
  return null;
}

/** The broken rule as a one-line InputError naming the field, the value and the rule; null when valid. */
export function layoutError(run: ResolvedRun, l: Layout): InputError | null {
  const rule = brokenLayoutRule(run, l);
  if (rule === null) return null;
  const { model } = run;
  const P = "parallelism.";
  const micro = run.globalBatch / (l.dp * l.microBatch);
  switch (rule) {
    case "dp-whole":
      return new InputError(`${P}tp`, l.tp, "", `${P}tp·pp·cp = ${l.tp}·${l.pp}·${l.cp} = ${l.tp * l.pp * l.cp} must divide hardware.count (${run.gpuCount}) so that dp = count/(tp·pp·cp) is a whole number`);
    case "tp-heads":
      return new InputError(`${P}tp`, l.tp, `a divisor of model.heads (${model.heads})`);
    case "tp-kv-heads":
      return new InputError(`${P}tp`, l.tp, `a divisor or multiple of model.kvHeads (${model.kvHeads})`);
    case "vp-schedule":
      return new InputError(`${P}vp`, l.vp, `1 unless parallelism.pipelineSchedule is interleaved-1f1b (got ${l.pipelineSchedule})`);
    case "vp-needs-pp":
      return new InputError(`${P}vp`, l.vp, "1 when pp = 1 (interleaving needs a pipeline)");
    case "layers-pp-vp":
      return new InputError(`${P}pp`, l.pp, "", `${P}pp·vp = ${l.pp}·${l.vp} = ${l.pp * l.vp} must divide model.layers (${model.layers})`);
    case "dualpipe-even":
      return new InputError(`${P}pp`, l.pp, "an even number with pipelineSchedule dualpipe");
    case "cp-seq":
      return new InputError(`${P}cp`, l.cp, `a divisor of model.seqLen/2 (${model.seqLen / 2}): load-balanced context parallelism splits the sequence into 2·cp chunks`);
    case "sp-needs-tp":
      return new InputError(`${P}sequenceParallel`, true, "false when tp = 1 (sequence parallelism shards along the tensor-parallel group)");
    case "ep-dense":
      return new InputError(`${P}ep`, l.ep, "1 for a dense model (no model.moe)");
    case "ep-dp":
      return new InputError(`${P}ep`, l.ep, `a divisor of dp·cp (${l.dp}·${l.cp} = ${l.dp * l.cp}): experts are sharded across data-parallel ranks`);
    case "ep-experts":
      return new InputError(`${P}ep`, l.ep, `a divisor of model.moe.experts (${model.moe?.experts ?? 0})`);
    case "batch-multiple":
      return new InputError("training.globalBatch", run.globalBatch, "", `training.globalBatch: ${run.globalBatch} must be a multiple of dp·microBatch = ${l.dp}·${l.microBatch} = ${l.dp * l.microBatch}`);
    case "interleaved-microbatches":
      return new InputError("training.globalBatch", run.globalBatch, "", `training.globalBatch: ${run.globalBatch} gives ${micro} micro-batches per pipeline; the interleaved schedule needs a multiple of pp (${l.pp})`);
    case "dualpipe-microbatches":
      return new InputError("training.globalBatch", run.globalBatch, "", `training.globalBatch: ${run.globalBatch} gives ${micro} micro-batches; dualpipe needs at least pp (${l.pp})`);
  }
}

/** Throws the first rule a layout breaks. */
export function checkLayout(run: ResolvedRun, l: Layout): void {
  const e = layoutError(run, l);
  if (e) throw e;
}
