// Step time and memory per GPU of one concrete layout. `evaluateLayout` does the arithmetic for both `step`
// (full breakdown) and `search` (inner loop), so the two can never disagree. It is a sequence of small named
// terms over one context (`StepContext`: the run, fixed per search) and one scratch record (`Work`: the
// layout's intermediate quantities), each term one physical effect:
//
//   placeGroups        which network level each parallel group crosses (Megatron rank order tp, cp, dp, pp)
//   layerCompute       GEMMs (roofline, size-dependent efficiency), attention (per kernel family), element-wise
//                      kernels (fused / compiled / eager traffic), FP8 casts (per scaling recipe), recompute
//   tensorParallel     4 collectives per layer, partly hidden with TP overlap
//   contextParallel    ring exchange of K/V, hidden behind attention
//   expertParallel     dispatch/combine all-to-alls
//   stageTime          one pipeline stage per micro-batch: the layers above × its layer count, its embedding or
//                      output layer, PP sends, ZeRO-3 gathers (per engine), activation offload over the host link
//   pipeline           the schedule: the slowest stage sets the pace, the others make the bubble
//   dataParallel       gradient sync (ZeRO ≤ 2), tied-embedding sync, optimizer
//   stageMemory        states, activations in flight, logits, MoE and ZeRO-3 buffers; the largest stage counts
//
// Every constant is in calibration.ts with its source.

import { DEFAULT_STEP_CONSTANTS, generationEfficiency, type GenerationEfficiency, type StepConstants } from "./calibration.ts";
import { twoLevelCollectives, type CollectiveCosts, type GroupPlacement } from "./collectives.ts";
import { linkRates } from "./gpu-presets.ts";
import { expertDataParallel, expertDataParallelInner, expertParallelInner, expertTensorParallel, moeGatherGroupSize, routedExpertRows } from "./moe-folding.ts";
import { modelCounts, type ModelCounts } from "./model-flops.ts";
import { emptyStageSplit, splitStages, type StageSplit } from "./pipeline-split.ts";
import type { Layout, ResolvedRun } from "./run-config.ts";
import { elementwiseKernels, shardingEngine, type SoftwareStack } from "./software.ts";

const GIB = 1024 ** 3;
/** The 16-bit read a stand-alone FP8 cast pass makes and a fused one does not (FP8_CAST_BYTES, calibration.ts). */
const FUSED_CAST_READ_BYTES = 2;

/** Everything about a run that does not depend on the layout, computed once (search reuses it). */
export interface StepContext {
  readonly run: ResolvedRun;
  readonly counts: ModelCounts;
  readonly eff: GenerationEfficiency;
  readonly k: StepConstants;
  readonly net: CollectiveCosts;
  readonly software: SoftwareStack;
  /** FLOP/s at the training precision's peak and at the BF16 peak. */
  readonly peakFlops: number;
  readonly peakFlopsBf16: number;
  /** Achievable GEMM efficiency at the training precision (FP8 GEMMs reach less of their peak). */
  readonly matmulEfficiency: number;
  /** Achievable attention rate (FLOP/s on causal FLOPs) of the fused kernel family; 0 for unfused attention. */
  readonly attentionFlops: number;
  /** Element-wise traffic relative to hand-fused kernels (eager / compiled / fused). */
  readonly elementwiseTraffic: number;
  /** HBM bytes per element cast to FP8 (0 for BF16/FP16). */
  readonly fp8CastBytes: number;
  /** FP8 weights cast once per step (Transformer Engine) rather than once per micro-batch. */
  readonly fp8CachesWeights: boolean;
  /**
   * With sequence parallelism, where the FP8 cast of the norm outputs (the QKV and FC1 inputs) happens. Transformer
   * Engine and torchtitan's Float8 TP plan (tensorwise only) cast the local sequence shard before the all-gather;
   * torchtitan with any other recipe "uses regular TP and all-gather happens in high precision"
   * (torchtitan/models/llama3/infra/parallelize.py, `enable_float8_tensorwise_tp`), so every TP rank casts the
   * gathered full-sequence tensor: tp times the cast traffic. Identical casts of one input feeding several
   * linears (wq, wk, wv; w1, w3) count once (AOTAutograd's common-subexpression pass under torch.compile).
   */
  readonly fp8CastsGatheredInputs: boolean;
  /**
   * Q, K and V as three GEMMs instead of one fused QKV GEMM: torchtitan's Llama attention has separate wq, wk, wv
   * linears (torchtitan/models/llama3/model/model.py); Megatron-Core, NeMo and llm-foundry fuse them. With GQA
   * and TP the K and V GEMMs are thin (Llama 3 8B at TP8: 128 columns) and run at a lower efficiency.
   */
  readonly separateQkvGemms: boolean;
  /**
   * Transformer Engine's Linear / LayerNormLinear keep the FP8 copy of their input for the weight-gradient GEMM
   * (the 16-bit tensor is not saved): in FP8 runs on Transformer Engine the two norm outputs and the activation
   * output are stored in 1 byte per element, not 2.
   */
  readonly fp8SavesLinearInputs: boolean;
  /**
   * NeMo 2 / Megatron-Bridge recipes set `cross_entropy_loss_fusion` (Transformer Engine's fused cross entropy):
   * the loss and its gradient are computed in one kernel that overwrites the 16-bit logits in place, so no fp32
   * up-cast or log-softmax copy of the logits is kept.
   */
  readonly fusedCrossEntropy: boolean;
  /** Layers' worth of activations alive in a fully recomputed layer's backward (per stack, calibration.ts). */
  readonly fullRecomputeWorkingLayers: number;
  /** Fraction of TP collectives hidden behind GEMMs. */
  readonly tpHidden: number;
  /** Rate of ZeRO-3 weight gathers relative to the collective cost model. */
  readonly gatherEfficiency: number;
  /**
   * torch FSDP under pipeline parallelism keeps each stage's weights gathered and its gradients unsharded
   * across the micro-batches (torchtitan sets reshard_after_forward = False with PP and defers the
   * reduce-scatter to the last micro-batch): one gather and one reduce-scatter per step, more memory.
   */
  readonly fsdpKeepsStageGathered: boolean;
  /**
   * DeepSpeed ZeRO-3 gathers parameters module by module (a pre-forward hook per nn.Module fetches that
   * module's own parameters), not a transformer layer at a time: its working set is the largest module's
   * 16-bit weight and gradient (DeepSpeed deepspeed/runtime/zero/stage3.py, estimate_zero3_model_states_mem_needs:
   * largest_layer_memory = 4 × largest_layer_params, the largest module's own, non-recursive parameters).
   */
  readonly zero3GathersPerModule: boolean;
  readonly hbmBytesPerSecond: number;
  readonly hbmBytes: number;
  readonly hostLinkBytesPerSecond: number;
  /** Scratch space of one evaluation (reused: no allocation in the search's inner loop). */
  readonly work: Work;
}

