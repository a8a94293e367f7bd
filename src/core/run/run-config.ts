// A run everything downstream uses (model, GPU, cluster, training stack, all resolved), its parallel layout, and the
// cross-field rules of shared/specs/run-config.md (derived dp, divisibility) as one-line InputErrors. No zod: the
// schema and the two ways in (parseRunConfig, validateRunConfig) are in run-config-schema.ts, re-exported here.

import { InputError } from "../errors.ts";
import { meetsRule } from "../config/number.ts";
import { GPU_COUNT } from "../config/bounds.ts";
import { resolveGpu, type GpuSpec } from "../hardware/index.ts";
import { RUN_CONFIG_DEFAULTS, type PipelineSchedule, type RecomputeMode } from "./run-config-fields.ts";
import type { ParallelismInput, Precision, RunConfig, RunConfigInput } from "./run-config-schema.ts";
import { resolveSoftware, type SoftwareStack } from "./software.ts";

export { ATTENTION_VARIANTS, PIPELINE_SCHEDULES, RECOMPUTE_MODES, type PipelineSchedule, type RecomputeMode } from "./run-config-fields.ts";
export { gpuObjectSchema, parseRunConfig, runConfigSchema, validateRunConfig, type ParallelismInput, type Precision, type RunConfig, type RunConfigInput } from "./run-config-schema.ts";

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
  /** Multi-head latent attention ranks, or null for multi-head (GQA/MQA) attention. */
  readonly mla: {
    readonly qLoraRank: number;
    readonly kvLoraRank: number;
    readonly qkHeadDim: number;
    readonly qkRopeHeadDim: number;
    readonly vHeadDim: number;
  } | null;
}

/** One complete parallel layout; dp is derived (count / (tp·pp·cp)). */
export interface Layout {
  readonly tp: number;
  readonly pp: number;
  readonly vp: number;
  readonly cp: number;
  readonly ep: number;
  /**
   * Tensor-parallel size of the routed-expert layers (MoE parallel folding, moe-folding.ts); absent = tp, the
   * layout every version-1/2 file describes.
   */
  readonly expertTp?: number;
  readonly dp: number;
  readonly sequenceParallel: boolean;
  readonly zero: 0 | 1 | 2 | 3;
  readonly recompute: RecomputeMode;
  readonly pipelineSchedule: PipelineSchedule;
  readonly microBatch: number;
  /** Layers pinned on the first / last virtual stage, or null: split as evenly as possible (pipeline-split.ts). */
  readonly firstStageLayers: number | null;
  readonly lastStageLayers: number | null;
  /** Layers (per pipeline stage) whose stored activations go to host memory. */
  readonly activationOffloadLayers: number;
}

/** A layout as printed (`step --json`, `search --json`): end-stage pins only when given, no nulls. */
export type LayoutOutput = Omit<Layout, "firstStageLayers" | "lastStageLayers"> & {
  readonly firstStageLayers?: number;
  readonly lastStageLayers?: number;
};

export function layoutOutput(l: Layout): LayoutOutput {
  const { firstStageLayers, lastStageLayers, expertTp, ...rest } = l;
  return {
    ...rest,
    // Printed only when the experts are folded (expertTp ≠ tp), so every unfolded layout prints as before.
    ...(expertTp === undefined || expertTp === l.tp ? {} : { expertTp }),
    ...(firstStageLayers === null ? {} : { firstStageLayers }),
    ...(lastStageLayers === null ? {} : { lastStageLayers }),
  };
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
  /** The training stack with every default of its framework filled in. */
  readonly software: SoftwareStack;
}

/** A run configuration built by code (the plan's candidates): no software block, no sites, no DiLoCo. */
export interface GeneratedRunConfigInput {
  readonly model: RunConfigInput["model"];
  readonly hardware: { readonly gpu: string; readonly count: number; readonly gpusPerNode?: number };
  readonly parallelism?: RunConfigInput["parallelism"];
  readonly training: { readonly globalBatch: number; readonly precision: Precision };
}

const GENERATED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "": ["model", "hardware", "parallelism", "training"],
  hardware: ["gpu", "count", "gpusPerNode"],
  training: ["globalBatch", "precision"],
};

