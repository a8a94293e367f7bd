// Calibrated and assumed constants of the step-time model, each with its source or the rows it was fitted to.
//
// Only physically meaningful quantities are calibrated, per GPU generation or per training stack, never per run:
// achievable fractions of tensor-core peak (GEMMs, attention kernels), element-wise traffic of eager and compiled
// kernels relative to hand-fused ones, the FP8 GEMM rate, the fraction of TP traffic hidden by TP overlap, the
// gather efficiency of ZeRO-3 engines. Calibration set: the published runs shipped in data/real-runs (copies of
// shared/data/real-runs). `npm run calibrate` refits every constant marked "fitted" (objective and method:
// calibration-fit.ts) and test/run/calibration.test.ts checks the shipped values are what it finds.

import type { Fp8Recipe, ShardingEngine } from "./software.ts";

/** Efficiencies of one GPU generation. */
export interface GenerationEfficiency {
  /** Achievable fraction of dense tensor-core peak for a large GEMM (all dimensions ≫ MATMUL_HALF_DIM). */
  readonly matmul: number;
  /** Achievable fraction of the BF16 peak of fused attention on the causal FLOPs it executes, per kernel family. */
  readonly attentionFlash: number;
  readonly attentionCudnn: number;
  /**
   * Achieved collective bus bandwidth / one-way NVLink rate inside the scale-up domain (nccl-tests: ~230 of
   * 300 GB/s on DGX A100; ~360-480 of 450 GB/s on H100 with NVLink SHARP).
   */
  readonly scaleUpCollective: number;
  /** True when the figures were fitted to measured runs, false when carried over from another generation. */
  readonly calibrated: boolean;
  readonly source: string;
}

/** Ampere (A100): K1a-K4b (Megatron-LM), V1-V7 (Megatron-DeepSpeed), N3-384 (DeepSpeed), T7-8b (torchtitan, flash). */
export const AMPERE: GenerationEfficiency = {
  matmul: 0.795, // fitted
  // T7-8b is the only A100 row with FlashAttention (FlashAttention-2 reaches 50-70 % of 312 TFLOP/s forward
  // and backward, Dao 2023 Fig. 5); every other A100 row ran unfused attention (UNFUSED_SCORE_BYTES).
  attentionFlash: 0.352, // fitted (T7-8b only)
  attentionCudnn: 0.352, // assumed = flash (no A100 cuDNN-attention row)
  scaleUpCollective: 0.75,
  calibrated: true,
  source: "fitted to K1a-K4b, V1-V7, N3-384, T7-8b (A100 80GB)",
};

/** Hopper (H100/H800/H200): D1-D13 (NeMo, MaxText; cuDNN attention), P1-P3 and T rows (flash), MB2. */
export const HOPPER: GenerationEfficiency = {
  matmul: 0.643, // fitted
  attentionFlash: 0.26, // fitted (torch SDPA / flash-attn 2 rows: P, T)
  attentionCudnn: 0.717, // fitted (NeMo, Megatron-Bridge, MaxText rows)
  // Assumed: with NVLink SHARP (NVLS, NCCL ≥ 2.18) the third-generation NVSwitch reduces in the switch and
  // all-reduce / reduce-scatter / all-gather reach about the one-way NVLink rate (450 GB/s) in nccl-tests.
  scaleUpCollective: 1.0,
  calibrated: true,
  source: "fitted to D1, D4, D7, D9, D13-bf16, MB2, P1-P3, T1-T9 (H100 SXM and Grand Teton H100)",
};

/** Blackwell (B200/GB200/GB300): MB7 (B200, FP8) and MB4 (GB200, DeepSeek-V3). */
export const BLACKWELL: GenerationEfficiency = {
  matmul: 0.426, // fitted (MB4, MB7)
  attentionFlash: 0.75, // = cuDNN (no flash row)
  attentionCudnn: 0.75, // fitted, at the bound of any fused attention (FlashAttention-3: 75 % of peak)
  // Assumed as Hopper's (NVLS on the fourth-generation NVSwitch).
  scaleUpCollective: 1.0,
  calibrated: true,
  source: "fitted to MB4 (GB200) and MB7 (B200), Megatron-Bridge",
};

export type Generation = "ampere" | "hopper" | "blackwell";

/**
 * GEMM size curve: efficiency = matmul · d/(d + MATMUL_HALF_DIM) where d is the smallest GEMM dimension on one
 * GPU. Models tile/wave quantisation and low occupancy of thin GEMMs (a 128-wide tile is the typical CUTLASS /
 * cuBLAS tile; half efficiency at d = 64 is an assumption, shape checked against the TP8 rows K1-K4, V2).
 */
export const MATMUL_HALF_DIM = 64;