export function stepContext(run: ResolvedRun, options: { net?: CollectiveCosts; constants?: StepConstants } = {}): StepContext {
  const k = options.constants ?? DEFAULT_STEP_CONSTANTS;
  const gpu = run.gpu;
  const fp8 = run.precision === "fp8";
  const peakTflops = fp8 ? (gpu.peakTflopsFp8 ?? gpu.peakTflopsBf16) : gpu.peakTflopsBf16;
  const eff = generationEfficiency(gpu.id, k);
  const software = run.software;
  const attentionEff = software.attention === "flash" ? eff.attentionFlash : software.attention === "cudnn" ? eff.attentionCudnn : 0;
  return {
    run,
    counts: modelCounts(run.model),
    eff,
    k,
    net: options.net ?? twoLevelCollectives(linkRates(gpu), { scaleUp: eff.scaleUpCollective, scaleOut: k.collective.scaleOut }),
    software,
    peakFlops: peakTflops * 1e12,
    peakFlopsBf16: gpu.peakTflopsBf16 * 1e12,
    matmulEfficiency: eff.matmul * (fp8 ? k.fp8MatmulRatio : 1),
    attentionFlops: gpu.peakTflopsBf16 * 1e12 * attentionEff,
    elementwiseTraffic: k.elementwiseTraffic[elementwiseKernels(software)],
    // Hand-fused kernels (Transformer Engine's LayerNormLinear, fused activation + cast) produce the FP8 copy
    // in the kernel that writes the 16-bit tensor: the separate 2-byte read of the cast pass disappears.
    fp8CastBytes: software.fp8Recipe === null ? 0 : k.fp8CastBytes[software.fp8Recipe] - (elementwiseKernels(software) === "fused" ? FUSED_CAST_READ_BYTES : 0),
    fp8CachesWeights: elementwiseKernels(software) === "fused",
    fp8CastsGatheredInputs: software.framework === "torchtitan" && software.fp8Recipe !== null && software.fp8Recipe !== "tensorwise",
    separateQkvGemms: software.framework === "torchtitan",
    fp8SavesLinearInputs: fp8 && software.fp8Recipe !== null && elementwiseKernels(software) === "fused",
    fusedCrossEntropy: software.framework === "nemo" || software.framework === "megatron-bridge",
    fullRecomputeWorkingLayers: k.fullRecomputeWorkingLayers[software.framework === "torchtitan" ? "torchtitan" : "other"],
    tpHidden: software.tpCommOverlap ? k.tpOverlapHidden : 0,
    gatherEfficiency: k.gatherEfficiency[shardingEngine(software)],
    fsdpKeepsStageGathered: shardingEngine(software) === "fsdp",
    zero3GathersPerModule: shardingEngine(software) === "deepspeed-zero3",
    hbmBytesPerSecond: gpu.hbmTBps * 1e12 * k.hbmEfficiency,
    hbmBytes: gpu.hbmGiB * GIB,
    hostLinkBytesPerSecond: gpu.hostLinkGBpsPerDirection * 1e9,
    work: new Work(),
  };
}

/** Seconds per optimizer step, split so that the parts add up to `stepTime`. */
export interface TimeParts {
  compute: number;
  recompute: number;
  tensorParallelExposed: number;
  contextParallelExposed: number;
  expertParallelExposed: number;
  pipelineP2pExposed: number;
  zero3GatherExposed: number;
  activationOffloadExposed: number;
  pipelineBubble: number;
  dataParallelExposed: number;
  optimizer: number;
  stepTime: number;
}

/** Total communication time of each kind per step (before overlap), and which level it crosses. */
export interface CommTotals {
  tensorParallel: number;
  contextParallel: number;
  expertParallel: number;
  pipelineP2p: number;
  dataParallel: number;
  zero3Gather: number;
  activationOffload: number;
  tensorParallelLevel: Level;
  contextParallelLevel: Level;
  expertParallelLevel: Level;
  pipelineLevel: Level;
  dataParallelLevel: Level;
}

export type Level = "none" | "scale-up" | "scale-out";

/** Bytes per GPU on the most loaded pipeline stage. */
export interface MemoryParts {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  logits: number;
  moeBuffers: number;
  zero3Buffers: number;
  total: number;
}

export interface LayoutEvaluation {
  time: TimeParts;
  comm: CommTotals;
  memory: MemoryParts;
  microBatches: number;
  /** Stage time of one micro-batch on the slowest stage, seconds. */
  stageTimePerMicroBatch: number;
  /** Layers on the slowest stage and on the stage that needs the most memory. */
  slowestStageLayers: number;
  /** Hardware FLOPs per step per GPU (recompute included), for the hardware FLOP utilisation. */
  hardwareFlopsPerGpu: number;
  fits: boolean;
}

export function emptyEvaluation(): LayoutEvaluation {
  return {
    time: {
      compute: 0,
      recompute: 0,
      tensorParallelExposed: 0,
      contextParallelExposed: 0,
      expertParallelExposed: 0,
      pipelineP2pExposed: 0,
      zero3GatherExposed: 0,
      activationOffloadExposed: 0,
      pipelineBubble: 0,
      dataParallelExposed: 0,
      optimizer: 0,
      stepTime: 0,
    },
    comm: {
      tensorParallel: 0,
      contextParallel: 0,
      expertParallel: 0,
      pipelineP2p: 0,
      dataParallel: 0,
      zero3Gather: 0,
      activationOffload: 0,
      tensorParallelLevel: "none",
      contextParallelLevel: "none",
      expertParallelLevel: "none",
      pipelineLevel: "none",
      dataParallelLevel: "none",
    },
    memory: { weights: 0, gradients: 0, optimizer: 0, activations: 0, logits: 0, moeBuffers: 0, zero3Buffers: 0, total: 0 },
    microBatches: 0,
    stageTimePerMicroBatch: 0,
    slowestStageLayers: 0,
    hardwareFlopsPerGpu: 0,
    fits: false,
  };
}

/** Intermediate quantities of one layout (one object per context, overwritten by every evaluation). */
/** A layout the floors (step-floors.ts) fill in place. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class Work {
  // geometry
  tokens = 0;
  microBatches = 0;
  repl = 1;
  dpShard = 1;
  expertShard = 1;
  ppCrossesScaleOut = false;
  tpGroup: GroupPlacement = { size: 1, inner: 1 };
  cpGroup: GroupPlacement = { size: 1, inner: 1 };
  dpGroup: GroupPlacement = { size: 1, inner: 1 };
  epGroup: GroupPlacement = { size: 1, inner: 1 };
  expertGroup: GroupPlacement = { size: 1, inner: 1 };
  /** The group of a MoE layer's sequence-parallel gather/scatter (moe-folding.ts; the tp group unless folded). */
  moeGatherGroup: GroupPlacement = { size: 1, inner: 1 };
  stages: StageSplit = emptyStageSplit();
  splitPp = 0;
  splitVp = 0;
  splitFirst: number | null = null;
  splitLast: number | null = null;
  // per layer per micro-batch; the kernel times are kept for the key (tp, ep, cp, microBatch, dp, repl)
  keyTp = 0;
  keyEp = 0;
  keyEtp = 0;
  keyCp = 0;
  keyMicroBatch = 0;
  keyDp = 0;
  keyRepl = 0;
  fwdGemm = 0;
  elemFwd = 0;
  ffnAvg = 0;
  layerFwd = 0;
  layerBwd = 0;
  layerWeightGrad = 0;
  layerRecompute = 0;
  attnFwd = 0;
  tpOne = 0;
  tpFwd = 0;
  tpPerLayer = 0;
  tpExposedPerLayer = 0;
  cpFwd = 0;
  cpPerLayer = 0;
  cpExposedPerLayer = 0;
  epPerLayer = 0;
  p2pOne = 0;
  // ZeRO-3 / FSDP gathers of one layer, of the embedding and of the output layer (one pass), seconds
  gatherLayer = 0;
  gatherEmbedding = 0;
  gatherOutput = 0;
  // parameters per GPU
  layerNonExpertParams = 0;
  layerExpertParams = 0;
  embedPerGpu = 0;
  outputPerGpu = 0;
  // stage extras per micro-batch
  firstExtraCompute = 0;
  lastExtraCompute = 0;
  lastExtraTp = 0;
  activationsPerLayerMb = 0;
  fullLayerActivations = 0;
  // the parts of the stage last evaluated with `record`
  partCompute = 0;
  partRecompute = 0;
  partTp = 0;
  partCp = 0;
  partEp = 0;
  partP2p = 0;
  partZero3 = 0;
  partZero3Total = 0;
  partOffload = 0;
  partOffloadTotal = 0;
  dpExposed = 0;
  dpTotal = 0;
  embeddingSync = 0;
  otherMemory: MemoryParts = { weights: 0, gradients: 0, optimizer: 0, activations: 0, logits: 0, moeBuffers: 0, zero3Buffers: 0, total: 0 };
  /** The pipeline's slowest-stage record when only a floor is wanted (stepTimeFloor). */
  readonly floorEvaluation: LayoutEvaluation = emptyEvaluation();
  /** The layout a floor is evaluated at (groupFloors, memoryFloor). */
  /** Which members of a group may fit (groupFloors): recompute mode × 4 + ZeRO stage index. */
  readonly floorMayFit: boolean[] = new Array<boolean>(12).fill(false);
  /** Pipeline time (with the embedding sync) of each recompute mode of a group (groupFloors). */
  readonly floorPipes: Float64Array = new Float64Array(3);
  /** The same with the ZeRO-3 gathers, for the group's ZeRO-3 members (groupFloors). */
  readonly floorPipesZero3: Float64Array = new Float64Array(3);
  /** Pipeline floors of each pipeline shape of a depth, without and with the ZeRO-3 gathers (depthFloors). */
  readonly floorShapePipes: Float64Array = new Float64Array(64);
  readonly floorShapePipesZero3: Float64Array = new Float64Array(64);
  readonly floorLayout: Mutable<Layout> = { tp: 1, pp: 1, vp: 1, cp: 1, ep: 1, expertTp: 1, dp: 1, sequenceParallel: false, zero: 0, recompute: "none", pipelineSchedule: "1f1b", microBatch: 1, firstStageLayers: null, lastStageLayers: null, activationOffloadLayers: 0 };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/**
 * Time of a GEMM of m×k by k×n on one GPU: roofline of the tensor-core rate at the achievable efficiency
 * (lower for thin GEMMs) and the HBM traffic of its operands.
 */
