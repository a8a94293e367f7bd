// `scaleplan step`: the output of run-config.md for one configuration (plain data, JSON-ready).

import type { StepConstants } from "./calibration.ts";
import { crossSiteShard, siteReplicaConfig, sitesSetup, withCrossSite, type CrossSiteReport } from "./diloco-step.ts";
import { checkLayout, completeLayout, layoutOutput, resolveRun, type Layout, type LayoutOutput, type RunConfig } from "./run-config.ts";
import { softwareUsed, type SoftwareUsed } from "./software.ts";
import { evaluateLayout, stepContext, type LayoutEvaluation, type Level, type StepContext } from "./step-model.ts";

const GIB = 1024 ** 3;

export interface StepPrediction {
  readonly stepTimeSeconds: number;
  readonly tokensPerSecondPerGpu: number;
  readonly modelFlopsPerToken: number;
  /** Model FLOPs (no recompute) / (time × GPUs × dense BF16 peak). */
  readonly mfu: number;
  /** Same, against the dense peak of training.precision (differs for fp8). */
  readonly mfuAtPrecisionPeak: number;
  readonly memoryPerGpuGiB: {
    readonly weights: number;
    readonly gradients: number;
    readonly optimizer: number;
    readonly activations: number;
    readonly total: number;
  };
  readonly fitsInMemory: boolean;
  /** The training stack used (run-config.md version 2): the given fields, the framework's defaults for the rest. */
  readonly software: SoftwareUsed;
  readonly breakdown: StepBreakdown;
  /** Training across sites (hardware.sites ≥ 2): the site replica and the cross-site term (diloco-step.ts). */
  readonly sites?: CrossSiteReport;
}

export interface CommItem {
  readonly totalSeconds: number;
  readonly exposedSeconds: number;
  readonly level: Level | "host-link";
  readonly overlap: "exposed" | "overlapped" | "partly overlapped" | "none";
}

export interface StepBreakdown {
  readonly flopConvention: string;
  readonly layout: LayoutOutput;
  readonly microBatchesPerPipeline: number;
  readonly timeSeconds: {
    readonly compute: number;
    readonly recompute: number;
    readonly tensorParallelExposed: number;
    readonly contextParallelExposed: number;
    readonly expertParallelExposed: number;
    readonly pipelineP2pExposed: number;
    readonly zero3GatherExposed: number;
    readonly activationOffloadExposed: number;
    readonly pipelineBubble: number;
    readonly dataParallelExposed: number;
    readonly optimizer: number;
  };
  readonly communication: {
    readonly tensorParallel: CommItem;
    readonly contextParallel: CommItem;
    readonly expertParallel: CommItem;
    readonly pipelineP2p: CommItem;
    readonly dataParallel: CommItem;
    readonly zero3Gather: CommItem;
    readonly activationOffload: CommItem;
  };
  readonly memoryGiB: {
    readonly logits: number;
    readonly moeBuffers: number;
    readonly zero3Buffers: number;
    readonly hbm: number;
    readonly reserveFraction: number;
    readonly usable: number;
  };
  readonly hardwareFlopsUtilization: number;
  readonly efficiency: {
    readonly gpu: string;
    readonly matmul: number;
    readonly matmulHalfDim: number;
    /** Attention kernel family and its efficiency (fraction of BF16 peak on causal FLOPs; unfused: GEMMs + HBM). */
    readonly attentionKernel: string;
    readonly attention: number;
    readonly elementwiseHbm: number;
    readonly elementwiseBytesPerHidden: number;
    readonly elementwiseTraffic: number;
    readonly fp8CastBytes: number;
    readonly tpOverlapHidden: number;
    readonly gatherEfficiency: number;
    readonly overlapInterference: number;
    readonly collectiveScaleUp: number;
    readonly collectiveScaleOut: number;
    readonly calibrated: boolean;
    readonly source: string;
  };
}

export const FLOP_CONVENTION =
  "model FLOPs/token = 6 × matmul parameters touched per token (logits included, embedding lookup excluded) + 12 × layers × hidden × seqLen (full, non-causal attention), no recompute";

function overlapOf(total: number, exposed: number): CommItem["overlap"] {
  if (total <= 0) return "none";
  if (exposed <= total * 1e-9) return "overlapped";
  if (exposed >= total * (1 - 1e-9)) return "exposed";
  return "partly overlapped";
}

/** Predicts one configuration; the layout is completed with defaults and checked (InputError on a broken rule). */
export function predictStep(config: RunConfig, constants?: StepConstants): StepPrediction {
  // Across sites: one site's replica through the step model, plus the cross-site synchronisation (diloco-step.ts).
  const sites = sitesSetup(config);
  const site = siteReplicaConfig(config);
  const run = resolveRun(site);
  const layout = completeLayout(site.parallelism, run.gpuCount);
  checkLayout(run, layout);
  const ctx = stepContext(run, constants ? { constants } : {});
  const replica = { gpus: run.gpuCount, globalBatch: run.globalBatch };
  return withCrossSite(predictLayout(ctx, layout), sites, crossSiteShard(ctx.counts, layout, sites.count), replica);
}