/** Achievable fraction of HBM bandwidth for element-wise kernels (norms, activations, residual adds, optimizer). Assumed: typical of fused element-wise kernels on A100/H100. */
export const HBM_EFFICIENCY = 0.7;

/**
 * Collective efficiency (achieved bus bandwidth / link rate) across the scale-out network: InfiniBand reaches
 * ~80-90 % of line rate (nccl-tests). Assumed. The scale-up figure used is the generation's.
 */
export const COLLECTIVE_EFFICIENCY = { scaleUp: 0.75, scaleOut: 0.8 } as const;

/** Backward FLOPs of fused attention relative to its forward (FlashAttention-2: 5 vs 2 matmuls). */
export const ATTENTION_BACKWARD_RATIO = 2.5;

/** Bytes moved per locally-updated parameter by a mixed-precision Adam step: read fp32 weight, grad, m, v (16), write weight, m, v (12), write the 16-bit copy (2). */
export const ADAM_BYTES_PER_PARAM = 30;

/** Memory held back from "fits": CUDA context, NCCL buffers, cuBLAS workspace, allocator fragmentation. */
export const HBM_RESERVE_FRACTION = 0.05;

/**
 * Element-wise HBM traffic outside the activation function, in bytes per token per layer per hidden unit,
 * forward, derived (not fitted) for hand-fused kernels (Megatron-LM / NeMo / Transformer Engine): two norms,
 * each one kernel reading its 16-bit input and writing its output (2 × 4 bytes), and two residual adds fused
 * with bias and dropout (read two 16-bit tensors, write one: 2 × 6 bytes) = 20. Backward moves twice the
 * forward. The activation function (gelu: read + write ffn; swiglu: read 2·ffn, write ffn) is added per
 * architecture.
 */
export const ELEMENTWISE_BYTES_PER_HIDDEN = 20;

/**
 * Element-wise traffic of the other kernel kinds relative to hand-fused kernels (fitted). Eager PyTorch runs
 * RMSNorm as several fp32 kernels, rotary and SwiGLU as several kernels each; torch.compile / XLA fuse most of it.
 */
export const ELEMENTWISE_TRAFFIC = { fused: 1, compiled: 1.66, eager: 3.78 } as const;

/**
 * Unfused attention (scores through HBM: Megatron's scale-mask-softmax and dropout kernels, or a plain PyTorch
 * softmax): HBM bytes per score element, forward, for the full s × s scores per head. Derived lower bound: the
 * score GEMM writes 2 bytes, softmax reads 2 and writes 2, dropout reads 2, writes 2 and a 1-byte mask, the
 * value GEMM reads 2 = 13; fitted on the A100 rows.
 */
export const UNFUSED_SCORE_BYTES = 12.3;

/**
 * FP8 scaling: HBM bytes per element of a GEMM input cast to FP8, per recipe (derived: read the 16-bit tensor
 * 2 + write FP8 1 = 3 per pass, plus a 2-byte amax read where the scale is computed in a separate pass).
 * tensorwise (current scaling): amax pass + cast = 5; delayed (scale from the amax history; amax fused into the
 * cast, Transformer Engine): 3; rowwise / blockwise (DeepSeek-V3 §3.3): a row-scaled copy for the forward and a
 * column-scaled one for the backward, each amax + cast = 10; mxfp8 (hardware block scales, both orientations
 * computed in one pass): 6.
 */
export const FP8_CAST_BYTES: Readonly<Record<Fp8Recipe, number>> = { tensorwise: 5, delayed: 3, rowwise: 10, blockwise: 10, mxfp8: 6 };

/**
 * FP8 GEMM efficiency relative to the BF16 one, on the FP8 peak (fitted on the FP8 rows; the fit runs to its
 * bound 1: FP8 GEMMs reach the same fraction of their peak as BF16 ones in these rows).
 */
export const FP8_MATMUL_RATIO = 1;

/**
 * Fraction of the TP collectives hidden behind the GEMMs when `software.tpCommOverlap` is on (Transformer
 * Engine userbuffers, torchtitan async TP). Fitted on the TP-overlap rows (D1, D4, D7, MB2, T5-32k, T9 async):
 * the fit finds 0 - with the scale-up collectives at the one-way NVLink rate these rows are already predicted
 * slow, not fast (D4 +9 %), so the model has no evidence that overlap hides any TP time. Reported, not forced.
 */
export const TP_OVERLAP_HIDDEN = 0;

/**
 * Achieved fraction of the collective cost model's rate for ZeRO-3 / FSDP weight gathers, per engine. torch FSDP
 * (FSDP2, Composer, MaxText/XLA) gathers whole layers in flat buffers: 1 by assumption. DeepSpeed ZeRO-3 (2021)
 * gathered parameter by parameter with small buckets (fitted on N3-384). Megatron's own FSDP: as torch FSDP.
 */