function gemmSeconds(ctx: StepContext, m: number, n: number, k: number, operandBytes: number, peak: number, eff: number): number {
  const d = Math.min(m, n, k);
  const e = eff * (d / (d + ctx.k.matmulHalfDim));
  const compute = (2 * m * n * k) / (peak * e);
  const memory = (operandBytes * (m * k + k * n) + 2 * m * n) / ctx.hbmBytesPerSecond;
  return compute > memory ? compute : memory;
}

/** A GEMM at the training precision (FP8 GEMMs for fp8 runs). */
function gemm(ctx: StepContext, m: number, n: number, k: number): number {
  return gemmSeconds(ctx, m, n, k, ctx.run.precision === "fp8" ? 1 : 2, ctx.peakFlops, ctx.matmulEfficiency);
}

/**
 * Exposed part of a communication of `comm` seconds overlapped with `window` seconds of compute: what exceeds
 * the window (never less than `floor`, the part that cannot start before the compute ends), plus the
 * interference fraction `kappa` of the overlapped part.
 */
function hidden(comm: number, window: number, floor: number, kappa: number): number {
  if (comm <= 0) return 0;
  const base = Math.max(comm - window, Math.min(floor, comm));
  return base + kappa * (comm - base);
}

function levelOf(g: GroupPlacement): Level {
  if (g.size <= 1) return "none";
  return g.inner >= g.size ? "scale-up" : "scale-out";
}

function place(g: GroupPlacement, size: number, inner: number): void {
  (g as { size: number }).size = size;
  (g as { inner: number }).inner = Math.max(1, Math.min(size, inner));
}

// ---------------------------------------------------------------------------------------------------------
// Terms

/**
 * Group placement (Megatron order tp, cp, dp, pp; the expert layers etp, ep, expert-dp over the same ranks,
 * moe-folding.ts) and the stage split.
 */
export function placeGroups(ctx: StepContext, l: Layout, w: Work): void {
  const run = ctx.run;
  const gpn = run.gpusPerNode;
  w.microBatches = run.globalBatch / (l.dp * l.microBatch);
  w.tokens = (l.microBatch * run.model.seqLen) / l.cp; // context parallelism splits the sequence
  w.repl = l.sequenceParallel ? l.tp : 1; // the norm/residual region is sharded by tp only with SP
  w.dpShard = l.dp * l.cp; // distributed optimizer / FSDP shard over dp×cp (Megatron)
  w.expertShard = expertDataParallel(l); // expert states shard over the expert-data-parallel group
  const perTp = Math.floor(gpn / l.tp);
  place(w.tpGroup, l.tp, gpn);
  place(w.cpGroup, l.cp, perTp);
  place(w.dpGroup, w.dpShard, perTp);
  place(w.epGroup, l.ep, expertParallelInner(l, gpn));
  place(w.expertGroup, w.expertShard, expertDataParallelInner(l, gpn));
  const moe = run.model.moe;
  place(w.moeGatherGroup, moe === null ? l.tp : moeGatherGroupSize(l, moe.sharedExperts), gpn);
  w.ppCrossesScaleOut = l.tp * l.cp * l.dp >= gpn;
  // The split depends on pp, vp and the pinned end stages only (the search varies them outermost): kept while unchanged.
  if (l.pp !== w.splitPp || l.vp !== w.splitVp || l.firstStageLayers !== w.splitFirst || l.lastStageLayers !== w.splitLast) {
    splitStages(run.model.layers, l.pp, l.vp, l.firstStageLayers, l.lastStageLayers, w.stages);
    w.splitPp = l.pp;
    w.splitVp = l.vp;
    w.splitFirst = l.firstStageLayers;
    w.splitLast = l.lastStageLayers;
  }
}

/** Forward GEMM time of the attention projections of one layer (MHA with GQA, or MLA's down/up projections). */
function attentionProjections(ctx: StepContext, tp: number, tokens: number): number {
  const m = ctx.run.model;
  const c = ctx.counts;
  const h = m.hidden;
  const mla = m.mla;
  if (mla === null) {
    const qkv = ctx.separateQkvGemms
      ? gemm(ctx, tokens, c.queryWidth / tp, h) + 2 * gemm(ctx, tokens, c.keyValueWidth / 2 / tp, h)
      : gemm(ctx, tokens, (c.queryWidth + c.keyValueWidth) / tp, h);
    return qkv + gemm(ctx, tokens, h, c.attentionOutputWidth / tp);
  }
  // Megatron-Core MLA: the down-projections are replicated over TP, the up-projections column-parallel.
  const qk = mla.qkHeadDim + mla.qkRopeHeadDim;
  let t = gemm(ctx, tokens, mla.kvLoraRank + mla.qkRopeHeadDim, h); // W^DKV, W^KR
  t += gemm(ctx, tokens, (m.heads * (mla.qkHeadDim + mla.vHeadDim)) / tp, mla.kvLoraRank); // W^UK, W^UV
  t += mla.qLoraRank > 0 ? gemm(ctx, tokens, mla.qLoraRank, h) + gemm(ctx, tokens, (m.heads * qk) / tp, mla.qLoraRank) : gemm(ctx, tokens, (m.heads * qk) / tp, h);
  return t + gemm(ctx, tokens, h, c.attentionOutputWidth / tp); // W^O
}

