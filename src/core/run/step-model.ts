// Step time and memory per GPU of one concrete layout. One function, `evaluateLayout`, does the arithmetic for
// both `step` (full breakdown) and `search` (inner loop), so the two can never disagree.
//
// Structure (per micro-batch, on one pipeline stage):
//   compute   = GEMMs (roofline with a size-dependent achievable efficiency) + fused attention (causal half of
//               the score/value FLOPs, FlashAttention) + element-wise kernels (HBM-bound)
//   recompute = full: one more forward of the stage; selective: attention core + norms + activation function
//   exposed communication: TP (all-reduce, or all-gather/reduce-scatter with sequence parallelism), CP (ring K/V
//               exchange hidden behind attention), EP (4 all-to-alls per MoE layer), PP (p2p), ZeRO-3 gathers
// Step = pipeline schedule over the micro-batches (bubble by schedule) + exposed DP gradient sync + optimizer.
//
// Megatron's rank order (tp innermost, then cp, then dp, pp outermost) decides which network level each group
// crosses.

import { DEFAULT_STEP_CONSTANTS, computeEfficiencyFor, type ComputeEfficiency, type StepConstants } from "./calibration.ts";
import { twoLevelCollectives, type CollectiveCosts, type GroupPlacement } from "./collectives.ts";
import { linkRates } from "./gpu-presets.ts";
import { modelCounts, type ModelCounts } from "./model-flops.ts";
import type { Layout, ResolvedRun } from "./run-config.ts";

const GIB = 1024 ** 3;

/** Everything about a run that does not depend on the layout, computed once (search reuses it). */
export interface StepContext {
  readonly run: ResolvedRun;
  readonly counts: ModelCounts;
  readonly eff: ComputeEfficiency;
  readonly k: StepConstants;
  readonly net: CollectiveCosts;
  /** FLOP/s at the training precision's peak and at the BF16 peak. */
  readonly peakFlops: number;
  readonly peakFlopsBf16: number;
  readonly hbmBytesPerSecond: number;
  readonly hbmBytes: number;
}

export function stepContext(run: ResolvedRun, options: { net?: CollectiveCosts; constants?: StepConstants } = {}): StepContext {
  const k = options.constants ?? DEFAULT_STEP_CONSTANTS;
  const gpu = run.gpu;
  const peakTflops = run.precision === "fp8" ? (gpu.peakTflopsFp8 ?? gpu.peakTflopsBf16) : gpu.peakTflopsBf16;
  const presetId = gpu.id.replace(/-custom$/, "");
  const eff = computeEfficiencyFor(presetId, k);
  return {
    run,
    counts: modelCounts(run.model),
    eff,
    k,
    net: options.net ?? twoLevelCollectives(linkRates(gpu), { scaleUp: eff.scaleUpCollective, scaleOut: k.collective.scaleOut }),
    peakFlops: peakTflops * 1e12,
    peakFlopsBf16: gpu.peakTflopsBf16 * 1e12,
    hbmBytesPerSecond: gpu.hbmTBps * 1e12 * k.hbmEfficiency,
    hbmBytes: gpu.hbmGiB * GIB,
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
  /** Stage time of one micro-batch (forward + backward + recompute + exposed per-micro-batch comm), seconds. */
  stageTimePerMicroBatch: number;
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
      tensorParallelLevel: "none",
      contextParallelLevel: "none",
      expertParallelLevel: "none",
      pipelineLevel: "none",
      dataParallelLevel: "none",
    },
    memory: { weights: 0, gradients: 0, optimizer: 0, activations: 0, logits: 0, moeBuffers: 0, zero3Buffers: 0, total: 0 },
    microBatches: 0,
    stageTimePerMicroBatch: 0,
    hardwareFlopsPerGpu: 0,
    fits: false,
  };
}

/**
 * Time of a GEMM of m×k by k×n on one GPU: roofline of the tensor-core rate at the achievable efficiency
 * (lower for thin GEMMs) and the HBM traffic of its operands.
 */