export const GATHER_EFFICIENCY: Readonly<Record<ShardingEngine, number>> = { fsdp: 1, "deepspeed-zero3": 0.133, megatron: 1 };

/**
 * Fraction of an overlapped collective's duration that still lands on the critical path: NCCL kernels occupy
 * SMs and HBM bandwidth while the GEMMs run (Calculon's "processor usage" of communication). Assumed 0.3.
 */
export const OVERLAP_INTERFERENCE = 0.3;

/**
 * Activations alive while a fully recomputed layer runs its backward, in units of that layer's full forward
 * activations: the replayed activations (1) plus the gradients and temporaries of its backward. It depends on
 * how the stack checkpoints (torchtitan: checkpoint_wrapper around each compiled block), so it is per stack.
 * torchtitan: fitted on the calibration rows that publish peak memory and recompute fully (T5-32k, T6-64k),
 * objective Σ ln(predicted / published memory)², bounded by every calibration run still fitting (T6-64k binds:
 * it ran with 84.2 of 89.4 GiB reserved). Every other stack: the prior 1 (no row publishes its memory).
 */
export const FULL_RECOMPUTE_WORKING_LAYERS = { torchtitan: 4.68, other: 1 } as const;

/** Every tunable constant of the step model in one object (tests and the calibration fit pass variants). */
export interface StepConstants {
  readonly ampere: GenerationEfficiency;
  readonly hopper: GenerationEfficiency;
  readonly blackwell: GenerationEfficiency;
  readonly matmulHalfDim: number;
  readonly hbmEfficiency: number;
  readonly collective: { readonly scaleUp: number; readonly scaleOut: number };
  readonly elementwiseBytesPerHidden: number;
  readonly elementwiseTraffic: { readonly fused: number; readonly compiled: number; readonly eager: number };
  readonly unfusedScoreBytes: number;
  readonly fp8CastBytes: Readonly<Record<Fp8Recipe, number>>;
  readonly fp8MatmulRatio: number;
  readonly tpOverlapHidden: number;
  readonly gatherEfficiency: Readonly<Record<ShardingEngine, number>>;
  readonly overlapInterference: number;
  readonly attentionBackwardRatio: number;
  readonly adamBytesPerParam: number;
  readonly hbmReserveFraction: number;
  readonly fullRecomputeWorkingLayers: { readonly torchtitan: number; readonly other: number };
}

export const DEFAULT_STEP_CONSTANTS: StepConstants = {
  ampere: AMPERE,
  hopper: HOPPER,
  blackwell: BLACKWELL,
  matmulHalfDim: MATMUL_HALF_DIM,
  hbmEfficiency: HBM_EFFICIENCY,
  collective: COLLECTIVE_EFFICIENCY,
  elementwiseBytesPerHidden: ELEMENTWISE_BYTES_PER_HIDDEN,
  elementwiseTraffic: ELEMENTWISE_TRAFFIC,
  unfusedScoreBytes: UNFUSED_SCORE_BYTES,
  fp8CastBytes: FP8_CAST_BYTES,
  fp8MatmulRatio: FP8_MATMUL_RATIO,
  tpOverlapHidden: TP_OVERLAP_HIDDEN,
  gatherEfficiency: GATHER_EFFICIENCY,
  overlapInterference: OVERLAP_INTERFERENCE,
  attentionBackwardRatio: ATTENTION_BACKWARD_RATIO,
  adamBytesPerParam: ADAM_BYTES_PER_PARAM,
  hbmReserveFraction: HBM_RESERVE_FRACTION,
  fullRecomputeWorkingLayers: FULL_RECOMPUTE_WORKING_LAYERS,
};

/** The GPU generation of a preset id ("h100-grand-teton-500w" is a Hopper); null when no generation is fitted. */
export function generationOf(gpuId: string): { generation: Generation; calibrated: boolean } {
  if (gpuId.startsWith("a100")) return { generation: "ampere", calibrated: true };
  if (gpuId.startsWith("v100")) return { generation: "ampere", calibrated: false };
  if (gpuId.startsWith("h100") || gpuId.startsWith("h800") || gpuId.startsWith("h200")) return { generation: "hopper", calibrated: true };
  if (gpuId.startsWith("b200") || gpuId.startsWith("gb200") || gpuId.startsWith("gb300")) return { generation: "blackwell", calibrated: true };
  return { generation: "hopper", calibrated: false };
}

/** Efficiency of a GPU (by preset id), marked uncalibrated when carried over from another generation. */
export function generationEfficiency(gpuId: string, k: StepConstants = DEFAULT_STEP_CONSTANTS): GenerationEfficiency {
  const { generation, calibrated } = generationOf(gpuId);
  const e = k[generation];
  return calibrated ? e : { ...e, calibrated: false, source: `not calibrated: ${generation} figures assumed` };
}