/** Forward GEMM time of the MLP of one layer, averaged over dense and MoE layers; sets w.ffnAvg (active width). */
function mlpGemms(ctx: StepContext, l: Layout, w: Work, tokens: number): number {
  const m = ctx.run.model;
  const c = ctx.counts;
  const h = m.hidden;
  const tp = l.tp;
  const moeFraction = c.moeLayers / m.layers;
  let time = 0;
  if (moeFraction < 1) time += (1 - moeFraction) * (gemm(ctx, tokens, ((c.mlpMatrices - 1) * m.ffn) / tp, h) + gemm(ctx, tokens, h, m.ffn / tp));
  const moe = m.moe;
  if (moe && moeFraction > 0) {
    // Each EP rank receives on average its share of the routed copies spread over its experts/ep local experts;
    // each expert GEMM is sharded over expertTp (moe-folding.ts).
    const localExperts = moe.experts / l.ep;
    const rows = routedExpertRows(l, tokens, moe.topK, moe.experts);
    const ef = moe.expertFfn;
    const etp = expertTensorParallel(l);
    let t = localExperts * (gemm(ctx, rows, ((c.mlpMatrices - 1) * ef) / etp, h) + gemm(ctx, rows, h, ef / etp));
    if (moe.sharedExperts > 0) {
      const sf = moe.sharedExperts * ef;
      t += gemm(ctx, tokens, ((c.mlpMatrices - 1) * sf) / tp, h) + gemm(ctx, tokens, h, sf / tp);
    }
    t += gemm(ctx, tokens, moe.experts, h); // router
    time += moeFraction * t;
  }
  w.ffnAvg = activeFfnWidth(ctx);
  return time;
}

/** FFN width a token passes through, averaged over dense and MoE layers (routed top-k and shared experts). */
export function activeFfnWidth(ctx: StepContext): number {
  const m = ctx.run.model;
  const moeFraction = ctx.counts.moeLayers / m.layers;
  let activeFfn = (1 - moeFraction) * m.ffn;
  const moe = m.moe;
  if (moe && moeFraction > 0) activeFfn += moeFraction * (moe.topK + moe.sharedExperts) * moe.expertFfn;
  return activeFfn;
}

/**
 * Forward time of the attention core of one layer. Fused kernels (flash, cuDNN) execute the causal half of
 * the score/value FLOPs at the kernel family's rate; unfused attention runs the full score and value GEMMs at
 * the GEMM rate and moves every s × s score element through HBM (UNFUSED_SCORE_BYTES per element).
 */
function attentionCore(ctx: StepContext, l: Layout, tokens: number): number {
  const c = ctx.counts;
  const fullFlops = (tokens * c.attentionCoreFlopsPerTokenPerLayer) / l.tp;
  if (ctx.attentionFlops > 0) return fullFlops / 2 / ctx.attentionFlops;
  const m = ctx.run.model;
  const gemmTime = fullFlops / (ctx.peakFlopsBf16 * ctx.eff.matmul);
  const scoreElements = (tokens * (m.seqLen / l.cp) * m.heads) / l.tp;
  return gemmTime + (scoreElements * ctx.k.unfusedScoreBytes) / ctx.hbmBytesPerSecond;
}

/**
 * Element-wise forward time of one layer: norms and residuals (20 bytes per hidden unit, fused) in the
 * norm/residual region, the activation function in the TP region, scaled by the kernel kind's traffic; FP8
 * casts of every GEMM input (activations per token, weights once per micro-batch) at the recipe's bytes.
 */
function elementwise(ctx: StepContext, l: Layout, w: Work, activeFfn: number): number {
  const m = ctx.run.model;
  const c = ctx.counts;
  const h = m.hidden;
  const actElems = (c.mlpMatrices === 3 ? 3 : 2) * activeFfn;
  let bytes = w.tokens * ctx.elementwiseTraffic * ((ctx.k.elementwiseBytesPerHidden * h) / w.repl + (2 * actElems) / l.tp);
  if (ctx.fp8CastBytes > 0) {
    const inputs = (2 * h) / (ctx.fp8CastsGatheredInputs ? 1 : w.repl) + (c.attentionOutputWidth + activeFfn) / l.tp;
    // Weights are cast once per micro-batch, except that Transformer Engine (the hand-fused stacks) caches the
    // FP8 weights over the micro-batches of a step (`is_first_microbatch`).
    const weightCasts = ctx.fp8CachesWeights ? 1 / w.microBatches : 1;
    bytes += ctx.fp8CastBytes * (w.tokens * inputs + weightCasts * (w.layerNonExpertParams + w.layerExpertParams));
  }
  return bytes / ctx.hbmBytesPerSecond;
}

/** Parameters of one layer held by one GPU (non-expert and expert), averaged over dense and MoE layers. */
export function layerParams(ctx: StepContext, l: Layout, w: Work): void {
  const m = ctx.run.model;
  const c = ctx.counts;
  const h = m.hidden;
  const moeFraction = c.moeLayers / m.layers;
  const attn = (c.attentionParams - c.attentionReplicatedParams) / l.tp + c.attentionReplicatedParams + (2 * h) / l.tp;
  const dense = c.denseMlpParams / l.tp;
  const moeNonExpert = (c.routerParams + c.sharedExpertParams) / l.tp;
  w.layerNonExpertParams = attn + (1 - moeFraction) * dense + moeFraction * moeNonExpert;
  w.layerExpertParams = (moeFraction * c.routedExpertParams) / (expertTensorParallel(l) * l.ep);
  w.embedPerGpu = c.embeddingParams / l.tp;
  // The last stage holds the output layer (a second copy of the embedding when tied and pp > 1).
  w.outputPerGpu = (m.tiedEmbeddings ? (l.pp > 1 ? c.embeddingParams : 0) : c.outputParams) / l.tp;
}

/** Time of the ZeRO-3 / FSDP weight gathers of one layer, the embedding and the output layer (0 below ZeRO-3). */
export function zero3Gathers(ctx: StepContext, l: Layout, w: Work): void {
  // ZeRO-3 / FSDP gathers unit by unit (a layer, the embedding, the output layer) in 16 bits, at the engine's
  // gather efficiency.
  if (l.zero === 3 && w.dpShard > 1) {
    const g = ctx.gatherEfficiency;
    w.gatherLayer = ctx.net.allGather(w.layerNonExpertParams * 2, w.dpGroup) / g;
    if (w.layerExpertParams > 0 && w.expertShard > 1) w.gatherLayer += ctx.net.allGather(w.layerExpertParams * 2, w.expertGroup) / g;
    w.gatherEmbedding = ctx.net.allGather(w.embedPerGpu * 2, w.dpGroup) / g;
    w.gatherOutput = w.outputPerGpu > 0 ? ctx.net.allGather(w.outputPerGpu * 2, w.dpGroup) / g : 0;
  } else {
    w.gatherLayer = 0;
    w.gatherEmbedding = 0;
    w.gatherOutput = 0;
  }
}

/**
 * Forward, backward, weight-gradient and recompute time of one layer per micro-batch. The kernel times depend
 * only on tp, ep, cp, sp and the micro-batch (size and count), not on ZeRO or recompute: the search varies those
 * innermost, so the last result is kept and reused while the key is unchanged.
 */