function gemmSeconds(ctx: StepContext, m: number, n: number, k: number, operandBytes: number): number {
  const d = Math.min(m, n, k);
  const eff = ctx.eff.matmul * (d / (d + ctx.k.matmulHalfDim));
  const compute = (2 * m * n * k) / (ctx.peakFlops * eff);
  const memory = (operandBytes * (m * k + k * n) + 2 * m * n) / ctx.hbmBytesPerSecond;
  return compute > memory ? compute : memory;
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

/**
 * Evaluates one layout into `out` (reused by the search to avoid allocation). The layout must satisfy
 * `layoutError(...) === null`.
 */
export function evaluateLayout(ctx: StepContext, l: Layout, out: LayoutEvaluation = emptyEvaluation()): LayoutEvaluation {
  const { run, counts: c, net } = ctx;
  const m = run.model;
  const h = m.hidden;
  const tp = l.tp;
  const pp = l.pp;
  const vp = l.vp;
  const cp = l.cp;
  const dp = l.dp;
  const gpn = run.gpusPerNode;
  const fp8 = run.precision === "fp8";
  const opBytes = fp8 ? 1 : 2;
  const microBatches = run.globalBatch / (dp * l.microBatch);
  const kappa = ctx.k.overlapInterference;
  const layersPerStage = m.layers / pp;
  const moeFraction = c.moeLayers / m.layers;
  const denseFraction = 1 - moeFraction;
  const moe = m.moe;

  // Tokens of one micro-batch handled by one GPU (context parallelism splits the sequence).
  const tokens = (l.microBatch * m.seqLen) / cp;
  const sp = l.sequenceParallel;
  const repl = sp ? tp : 1; // the norm/residual region is sharded by tp only with sequence parallelism

  // ---- Group placement (Megatron order tp, cp, dp, pp; ep inside dp·cp after tp) ----
  const tpGroup: GroupPlacement = { size: tp, inner: Math.min(tp, gpn) };
  const cpInner = Math.max(1, Math.min(cp, Math.floor(gpn / tp)));
  const cpGroup: GroupPlacement = { size: cp, inner: cpInner };
  const dpShardSize = dp * cp; // distributed optimizer / FSDP shard over dp×cp (Megatron)
  const dpInner = Math.max(1, Math.min(dpShardSize, Math.floor(gpn / tp)));
  const dpGroup: GroupPlacement = { size: dpShardSize, inner: dpInner };
  const epInner = Math.max(1, Math.min(l.ep, Math.floor(gpn / tp)));
  const epGroup: GroupPlacement = { size: l.ep, inner: epInner };
  const ppCrossesScaleOut = tp * cp * dp >= gpn;

  // ---- Compute per layer per micro-batch, forward ----
  const qkvOut = (h + 2 * c.kvDim) / tp;
  let fwdGemm =
    gemmSeconds(ctx, tokens, qkvOut, h, opBytes) + // QKV
    gemmSeconds(ctx, tokens, h, h / tp, opBytes); // output projection
  let mlpDense = 0;
  if (denseFraction > 0) {
    const up = ((c.mlpMatrices - 1) * m.ffn) / tp;
    mlpDense = gemmSeconds(ctx, tokens, up, h, opBytes) + gemmSeconds(ctx, tokens, h, m.ffn / tp, opBytes);
  }
  let mlpMoe = 0;
  let moeActiveFfn = 0;
  if (moe && moeFraction > 0) {
    // Each EP rank receives on average tokens·topK routed copies spread over its experts/ep local experts.
    const localExperts = moe.experts / l.ep;
    const tokensPerExpert = (tokens * moe.topK) / moe.experts;
    const ef = moe.expertFfn;
    const perExpert =
      gemmSeconds(ctx, Math.max(1, tokensPerExpert * l.ep), ((c.mlpMatrices - 1) * ef) / tp, h, opBytes) +
      gemmSeconds(ctx, Math.max(1, tokensPerExpert * l.ep), h, ef / tp, opBytes);
    mlpMoe = localExperts * perExpert;
    if (moe.sharedExperts > 0) {
      const sf = moe.sharedExperts * ef;
      mlpMoe += gemmSeconds(ctx, tokens, ((c.mlpMatrices - 1) * sf) / tp, h, opBytes) + gemmSeconds(ctx, tokens, h, sf / tp, opBytes);
    }
    mlpMoe += gemmSeconds(ctx, tokens, moe.experts, h, opBytes); // router
    moeActiveFfn = (moe.topK + moe.sharedExperts) * ef;
  }
  fwdGemm += denseFraction * mlpDense + moeFraction * mlpMoe;

  // Fused attention: the causal half of 4·s·h per token, split over tp (heads) and cp (queries).
  const attnFwdFlops = (tokens * c.attentionCoreFlopsPerTokenPerLayer) / 2 / tp;
  const attnFwd = attnFwdFlops / (ctx.peakFlopsBf16 * ctx.eff.attention);

  // Element-wise kernels (bytes per token, forward): two norms (read+write), two residual adds (2 reads + 1
  // write) in the norm/residual region; activation function (gelu: read ffn, write ffn; swiglu: read 2·ffn,
  // write ffn) in the TP region. FP8 adds a cast of every GEMM input (read 2 bytes, write 1) and amax scans.
  const ffnAvg = denseFraction * m.ffn + moeFraction * moeActiveFfn;
  const actElems = (c.mlpMatrices === 3 ? 3 : 2) * ffnAvg;
  let elemBytesPerToken = (ctx.k.elementwiseBytesPerHidden * h) / repl + (2 * actElems) / tp;
  if (fp8) elemBytesPerToken += 3 * ((2 * h) / repl + (h + ffnAvg) / tp);
  const elemFwd = (tokens * elemBytesPerToken) / ctx.hbmBytesPerSecond;

  const layerFwd = fwdGemm + attnFwd + elemFwd;
  const layerBwd = 2 * fwdGemm + ctx.k.attentionBackwardRatio * attnFwd + 2 * elemFwd;
  const layerWeightGrad = fwdGemm; // the weight-gradient half of the GEMM backward (zero-bubble's W pass)
  let layerRecompute = 0;
  if (l.recompute === "full") layerRecompute = layerFwd;
  else if (l.recompute === "selective") layerRecompute = attnFwd + elemFwd;

  // ---- Communication per layer per micro-batch ----
  // TP: 2 collectives forward (after attention, after MLP) and 2 backward, each moving the activation
  // tokens·h·2 bytes; with SP each all-reduce becomes reduce-scatter + all-gather (same bytes).
  const actBytes = tokens * h * 2;
  const tpOne = tp > 1 ? net.allReduce(actBytes, tpGroup) : 0;
  const tpFwd = 2 * tpOne;
  const tpPerLayer = 2 * tpFwd + (l.recompute === "full" ? tpFwd : 0);
  // CP: ring exchange of K and V (cp-1 steps) forward; K, V and their gradients backward. Overlapped with the
  // attention of the previous block; only the excess is exposed.
  let cpFwd = 0;
  let cpExposedLayer = 0;
  if (cp > 1) {
    const kvBytes = tokens * 2 * c.kvDim * 2 / tp;
    cpFwd = (cp - 1) * net.pointToPoint(kvBytes, cpGroup.inner < cpGroup.size);
    const cpBwd = 2 * cpFwd;
    const recomputeFwd = l.recompute === "full" ? cpFwd : 0;
    cpExposedLayer =
      hidden(cpFwd, attnFwd, 0, kappa) + hidden(cpBwd, ctx.k.attentionBackwardRatio * attnFwd, 0, kappa) + hidden(recomputeFwd, attnFwd, 0, kappa);
  }
  const cpPerLayer = cp > 1 ? cpFwd * (3 + (l.recompute === "full" ? 1 : 0)) : 0;
  // EP: dispatch + combine all-to-all forward, the same two backward, of tokens·topK·h·2 bytes.
  let epPerMoeLayer = 0;
  if (moe && l.ep > 1) {
    const a2a = net.allToAll((tokens * moe.topK * h * 2) / tp, epGroup);
    epPerMoeLayer = 4 * a2a + (l.recompute === "full" ? 2 * a2a : 0);
  }
  const epPerLayer = moeFraction * epPerMoeLayer;

  // ---- Stage parameters per GPU ----
  const layerDenseParams = c.attentionParams + c.denseMlpParams + 2 * h;
  const layerMoeNonExpert = c.attentionParams + c.routerParams + 2 * h;
  const stageNonExpert = layersPerStage * (denseFraction * layerDenseParams + moeFraction * (layerMoeNonExpert + c.sharedExpertParams));
  const stageExpert = layersPerStage * moeFraction * c.routedExpertParams;
  const embedPerGpu = c.embeddingParams / tp;
  // First stage holds the input embedding, the last the output layer (a second copy when tied and pp > 1).
  const outputPerGpu = (m.tiedEmbeddings ? (pp > 1 ? c.embeddingParams : 0) : c.outputParams) / tp;
  const firstStageParams = stageNonExpert / tp + stageExpert / (tp * l.ep) + embedPerGpu + (pp === 1 ? outputPerGpu : 0);
  const lastStageParams = stageNonExpert / tp + stageExpert / (tp * l.ep) + (pp === 1 ? embedPerGpu : 0) + outputPerGpu;
  const maxStageParams = firstStageParams > lastStageParams ? firstStageParams : lastStageParams;
  const expertShare = stageExpert / (tp * l.ep);
  const denseShare = maxStageParams - expertShare;
  // Shard counts: dense parameters over dp·cp, expert parameters over the ranks holding the same experts.
  const expertShard = dpShardSize / l.ep;

  // ZeRO-3 / FSDP: per micro-batch, all-gather the stage's weights forward and backward (again for full
  // recompute) and reduce-scatter its gradients; prefetch hides them behind compute except the excess.
  let zero3PerMb = 0;
  if (l.zero === 3 && dpShardSize > 1) {
    const wBytes = denseShare * 2;
    const gathers = l.recompute === "full" ? 3 : 2;
    zero3PerMb = (gathers + 1) * net.allGather(wBytes, dpGroup);
    if (expertShare > 0 && expertShard > 1) {
      zero3PerMb += (gathers + 1) * net.allGather(expertShare * 2, { size: expertShard, inner: Math.max(1, Math.min(expertShard, Math.floor(gpn / (tp * l.ep)))) });
    }
  }

  // ---- Per-micro-batch stage time ----
  const stageCompute = layersPerStage * (layerFwd + layerBwd);
  const stageRecompute = layersPerStage * layerRecompute;
  const stageTp = layersPerStage * tpPerLayer;
  const stageCp = layersPerStage * cpExposedLayer;
  const dualpipe = l.pipelineSchedule === "dualpipe";
  // Logits on the last stage: GEMM forward + 2× backward, and the fp32 softmax cross-entropy (≈16 bytes per
  // logit over forward and backward).
  const vocabPerGpu = m.vocab / tp;
  const logitsGemm = gemmSeconds(ctx, tokens, vocabPerGpu, h, opBytes);
  const logitsTime = 3 * logitsGemm + (tokens * vocabPerGpu * 16) / ctx.hbmBytesPerSecond;
  // PP: one activation send forward and one gradient send backward per micro-batch per virtual stage
  // (scatter-gather: tokens·h·2/tp bytes when TP > 1, Megatron's default).
  const p2pBytes = actBytes / (sp || tp > 1 ? tp : 1);
  const p2pOne = pp > 1 ? net.pointToPoint(p2pBytes, ppCrossesScaleOut) : 0;
  // DualPipe (DeepSeek-V3 report §3.2.1) runs a forward and a backward chunk side by side so that the EP
  // all-to-alls and PP sends of one hide behind the compute of the other: only the excess is exposed.
  let stageEp = layersPerStage * epPerLayer;
  let stageP2p = 2 * vp * p2pOne;
  if (dualpipe) {
    const comm = stageEp + stageP2p;
    const exposed = hidden(comm, stageCompute, 0, kappa);
    stageEp = comm > 0 ? (exposed * stageEp) / comm : 0;
    stageP2p = comm > 0 ? (exposed * stageP2p) / comm : 0;
  }
  const zero3Compute = stageCompute + stageRecompute;
  const zero3Exposed = hidden(zero3PerMb, zero3Compute, zero3PerMb / Math.max(1, layersPerStage), kappa);

  const stageBase = stageCompute + stageRecompute + stageTp + stageCp + stageEp + stageP2p + zero3Exposed;
  const tLast = stageBase + logitsTime; // slowest stage: the one with the logits
  const tAvg = stageBase + logitsTime / pp;
  const tWeight = layersPerStage * layerWeightGrad;
  const tFwd = layersPerStage * (layerFwd + tpFwd + cpFwd);

  let pipeline: number;
  switch (l.pipelineSchedule) {
    case "interleaved-1f1b":
      pipeline = microBatches * tLast + ((pp - 1) / vp) * tAvg;
      break;
    case "zero-bubble":
      // ZB-H1 (Qi et al. 2024): the weight-gradient passes fill the cool-down; bubble (p-1)(F + B - W).
      pipeline = microBatches * tLast + (pp - 1) * Math.max(0, tAvg - tWeight);
      break;
    case "dualpipe": {
      // DeepSeek-V3 report, Table 2: bubble (PP/2 - 1)(F&B + B - 3W), with F&B ≈ F + B.
      const tB = tAvg - tFwd;
      pipeline = microBatches * tLast + (pp / 2 - 1) * Math.max(0, tFwd + 2 * tB - 3 * tWeight);
      break;
    }
    default:
      // 1F1B and GPipe: (m + p - 1) stage slots.
      pipeline = microBatches * tLast + (pp - 1) * tAvg;
  }

  // ---- Data-parallel gradient synchronisation (ZeRO ≤ 2) and optimizer ----
  // Gradients are reduced in 16 bits; ZeRO-0 all-reduces; ZeRO-1/2 reduce-scatter the gradients and all-gather
  // the updated weights (same bytes). Overlapped with the backward of the last micro-batch: the exposed part is
  // what exceeds it, but at least the last bucket (one layer's share) is always exposed.
  let dpTime = 0;
  if (l.zero < 3 && dpShardSize > 1) {
    dpTime = net.allReduce(denseShare * 2, dpGroup);
    if (expertShare > 0 && expertShard > 1) {
      dpTime += net.allReduce(expertShare * 2, { size: expertShard, inner: Math.max(1, Math.min(expertShard, Math.floor(gpn / (tp * l.ep)))) });
    }
  }
  const lastBackward = layersPerStage * layerBwd;
  const dpExposed = hidden(dpTime, lastBackward, dpTime / Math.max(1, layersPerStage), kappa);
  const localParams = l.zero >= 1 ? denseShare / dpShardSize + expertShare / Math.max(1, expertShard) : maxStageParams;
  const optimizer = (localParams * ctx.k.adamBytesPerParam) / ctx.hbmBytesPerSecond;

  // ---- Assemble time ----
  const t = out.time;
  const mb = microBatches;
  t.compute = mb * (stageCompute + logitsTime);
  t.recompute = mb * stageRecompute;
  t.tensorParallelExposed = mb * stageTp;
  t.contextParallelExposed = mb * stageCp;
  t.expertParallelExposed = mb * stageEp;
  t.pipelineP2pExposed = mb * stageP2p;
  t.zero3GatherExposed = mb * zero3Exposed;
  t.pipelineBubble = pipeline - mb * tLast;
  t.dataParallelExposed = dpExposed;
  t.optimizer = optimizer;
  t.stepTime = pipeline + dpExposed + optimizer;

  const cm = out.comm;
  cm.tensorParallel = mb * layersPerStage * tpPerLayer;
  cm.contextParallel = mb * layersPerStage * cpPerLayer;
  cm.expertParallel = mb * layersPerStage * epPerLayer;
  cm.pipelineP2p = pp > 1 ? mb * 2 * vp * p2pOne : 0;
  cm.dataParallel = dpTime;
  cm.zero3Gather = mb * zero3PerMb;
  cm.tensorParallelLevel = levelOf(tpGroup);
  cm.contextParallelLevel = levelOf(cpGroup);
  cm.expertParallelLevel = levelOf(epGroup);
  cm.pipelineLevel = pp > 1 ? (ppCrossesScaleOut ? "scale-out" : "scale-up") : "none";
  cm.dataParallelLevel = levelOf(dpGroup);

  // ---- Memory of the most loaded stage ----
  const weightBytes = 2 + (fp8 ? 1 : 0); // 16-bit weights (+ the FP8 copy)
  const shardW = l.zero >= 3 ? 1 / dpShardSize : 1;
  const shardG = l.zero >= 2 ? 1 / dpShardSize : 1;
  const shardO = l.zero >= 1 ? 1 / dpShardSize : 1;
  const shardWE = l.zero >= 3 ? 1 / Math.max(1, expertShard) : 1;
  const shardGE = l.zero >= 2 ? 1 / Math.max(1, expertShard) : 1;
  const shardOE = l.zero >= 1 ? 1 / Math.max(1, expertShard) : 1;
  const copies = l.pipelineSchedule === "dualpipe" ? 2 : 1; // DualPipe keeps two copies of the parameters
  const mem = out.memory;
  mem.weights = copies * weightBytes * (denseShare * shardW + expertShare * shardWE);
  // Megatron keeps fp32 main gradients (4 bytes) and fp32 master weights + Adam m, v (12 bytes): the 18
  // bytes/parameter of Megatron's theoretical-memory report, 6 + 12/dp with the distributed optimizer.
  mem.gradients = copies * 4 * (denseShare * shardG + expertShare * shardGE);
  mem.optimizer = copies * 12 * (denseShare * shardO + expertShare * shardOE);

  // Activations per token per layer (2-byte elements), FlashAttention (no s² scores stored):
  //   norm/residual region (÷tp only with SP): both norm inputs and outputs, 4h
  //   TP region (÷tp): Q h, K and V 2·kvDim, attention output h, activation input (gelu ffn, swiglu 2·ffn),
  //   activation output ffn.
  // selective recomputes norms, the attention core and the activation function: keeps norm inputs (2h), Q, K, V,
  // activation input. full keeps the layer input only (h, ÷tp with SP) and rebuilds one layer at a time.
  const ffnAct = (c.mlpMatrices - 1) * ffnAvg;
  let perToken: number;
  const fullLayerPerToken = 2 * ((4 * h) / repl + (2 * h + 2 * c.kvDim + ffnAct + ffnAvg) / tp);
  if (l.recompute === "none") perToken = fullLayerPerToken;
  else if (l.recompute === "selective") perToken = 2 * ((2 * h) / repl + (h + 2 * c.kvDim + ffnAct) / tp);
  else perToken = 2 * (h / repl);
  const perLayerMb = perToken * tokens;
  let inFlight: number; // micro-batches whose activations the first stage holds at peak
  const p = pp;
  switch (l.pipelineSchedule) {
    case "gpipe":
      inFlight = microBatches;
      break;
    case "interleaved-1f1b":
      // Megatron: p micro-batches in flight, times the interleaving penalty 1 + (p-1)/(p·v).
      inFlight = Math.min(p, microBatches) * (1 + (p - 1) / (p * vp));
      break;
    case "dualpipe":
      inFlight = Math.min(p + 1, microBatches);
      break;
    default:
      inFlight = Math.min(p, microBatches);
  }
  let activations = perLayerMb * layersPerStage * inFlight;
  if (l.recompute === "full") activations += fullLayerPerToken * tokens; // the layer being rebuilt
  // MoE: dispatch and combine buffers of the routed tokens (topK copies of h) per MoE layer in flight.
  // Full recompute rebuilds them, so only the layer being recomputed holds its buffers then.
  const moeBufferPerLayerMb = moe ? (2 * 2 * tokens * moe.topK * h * moeFraction) / tp : 0;
  const moeBuffers = l.recompute === "full" ? moeBufferPerLayerMb : moeBufferPerLayerMb * layersPerStage * inFlight;
  // Logits of one micro-batch on the last stage at the loss: 16-bit logits, their fp32 up-cast and the fp32
  // log-softmax kept for the backward (2 + 4 + 4 bytes per logit; the usual non-fused cross-entropy path).
  const logitsBytes = tokens * vocabPerGpu * 10;
  // ZeRO-3/FSDP: the unit being computed and the prefetched next one are gathered in 16 bits, plus the
  // unsharded gradient of one unit before its reduce-scatter; the largest unit is a layer or the embedding.
  const largestUnit = Math.max(denseFraction * layerDenseParams + moeFraction * (layerMoeNonExpert + c.sharedExpertParams), c.embeddingParams) / tp;
  const zero3Buffers = l.zero === 3 && dpShardSize > 1 ? 3 * 2 * largestUnit : 0;
  mem.activations = activations;
  mem.logits = logitsBytes;
  mem.moeBuffers = moeBuffers;
  mem.zero3Buffers = zero3Buffers;
  mem.total = mem.weights + mem.gradients + mem.optimizer + activations + logitsBytes + moeBuffers + zero3Buffers;

  out.microBatches = microBatches;
  out.stageTimePerMicroBatch = tLast;
  const modelFlopsPerGpu = (c.modelFlopsPerToken * run.globalBatch * m.seqLen) / run.gpuCount;
  const recomputeFlopsPerToken =
    l.recompute === "full"
      ? c.modelFlopsPerToken / 3 - (2 * m.vocab * h)
      : l.recompute === "selective"
        ? m.layers * c.attentionCoreFlopsPerTokenPerLayer
        : 0;
  out.hardwareFlopsPerGpu = modelFlopsPerGpu + (recomputeFlopsPerToken * run.globalBatch * m.seqLen) / run.gpuCount;
  out.fits = mem.total <= ctx.hbmBytes * (1 - ctx.k.hbmReserveFraction);
  return out;
}