export function predictLayout(ctx: StepContext, layout: Layout): StepPrediction {
  const run = ctx.run;
  const e = evaluateLayout(ctx, layout);
  const t = e.time;
  const tokensPerStep = run.globalBatch * run.model.seqLen;
  const modelFlops = ctx.counts.modelFlopsPerToken * tokensPerStep;
  const denom = t.stepTime * run.gpuCount;
  const mem = e.memory;
  return {
    stepTimeSeconds: t.stepTime,
    tokensPerSecondPerGpu: tokensPerStep / denom,
    modelFlopsPerToken: ctx.counts.modelFlopsPerToken,
    mfu: modelFlops / (denom * ctx.peakFlopsBf16),
    mfuAtPrecisionPeak: modelFlops / (denom * ctx.peakFlops),
    memoryPerGpuGiB: {
      weights: mem.weights / GIB,
      gradients: mem.gradients / GIB,
      optimizer: mem.optimizer / GIB,
      // Everything that is not a parameter-sized state: stored activations, logits, MoE and ZeRO-3 buffers.
      activations: (mem.activations + mem.logits + mem.moeBuffers + mem.zero3Buffers) / GIB,
      total: mem.total / GIB,
    },
    fitsInMemory: e.fits,
    software: softwareUsed(ctx.software),
    breakdown: {
      flopConvention: FLOP_CONVENTION,
      layout: layoutOutput(layout),
      microBatchesPerPipeline: e.microBatches,
      timeSeconds: timeBreakdown(e),
      communication: communicationBreakdown(e),
      memoryGiB: {
        logits: mem.logits / GIB,
        moeBuffers: mem.moeBuffers / GIB,
        zero3Buffers: mem.zero3Buffers / GIB,
        hbm: ctx.hbmBytes / GIB,
        reserveFraction: ctx.k.hbmReserveFraction,
        usable: (ctx.hbmBytes * (1 - ctx.k.hbmReserveFraction)) / GIB,
      },
      hardwareFlopsUtilization: e.hardwareFlopsPerGpu / (t.stepTime * ctx.peakFlopsBf16),
      efficiency: efficiencyUsed(ctx),
    },
  };
}

/** Where the step time goes (the parts add up to the step time, with the tied-embedding sync in pipelineP2p). */
function timeBreakdown(e: LayoutEvaluation): StepBreakdown["timeSeconds"] {
  const t = e.time;
  return {
    compute: t.compute,
    recompute: t.recompute,
    tensorParallelExposed: t.tensorParallelExposed,
    contextParallelExposed: t.contextParallelExposed,
    expertParallelExposed: t.expertParallelExposed,
    pipelineP2pExposed: t.pipelineP2pExposed,
    zero3GatherExposed: t.zero3GatherExposed,
    activationOffloadExposed: t.activationOffloadExposed,
    pipelineBubble: t.pipelineBubble,
    dataParallelExposed: t.dataParallelExposed,
    optimizer: t.optimizer,
  };
}

/** Each communication kind: total and exposed seconds per step, the network level it crosses, how it overlaps. */
function communicationBreakdown(e: LayoutEvaluation): StepBreakdown["communication"] {
  const t = e.time;
  const cm = e.comm;
  const item = (total: number, exposed: number, level: Level | "host-link"): CommItem => ({
    totalSeconds: total,
    exposedSeconds: exposed,
    level,
    overlap: overlapOf(total, exposed),
  });
  return {
    tensorParallel: item(cm.tensorParallel, t.tensorParallelExposed, cm.tensorParallelLevel),
    contextParallel: item(cm.contextParallel, t.contextParallelExposed, cm.contextParallelLevel),
    expertParallel: item(cm.expertParallel, t.expertParallelExposed, cm.expertParallelLevel),
    pipelineP2p: item(cm.pipelineP2p, t.pipelineP2pExposed, cm.pipelineLevel),
    dataParallel: item(cm.dataParallel, t.dataParallelExposed, cm.dataParallelLevel),
    zero3Gather: item(cm.zero3Gather, t.zero3GatherExposed, cm.dataParallelLevel),
    activationOffload: item(cm.activationOffload, t.activationOffloadExposed, cm.activationOffload > 0 ? "host-link" : "none"),
  };
}

/** The efficiency figures the prediction used (calibration.ts), for the output's "efficiency used" line. */
function efficiencyUsed(ctx: StepContext): StepBreakdown["efficiency"] {
  return {
    gpu: ctx.run.gpu.id,
    matmul: ctx.matmulEfficiency,
    matmulHalfDim: ctx.k.matmulHalfDim,
    attentionKernel: ctx.software.attention,
    attention: ctx.attentionFlops / ctx.peakFlopsBf16,
    elementwiseHbm: ctx.k.hbmEfficiency,
    elementwiseBytesPerHidden: ctx.k.elementwiseBytesPerHidden,
    elementwiseTraffic: ctx.elementwiseTraffic,
    fp8CastBytes: ctx.fp8CastBytes,
    tpOverlapHidden: ctx.tpHidden,
    gatherEfficiency: ctx.gatherEfficiency,
    overlapInterference: ctx.k.overlapInterference,
    collectiveScaleUp: ctx.eff.scaleUpCollective,
    collectiveScaleOut: ctx.k.collective.scaleOut,
    calibrated: ctx.eff.calibrated,
    source: ctx.eff.source,
  };
}