function layerCompute(ctx: StepContext, l: Layout, w: Work): void {
  const etp = expertTensorParallel(l);
  if (l.tp !== w.keyTp || l.ep !== w.keyEp || etp !== w.keyEtp || l.cp !== w.keyCp || l.microBatch !== w.keyMicroBatch || l.dp !== w.keyDp || w.repl !== w.keyRepl) {
    w.fwdGemm = attentionProjections(ctx, l.tp, w.tokens) + mlpGemms(ctx, l, w, w.tokens);
    w.attnFwd = attentionCore(ctx, l, w.tokens);
    w.elemFwd = elementwise(ctx, l, w, w.ffnAvg);
    w.keyTp = l.tp;
    w.keyEp = l.ep;
    w.keyEtp = etp;
    w.keyCp = l.cp;
    w.keyMicroBatch = l.microBatch;
    w.keyDp = l.dp;
    w.keyRepl = w.repl;
  }
  const fwdGemm = w.fwdGemm;
  const attnFwd = w.attnFwd;
  const elemFwd = w.elemFwd;
  w.layerFwd = fwdGemm + attnFwd + elemFwd;
  w.layerBwd = 2 * fwdGemm + ctx.k.attentionBackwardRatio * attnFwd + 2 * elemFwd;
  w.layerWeightGrad = fwdGemm; // the weight-gradient half of the GEMM backward (zero-bubble's W pass)
  w.layerRecompute = l.recompute === "full" ? w.layerFwd : l.recompute === "selective" ? attnFwd + elemFwd : 0;
}

/**
 * TP: 2 collectives forward (after attention, after MLP) and 2 backward, each moving the activation
 * tokens·h·2 bytes (all-reduce, or reduce-scatter + all-gather with SP: same bytes); a third forward pair with
 * full recompute. With TP overlap a fraction is hidden behind the GEMMs (and interferes with them).
 */
function tensorParallel(ctx: StepContext, l: Layout, w: Work): void {
  const actBytes = w.tokens * ctx.run.model.hidden * 2;
  w.tpOne = l.tp > 1 ? ctx.net.allReduce(actBytes, w.tpGroup) : 0;
  w.tpFwd = w.moeGatherGroup.size === l.tp ? 2 * w.tpOne : foldedTpForward(ctx, w, actBytes);
  w.tpPerLayer = 2 * w.tpFwd + (l.recompute === "full" ? w.tpFwd : 0);
  const f = ctx.tpHidden;
  w.tpExposedPerLayer = w.tpPerLayer * (1 - f + ctx.k.overlapInterference * f);
}

/**
 * Forward TP collectives of one layer when the MoE layers are folded (moe-folding.ts): the attention pair on the
 * tp group on every layer, the MLP pair on the tp group on dense layers and on the MoE gather group on MoE layers.
 */
function foldedTpForward(ctx: StepContext, w: Work, actBytes: number): number {
  const moeFraction = ctx.counts.moeLayers / ctx.run.model.layers;
  const moeGather = w.moeGatherGroup.size > 1 ? ctx.net.allReduce(actBytes, w.moeGatherGroup) : 0;
  return w.tpOne + (1 - moeFraction) * w.tpOne + moeFraction * moeGather;
}

/**
 * CP: ring exchange of K and V (cp − 1 steps) forward; K, V and their gradients backward; again forward with
 * full recompute. Each step overlaps the attention of the block in hand: only the excess is exposed.
 */
function contextParallel(ctx: StepContext, l: Layout, w: Work): void {
  if (l.cp <= 1) {
    w.cpFwd = 0;
    w.cpPerLayer = 0;
    w.cpExposedPerLayer = 0;
    return;
  }
  const kappa = ctx.k.overlapInterference;
  const kvBytes = (w.tokens * ctx.counts.keyValueWidth * 2) / l.tp;
  const cpFwd = (l.cp - 1) * ctx.net.pointToPoint(kvBytes, w.cpGroup.inner < w.cpGroup.size);
  const recompute = l.recompute === "full" ? cpFwd : 0;
  w.cpFwd = cpFwd;
  w.cpPerLayer = 3 * cpFwd + recompute;
  w.cpExposedPerLayer =
    hidden(cpFwd, w.attnFwd, 0, kappa) + hidden(2 * cpFwd, ctx.k.attentionBackwardRatio * w.attnFwd, 0, kappa) + hidden(recompute, w.attnFwd, 0, kappa);
}

/** EP: dispatch + combine all-to-all forward, the same two backward (two more with full recompute). */
function expertParallel(ctx: StepContext, l: Layout, w: Work): void {
  const moe = ctx.run.model.moe;
  if (!moe || l.ep <= 1) {
    w.epPerLayer = 0;
    return;
  }
  const a2a = ctx.net.allToAll((w.tokens * moe.topK * ctx.run.model.hidden * 2) / l.tp, w.epGroup);
  w.epPerLayer = (ctx.counts.moeLayers / ctx.run.model.layers) * (4 * a2a + (l.recompute === "full" ? 2 * a2a : 0));
}

/** PP: one activation send forward and one gradient send backward per micro-batch per virtual stage. */
function pipelineSends(ctx: StepContext, l: Layout, w: Work): void {
  const bytes = (w.tokens * ctx.run.model.hidden * 2) / l.tp; // scatter-gather over TP (Megatron default)
  w.p2pOne = l.pp > 1 ? ctx.net.pointToPoint(bytes, w.ppCrossesScaleOut) : 0;
}

/**
 * Unequal stages (Megatron pre_process / post_process). First stage: the vocab-parallel embedding lookup and
 * gradient scatter-add (~3 activation-sized tensors through HBM) and its TP reduction. Last stage: the final
 * norm (12 bytes per hidden unit over forward and backward), the logits GEMM forward + 2 backward (kept in
 * 16 bits by Transformer Engine and torchao FP8 alike), the fp32 cross-entropy (~16 bytes per logit), with SP
 * the all-gather before the output layer. Full recompute does not replay the output layer.
 */
function stageExtras(ctx: StepContext, l: Layout, w: Work): void {
  const m = ctx.run.model;
  const h = m.hidden;
  const hbm = ctx.hbmBytesPerSecond;
  w.firstExtraCompute = (3 * w.tokens * h * 2) / w.repl / hbm;
  const vocabPerGpu = m.vocab / l.tp;
  const logits = gemmSeconds(ctx, w.tokens, vocabPerGpu, h, 2, ctx.peakFlopsBf16, ctx.eff.matmul);
  w.lastExtraCompute = 3 * logits + (w.tokens * vocabPerGpu * 16) / hbm + (w.tokens * 12 * h) / w.repl / hbm;
  w.lastExtraTp = l.sequenceParallel ? w.tpOne : 0;
}

const PAIR_ACROSS: GroupPlacement = { size: 2, inner: 1 };
const PAIR_INSIDE: GroupPlacement = { size: 2, inner: 2 };

/** Which extras a stage carries. */
export const FIRST = 1;
export const LAST = 2;

/**
 * Per-micro-batch time of one physical stage of `n` layers carrying `ends` (FIRST | LAST). With `record` the
 * parts are kept in `w.part*` for the breakdown.
 */