/**
 * What validateRunConfig returns for a configuration built by code, without loading the schema (zod): the input
 * with the defaults of RUN_CONFIG_DEFAULTS filled in. The Plan view's worker builds its candidates' configurations
 * with it so that its first estimate needs no schema (docs/web-app.md, "Critical path of the first result");
 * test/run/generated-run-config.test.ts checks it equals validateRunConfig for every template model and cluster
 * the plan uses. The checks here are a guard, not the schema: a field a generated configuration never holds (a
 * software block, sites), a count that is not whole or a GPU count out of bounds is a programming error; such a
 * configuration goes through validateRunConfig.
 */
export function generatedRunConfig(input: GeneratedRunConfigInput): RunConfig {
  const unexpected = Object.entries(GENERATED_FIELDS).flatMap(([block, keys]) => Object.keys(block === "" ? input : (input[block as keyof GeneratedRunConfigInput] as object)).filter((k) => !keys.includes(k)));
  const { hardware, training, model } = input;
  const whole = (x: unknown) => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
  const numbers = [model, model.moe ?? {}, model.mla ?? {}, input.parallelism ?? {}].flatMap((o) => Object.values(o).filter((v) => typeof v === "number"));
  if (unexpected.length > 0 || typeof hardware.gpu !== "string" || !meetsRule(hardware.count, GPU_COUNT) || !numbers.every(whole) || !whole(training.globalBatch) || training.globalBatch < 1) {
    throw new Error(`generatedRunConfig: not a plain generated configuration (${unexpected.join(", ") || "a value out of range"}): use validateRunConfig`);
  }
  const d = RUN_CONFIG_DEFAULTS;
  return {
    model: { ...model, ffnKind: model.ffnKind ?? d.model.ffnKind, tiedEmbeddings: model.tiedEmbeddings ?? d.model.tiedEmbeddings, attention: model.attention ?? d.model.attention, ...(model.moe ? { moe: { ...d.moe, ...model.moe } } : {}) },
    hardware: { ...hardware },
    ...(input.parallelism ? { parallelism: { ...input.parallelism } } : {}),
    training: { ...training },
  } as RunConfig;
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
    mla: m.attention === "mla" ? (m.mla ?? null) : null,
  };
  if (m.attention === "mla" && m.mla === undefined) {
    throw new InputError("model.mla", undefined, "the MLA ranks {qLoraRank, kvLoraRank, qkHeadDim, qkRopeHeadDim, vHeadDim} when model.attention is mla");
  }
  if (m.attention !== "mla" && m.mla !== undefined) {
    throw new InputError("model.mla", m.mla, "no mla block unless model.attention is mla");
  }
  if (model.mla === null && model.hidden % model.heads !== 0) {
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
  const software = resolveSoftware(config.software, precision);
  return { model, gpu, gpuCount: config.hardware.count, gpusPerNode, globalBatch: config.training.globalBatch, precision, software };
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
    expertTp: p?.expertTp ?? tp,
    dp: gpuCount / (tp * pp * cp),
    sequenceParallel: p?.sequenceParallel ?? tp > 1,
    zero: p?.zero ?? 1,
    recompute: p?.recompute ?? "none",
    pipelineSchedule: p?.pipelineSchedule ?? (vp > 1 ? "interleaved-1f1b" : "1f1b"),
    microBatch: p?.microBatch ?? 1,
    firstStageLayers: p?.firstStageLayers ?? null,
    lastStageLayers: p?.lastStageLayers ?? null,
    activationOffloadLayers: p?.activationOffloadLayers ?? 0,
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
  | "stage-layers"
  | "offload-layers"
  | "dualpipe-even"
  | "cp-seq"
  | "sp-needs-tp"
  | "ep-dense"
  | "etp-dense"
  | "etp-tp"
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
  // Uneven pipelines are accepted (run-config.md, version 2): every virtual stage needs one layer at least.
  if (l.firstStageLayers === null && l.lastStageLayers === null) {
    if (model.layers < l.pp * l.vp) return "layers-pp-vp";
  } else if (!stageLayersAddUp(model.layers, l.pp * l.vp, l.firstStageLayers, l.lastStageLayers)) return "stage-layers";
  if (l.activationOffloadLayers > 0 && l.activationOffloadLayers > Math.ceil(model.layers / l.pp)) return "offload-layers";
  if (l.pipelineSchedule === "dualpipe" && l.pp % 2 !== 0) return "dualpipe-even";
  if (l.cp > 1 && model.seqLen % (2 * l.cp) !== 0) return "cp-seq";
  if (l.sequenceParallel && l.tp === 1) return "sp-needs-tp";
  if (model.moe === null) {
    if (l.ep !== 1) return "ep-dense";
    if (l.expertTp !== undefined && l.expertTp !== l.tp) return "etp-dense";
  } else {
    // MoE parallel folding (Liu et al. 2025, arXiv 2504.14960; Megatron-Core): the expert layers regroup the
    // tp·dp·cp ranks of a pipeline stage as expertTp × ep × expert-dp, so expertTp divides tp (the folds this
    // model covers) and ep divides (tp/expertTp)·dp·cp; expertTp = tp is the classic "ep divides dp·cp".
    const etp = l.expertTp ?? l.tp;
    if (l.tp % etp !== 0) return "etp-tp";
    if (((l.tp / etp) * l.dp * l.cp) % l.ep !== 0) return "ep-dp";
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
      return new InputError(`${P}pp`, l.pp, "", `${P}pp·vp = ${l.pp}·${l.vp} = ${l.pp * l.vp} virtual stages need at least one layer each; model.layers is ${model.layers}`);
    case "stage-layers": {
      const field = l.firstStageLayers !== null ? `${P}firstStageLayers` : `${P}lastStageLayers`;
      const value = l.firstStageLayers ?? l.lastStageLayers;
      const ends = `firstStageLayers ${l.firstStageLayers ?? "-"} + lastStageLayers ${l.lastStageLayers ?? "-"}`;
      return new InputError(field, value, "", `${field}: ${value} does not add up: ${ends} must leave at least one of model.layers (${model.layers}) for each of the other ${l.pp * l.vp - (l.firstStageLayers !== null ? 1 : 0) - (l.lastStageLayers !== null ? 1 : 0)} virtual stages (pp·vp = ${l.pp * l.vp}), and all of them when none is left`);
    }
    case "offload-layers":
      return new InputError(`${P}activationOffloadLayers`, l.activationOffloadLayers, `at most the layers of one pipeline stage (${Math.ceil(model.layers / l.pp)})`);
    case "dualpipe-even":
      return new InputError(`${P}pp`, l.pp, "an even number with pipelineSchedule dualpipe");
    case "cp-seq":
      return new InputError(`${P}cp`, l.cp, `a divisor of model.seqLen/2 (${model.seqLen / 2}): load-balanced context parallelism splits the sequence into 2·cp chunks`);
    case "sp-needs-tp":
      return new InputError(`${P}sequenceParallel`, true, "false when tp = 1 (sequence parallelism shards along the tensor-parallel group)");
    case "ep-dense":
      return new InputError(`${P}ep`, l.ep, "1 for a dense model (no model.moe)");
    case "etp-dense":
      return new InputError(`${P}expertTp`, l.expertTp, `absent or equal to tp (${l.tp}) for a dense model (no model.moe)`);
    case "etp-tp":
      return new InputError(`${P}expertTp`, l.expertTp, `a divisor of parallelism.tp (${l.tp}): the expert layers fold their tensor-parallel group inside the attention's`);
    case "ep-dp": {
      const etp = l.expertTp ?? l.tp;
      if (etp === l.tp) return new InputError(`${P}ep`, l.ep, `a divisor of dp·cp (${l.dp}·${l.cp} = ${l.dp * l.cp}): experts are sharded across data-parallel ranks`);
      const ranks = (l.tp / etp) * l.dp * l.cp;
      return new InputError(`${P}ep`, l.ep, `a divisor of (tp/expertTp)·dp·cp (${l.tp}/${etp}·${l.dp}·${l.cp} = ${ranks}): folded experts are sharded across the data-, context- and tensor-parallel ranks`);
    }
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

/**
 * True when pinned end stages leave a whole, positive number of layers for every other virtual stage (or, with
 * no other stage, exactly none). `first`/`last` null = not pinned.
 */
export function stageLayersAddUp(layers: number, virtualStages: number, first: number | null, last: number | null): boolean {
  if (virtualStages === 1) return (first === null || first === layers) && (last === null || last === layers);
  const pinned = (first ?? 0) + (last ?? 0);
  const free = virtualStages - (first !== null ? 1 : 0) - (last !== null ? 1 : 0);
  const rest = layers - pinned;
  return free === 0 ? rest === 0 : rest >= free;
}

/** Throws the first rule a layout breaks. */
export function checkLayout(run: ResolvedRun, l: Layout): void {
  const e = layoutError(run, l);
  if (e) throw e;
}