export function stageTime(ctx: StepContext, l: Layout, w: Work, n: number, ends: number, record: boolean): number {
  const kappa = ctx.k.overlapInterference;
  let compute = n * (w.layerFwd + w.layerBwd);
  let tp = n * w.tpExposedPerLayer;
  if (ends & FIRST) {
    compute += w.firstExtraCompute;
    tp += w.tpOne;
  }
  if (ends & LAST) {
    compute += w.lastExtraCompute;
    tp += w.lastExtraTp;
  }
  const recompute = n * w.layerRecompute;
  const cp = n * w.cpExposedPerLayer;
  let ep = n * w.epPerLayer;
  let p2p = 2 * l.vp * w.p2pOne;
  if (l.pipelineSchedule === "dualpipe") {
    // DualPipe (DeepSeek-V3 report §3.2.1) runs a forward and a backward chunk side by side so that the EP
    // all-to-alls and PP sends of one hide behind the compute of the other: only the excess is exposed.
    const comm = ep + p2p;
    const exposed = hidden(comm, compute, 0, kappa);
    ep = comm > 0 ? (exposed * ep) / comm : 0;
    p2p = comm > 0 ? (exposed * p2p) / comm : 0;
  }
  // ZeRO-3 / FSDP: all-gather each layer's weights forward and backward (again for full recompute),
  // reduce-scatter its gradients; prefetch hides them behind compute except the excess and the first gather.
  let zero3Total = 0;
  let zero3 = 0;
  if (w.gatherLayer > 0) {
    const stage = n * w.gatherLayer + (ends & FIRST ? w.gatherEmbedding : 0) + (ends & LAST ? w.gatherOutput : 0);
    if (ctx.fsdpKeepsStageGathered && l.pp > 1) {
      // One gather per step (behind the first micro-batch's forward) and one reduce-scatter (behind the last
      // backward), spread over the micro-batches.
      const m = w.microBatches;
      zero3Total = (2 * stage) / m;
      zero3 = (hidden(stage, n * w.layerFwd, w.gatherLayer, kappa) + hidden(stage, n * w.layerBwd, w.gatherLayer, kappa)) / m;
    } else {
      const passes = (l.recompute === "full" ? 3 : 2) + 1;
      zero3Total = passes * stage;
      zero3 = hidden(zero3Total, compute + recompute, zero3Total / Math.max(1, n), kappa);
    }
  }
  // Activation offload: the stored activations of the offloaded layers go to the host during the forward and
  // come back for the backward over the host link, overlapped with that pass's compute.
  let offloadTotal = 0;
  let offload = 0;
  const offloaded = Math.min(l.activationOffloadLayers, n);
  if (offloaded > 0) {
    const oneWay = (offloaded * w.activationsPerLayerMb) / ctx.hostLinkBytesPerSecond;
    offloadTotal = 2 * oneWay;
    offload = hidden(oneWay, n * w.layerFwd, 0, kappa) + hidden(oneWay, n * w.layerBwd, 0, kappa);
  }
  if (record) {
    w.partCompute = compute;
    w.partRecompute = recompute;
    w.partTp = tp;
    w.partCp = cp;
    w.partEp = ep;
    w.partP2p = p2p;
    w.partZero3 = zero3;
    w.partZero3Total = zero3Total;
    w.partOffload = offload;
    w.partOffloadTotal = offloadTotal;
  }
  return compute + recompute + tp + cp + ep + p2p + zero3 + offload;
}

/**
 * The pipeline schedule over the micro-batches. Every stage runs one forward and one backward per slot and
 * waits for the slowest, so the slowest stage sets the rate (m slots of tMax); the bubble is the other stages'
 * fill and drain. Returns the pipeline time; records the slowest stage's parts.
 */
export function pipeline(ctx: StepContext, l: Layout, w: Work, out: LayoutEvaluation): number {
  const pp = l.pp;
  const s = w.stages;
  const m = w.microBatches;
  if (pp === 1) {
    const t = stageTime(ctx, l, w, s.first, FIRST | LAST, true);
    out.stageTimePerMicroBatch = t;
    out.slowestStageLayers = s.first;
    return m * t;
  }
  // The last stage (output layer and loss) is usually the slowest: it is evaluated last, with its parts kept,
  // so that the slowest stage's parts need a second evaluation only when another stage is slower.
  const tMid = pp > 2 ? stageTime(ctx, l, w, s.middleMax, 0, false) : 0;
  const tMidSum = pp > 2 ? (pp - 2) * (s.middleMean === s.middleMax ? tMid : stageTime(ctx, l, w, s.middleMean, 0, false)) : 0;
  const tFirst = stageTime(ctx, l, w, s.first, FIRST, false);
  const tLast = stageTime(ctx, l, w, s.last, LAST, true);
  let tMax = tLast;
  let n = s.last;
  if (tFirst > tMax || tMid > tMax) {
    const firstWins = tFirst >= tMid;
    tMax = firstWins ? tFirst : tMid;
    n = firstWins ? s.first : s.middleMax;
    stageTime(ctx, l, w, n, firstWins ? FIRST : 0, true);
  }
  out.stageTimePerMicroBatch = tMax;
  out.slowestStageLayers = n;
  // Sum over the stages other than the slowest (1F1B: the first micro-batch's forward through, and the last
  // one's backward back through, every other stage).
  const tOthers = tFirst + tLast + tMidSum - tMax;
  const meanLayers = ctx.run.model.layers / pp;
  const tWeight = meanLayers * w.layerWeightGrad;
  switch (l.pipelineSchedule) {
    case "interleaved-1f1b":
      // Megatron interleaving: the fill/drain runs in chunks of 1/vp of a stage (bubble (p−1)/v·t).
      return m * tMax + tOthers / l.vp;
    case "zero-bubble":
      // ZB-H1 (Qi et al. 2024): the weight-gradient passes fill the cool-down; bubble (p−1)(F + B − W).
      return m * tMax + Math.max(0, tOthers - (pp - 1) * tWeight);
    case "dualpipe": {
      // DeepSeek-V3 report, Table 2: bubble (PP/2 − 1)(F&B + B − 3W), with F&B ≈ F + B, on the mean other stage.
      const tOther = tOthers / (pp - 1);
      const tFwd = meanLayers * (w.layerFwd + w.tpFwd + w.cpFwd);
      return m * tMax + (pp / 2 - 1) * Math.max(0, tFwd + 2 * (tOther - tFwd) - 3 * tWeight);
    }
    default:
      // 1F1B and GPipe: (m + p − 1) stage slots, the slowest stage's m plus every other stage once.
      return m * tMax + tOthers;
  }
}

/** Micro-batches (in whole-stage units) whose activations physical stage `rank` holds at its peak. */
function inFlight(l: Layout, rank: number, microBatches: number): number {
  const p = l.pp;
  switch (l.pipelineSchedule) {
    case "gpipe":
      return microBatches;
    case "interleaved-1f1b":
      // Megatron's interleaved schedule: rank r warms up 2(p−r−1) + (v−1)p chunk-forwards, so it holds that
      // plus one chunk: (2(p−r−1) + (v−1)p + 1)/v stages' worth (rank 0: p(1 + (p−1)/(pv)), Korthikanti et al.
      // 2022 §4.2.3).
      return Math.min(2 * (p - rank - 1) + (l.vp - 1) * p + 1, microBatches * l.vp) / l.vp;
    case "dualpipe":
      // Each DualPipe rank holds chunks of both directions: PP + 1 micro-batches on every rank (Table 2).
      return Math.min(p + 1, microBatches);
    default:
      // 1F1B and zero-bubble: rank r holds p − r micro-batches.
      return Math.min(p - rank, microBatches);
  }
}

/**
 * Stored activations of one layer per micro-batch (2-byte elements), FlashAttention (no s² scores stored):
 *   norm/residual region (÷tp only with SP): both norm inputs and outputs, 4h
 *   TP region (÷tp): Q, K, V (GQA- or MLA-sized), attention output, activation input (gelu ffn, swiglu
 *   2·ffn), activation output ffn; MLA adds its compressed latents (not sharded)
 * selective recomputes norms, the attention core and the activation function: keeps norm inputs (2h), Q, K, V
 * (MLA: the latents only), activation input. full keeps the layer input only (h, ÷tp with SP) and rebuilds one layer at a time.
 */
export function activationFootprint(ctx: StepContext, l: Layout, w: Work): void {
  const c = ctx.counts;
  const h = ctx.run.model.hidden;
  const ffnAct = (c.mlpMatrices - 1) * w.ffnAvg;
  const qkv = c.queryWidth + c.keyValueWidth;
  // FP8 on Transformer Engine: the norm outputs (2h) and the activation output (ffn) are the FP8-cast inputs
  // of the QKV / FC1 / FC2 GEMMs, saved in 1 byte instead of 2.
  const fp8Saved = ctx.fp8SavesLinearInputs ? (2 * h) / w.repl + w.ffnAvg / l.tp : 0;
  const full = 2 * ((4 * h) / w.repl + (qkv + c.attentionOutputWidth + ffnAct + w.ffnAvg) / l.tp + c.latentWidth) - fp8Saved;
  let perToken: number;
  if (l.recompute === "none") perToken = full;
  // MLA with selective recompute: Megatron-Core's `mla_up_proj` (the DeepSeek-V3 recipes' recompute module)
  // rebuilds Q, K, V from the stored latents, so only the latents are kept.
  else if (l.recompute === "selective") perToken = 2 * ((2 * h) / w.repl + ((c.latentWidth > 0 ? 0 : qkv) + ffnAct) / l.tp + c.latentWidth);
  else perToken = 2 * (h / w.repl);
  w.activationsPerLayerMb = perToken * w.tokens;
  w.fullLayerActivations = full * w.tokens;
}

/** Bytes of states per dense (non-expert) and per expert parameter on one GPU, by ZeRO stage. */
interface StateBytes {
  weight: number;
  grad: number;
  optimizer: number;
}

/**
 * Memory of one physical stage (`rank`, `n` layers, carrying `ends`): 16-bit weights (+ the FP8 copy), 16-bit
 * gradient buffers with ZeRO 0-2 (Megatron-Core DDP `grad_reduce_in_fp32 = False`, NeMo `grad_sync_dtype:
 * bf16`) and fp32 with ZeRO-3/FSDP (torch FSDP `reduce_dtype` fp32), 12-byte fp32 Adam states, sharded by ZeRO
 * stage over dp·cp (experts over dp·cp/ep); activations × in-flight micro-batches, less the offloaded layers;
 * logits at the loss; MoE dispatch buffers; ZeRO-3 gathered units. Writes the parts into `mem`.
 */
export function stageMemory(ctx: StepContext, l: Layout, w: Work, n: number, rank: number, ends: number, mem: MemoryParts): number {
  const m = ctx.run.model;
  const fp8 = ctx.run.precision === "fp8";
  const copies = l.pipelineSchedule === "dualpipe" ? 2 : 1; // DualPipe keeps two copies of the parameters
  // torch FSDP (FSDP2, Composer's FSDP, XLA) shards the fp32 parameters themselves: the shard is the optimizer's
  // master copy and the 16-bit weights exist only gathered (MixedPrecisionPolicy.param_dtype applies to the
  // unsharded parameter), and torchao casts to FP8 on the fly (no persistent FP8 copy): 4 bytes of weight and
  // 8 of Adam moments per sharded parameter instead of 2 (+1 FP8) and 12.
  const fp32Shards = l.zero === 3 && ctx.fsdpKeepsStageGathered;
  const weightBytes = fp32Shards ? 4 : 2 + (fp8 ? 1 : 0);
  // Adam moments (+ the fp32 master unless FSDP's shard is it); bf16 states: two 2-byte moments, no master.
  const optimizerBytes = ctx.software.optimizerStates === "bf16" ? 4 : fp32Shards ? 8 : 12;
  const gradBytes = l.zero >= 3 ? 4 : 2;
  const d = w.dpShard;
  const e = Math.max(1, w.expertShard);
  const dense = n * w.layerNonExpertParams + (ends & FIRST ? w.embedPerGpu : 0) + (ends & LAST ? w.outputPerGpu : 0);
  const expert = n * w.layerExpertParams;
  const keepGathered = l.zero === 3 && l.pp > 1 && ctx.fsdpKeepsStageGathered && d > 1;
  // FSDP under PP: the gathered 16-bit weights and the unsharded fp32 gradients stay for the whole step.
  const weights = copies * weightBytes * (dense / (l.zero >= 3 ? d : 1) + expert / (l.zero >= 3 ? e : 1)) + (keepGathered ? 2 * (dense + expert) : 0);
  const gradients = keepGathered ? 4 * (dense + expert) : copies * gradBytes * (dense / (l.zero >= 2 ? d : 1) + expert / (l.zero >= 2 ? e : 1));
  const optimizer = copies * optimizerBytes * (dense / (l.zero >= 1 ? d : 1) + expert / (l.zero >= 1 ? e : 1));
  const held = inFlight(l, rank, w.microBatches);
  const kept = Math.max(0, n - l.activationOffloadLayers);
  // The layer being rebuilt, with the gradients and temporaries of its backward (FULL_RECOMPUTE_WORKING_LAYERS).
  const rebuilt = l.recompute === "full" ? ctx.fullRecomputeWorkingLayers * w.fullLayerActivations : 0;
  const activations = w.activationsPerLayerMb * kept * held + rebuilt;
  // MoE: dispatch and combine buffers of the routed tokens (topK copies of h) per MoE layer in flight; full
  // recompute rebuilds them, so only the layer being recomputed holds its buffers then.
  const moe = m.moe;
  const moeLayer = moe ? (2 * 2 * w.tokens * moe.topK * m.hidden * (ctx.counts.moeLayers / m.layers)) / l.tp : 0;
  const moeBuffers = l.recompute === "full" ? moeLayer : moeLayer * n * held;
  // Logits of one micro-batch at the loss: 16-bit logits, their fp32 up-cast and the fp32 log-softmax; with the
  // fused cross entropy only the 16-bit logits (overwritten in place by their gradient).
  const logitBytes = ctx.fusedCrossEntropy ? 2 : 10;
  const logits = ends & LAST ? w.tokens * (m.vocab / l.tp) * logitBytes : 0;
  const zero3Buffers = l.zero === 3 && d > 1 ? zero3WorkingSet(ctx, l, w) : 0;
  const total = weights + gradients + optimizer + activations + logits + moeBuffers + zero3Buffers;
  mem.weights = weights;
  mem.gradients = gradients;
  mem.optimizer = optimizer;
  mem.activations = activations;
  mem.logits = logits;
  mem.moeBuffers = moeBuffers;
  mem.zero3Buffers = zero3Buffers;
  mem.total = total;
  return total;
}

/**
 * Gathered ZeRO-3 parameters and their unsharded gradients. torch FSDP (and the default engine): the unit being
 * computed and the prefetched next one in 16 bits, plus the unsharded gradient of one unit before its
 * reduce-scatter; the largest unit is a layer or the embedding. DeepSpeed ZeRO-3 (`zero3GathersPerModule`): the
 * largest single module's 16-bit weight and gradient, 4 bytes per parameter, as DeepSpeed's own estimator counts
 * it; a module is one linear (fused QKV, attention output, FC1 with its gate, FC2, one expert's FC1) or the
 * embedding / output layer.
 */
function zero3WorkingSet(ctx: StepContext, l: Layout, w: Work): number {
  if (!ctx.zero3GathersPerModule) return 3 * 2 * Math.max(w.layerNonExpertParams + w.layerExpertParams * l.ep, w.embedPerGpu);
  const c = ctx.counts;
  const m = ctx.run.model;
  const h = m.hidden;
  const upProjection = (c.mlpMatrices - 1) * h;
  const largestLinear = Math.max(h * (c.queryWidth + c.keyValueWidth), h * c.attentionOutputWidth, upProjection * m.ffn, upProjection * (m.moe?.expertFfn ?? 0)) / l.tp;
  return 2 * 2 * Math.max(largestLinear, w.embedPerGpu, w.outputPerGpu);
}

/** The stage that needs the most memory: first, last, or the fullest middle stage (skipped when it cannot win). */
export function peakMemory(ctx: StepContext, l: Layout, w: Work, mem: MemoryParts): void {
  const s = w.stages;
  if (l.pp === 1) {
    stageMemory(ctx, l, w, s.first, 0, FIRST | LAST, mem);
    return;
  }
  const first = stageMemory(ctx, l, w, s.first, 0, FIRST, mem);
  const other = w.otherMemory;
  if (stageMemory(ctx, l, w, s.last, l.pp - 1, LAST, other) > first) copyMemory(other, mem);
  // A middle stage holds fewer micro-batches than the first and no embedding: it can only win with more layers.
  if (l.pp > 2 && s.middleMax > s.first && stageMemory(ctx, l, w, s.middleMax, s.middleMaxRank, 0, other) > mem.total) copyMemory(other, mem);
}

function copyMemory(from: MemoryParts, to: MemoryParts): void {
  to.weights = from.weights;
  to.gradients = from.gradients;
  to.optimizer = from.optimizer;
  to.activations = from.activations;
  to.logits = from.logits;
  to.moeBuffers = from.moeBuffers;
  to.zero3Buffers = from.zero3Buffers;
  to.total = from.total;
}

/**
 * Gradient synchronisation after the pipeline flush. ZeRO 0 all-reduces 16-bit gradients; ZeRO 1/2
 * reduce-scatter them and all-gather the updated weights (same bytes). Overlapped with the last micro-batch's
 * backward; at least the last bucket (one layer's share) is exposed. Tied embeddings with pp > 1 add Megatron's
 * exposed first ↔ last stage embedding-gradient all-reduce (a 2-rank group on the pipeline's level).
 */
export function dataParallel(ctx: StepContext, l: Layout, w: Work): void {
  const s = w.stages;
  const n = Math.max(s.first, s.last, s.middleMax);
  const dense = n * w.layerNonExpertParams + Math.max(w.embedPerGpu, w.outputPerGpu);
  let total = 0;
  if (l.zero < 3 && w.dpShard > 1) {
    total = ctx.net.allReduce(dense * 2, w.dpGroup);
    if (w.layerExpertParams > 0 && w.expertShard > 1) total += ctx.net.allReduce(n * w.layerExpertParams * 2, w.expertGroup);
  }
  const exposed = hidden(total, n * w.layerBwd, total / Math.max(1, n), ctx.k.overlapInterference);
  w.dpExposed = exposed;
  w.dpTotal = total;
  embeddingSync(ctx, l, w);
}

/** Tied embeddings with pp > 1: the first ↔ last stage embedding-gradient all-reduce (dataParallel), into w.embeddingSync. */
export function embeddingSync(ctx: StepContext, l: Layout, w: Work): void {
  w.embeddingSync = ctx.run.model.tiedEmbeddings && l.pp > 1 ? ctx.net.allReduce(w.embedPerGpu * 2, w.ppCrossesScaleOut ? PAIR_ACROSS : PAIR_INSIDE) : 0;
}

/** Adam over the locally held parameters (HBM-bound). */
export function optimizerStep(ctx: StepContext, zero: Layout["zero"], w: Work, n = Math.max(w.stages.first, w.stages.last, w.stages.middleMax)): number {
  const dense = n * w.layerNonExpertParams + Math.max(w.embedPerGpu, w.outputPerGpu);
  const expert = n * w.layerExpertParams;
  const local = zero >= 1 ? dense / w.dpShard + expert / Math.max(1, w.expertShard) : dense + expert;
  return (local * ctx.k.adamBytesPerParam) / ctx.hbmBytesPerSecond;
}

// ---------------------------------------------------------------------------------------------------------

/** The stage-time terms of `l` at its recompute mode, in the order each needs the last (also the floors', step-floors.ts). */
export function stageTerms(ctx: StepContext, l: Layout, w: Work): void {
  layerCompute(ctx, l, w);
  tensorParallel(ctx, l, w);
  contextParallel(ctx, l, w);
  expertParallel(ctx, l, w);
  pipelineSends(ctx, l, w);
  stageExtras(ctx, l, w);
}

/**
 * Evaluates one layout into `out` (reused by the search to avoid allocation). The layout must satisfy
 * `layoutError(...) === null`.
 */
export function evaluateLayout(ctx: StepContext, l: Layout, out: LayoutEvaluation = emptyEvaluation()): LayoutEvaluation {
  const w = ctx.work;
  const run = ctx.run;
  placeGroups(ctx, l, w);
  layerParams(ctx, l, w);
  zero3Gathers(ctx, l, w);
  stageTerms(ctx, l, w);
  activationFootprint(ctx, l, w);
  const pipe = pipeline(ctx, l, w, out);
  dataParallel(ctx, l, w);
  const optimizer = optimizerStep(ctx, l.zero, w);

  const mb = w.microBatches;
  const t = out.time;
  t.compute = mb * w.partCompute;
  t.recompute = mb * w.partRecompute;
  t.tensorParallelExposed = mb * w.partTp;
  t.contextParallelExposed = mb * w.partCp;
  t.expertParallelExposed = mb * w.partEp;
  t.pipelineP2pExposed = mb * w.partP2p + w.embeddingSync;
  t.zero3GatherExposed = mb * w.partZero3;
  t.activationOffloadExposed = mb * w.partOffload;
  t.pipelineBubble = pipe - mb * out.stageTimePerMicroBatch;
  t.dataParallelExposed = w.dpExposed;
  t.optimizer = optimizer;
  t.stepTime = pipe + w.embeddingSync + w.dpExposed + optimizer;

  const n = out.slowestStageLayers;
  const cm = out.comm;
  cm.tensorParallel = mb * (n * w.tpPerLayer + (w.partTp - n * w.tpExposedPerLayer));
  cm.contextParallel = mb * n * w.cpPerLayer;
  cm.expertParallel = mb * n * w.epPerLayer;
  cm.pipelineP2p = l.pp > 1 ? mb * 2 * l.vp * w.p2pOne + w.embeddingSync : 0;
  cm.dataParallel = w.dpTotal;
  cm.zero3Gather = mb * w.partZero3Total;
  cm.activationOffload = mb * w.partOffloadTotal;
  cm.tensorParallelLevel = levelOf(w.tpGroup);
  cm.contextParallelLevel = levelOf(w.cpGroup);
  cm.expertParallelLevel = levelOf(w.epGroup);
  cm.pipelineLevel = l.pp > 1 ? (w.ppCrossesScaleOut ? "scale-out" : "scale-up") : "none";
  cm.dataParallelLevel = levelOf(w.dpGroup);

  peakMemory(ctx, l, w, out.memory);

  out.microBatches = mb;
  const c = ctx.counts;
  const m = run.model;
  const tokensPerGpu = (run.globalBatch * m.seqLen) / run.gpuCount;
  const recomputeFlopsPerToken =
    l.recompute === "full" ? c.modelFlopsPerToken / 3 - 2 * m.vocab * m.hidden : l.recompute === "selective" ? m.layers * c.attentionCoreFlopsPerTokenPerLayer : 0;
  out.hardwareFlopsPerGpu = (c.modelFlopsPerToken + recomputeFlopsPerToken) * tokensPerGpu;
  out.fits = out.memory.total <= ctx.hbmBytes * (1 - ctx.k.hbmReserveFraction);
  return out;
}
