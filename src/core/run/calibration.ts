// Calibrated and assumed constants of the step-time model, each with the rows it came from.
//
// Only physically meaningful quantities are calibrated: the achievable fraction of tensor-core peak for large
// matmuls and for fused attention, per GPU generation; the achievable fraction of link rate for large
// collectives, per network level. No constant is per run. Calibration set: test/fixtures/real-runs (the public
// runs of shared/data/real-runs). `scaleplan validate` prints the resulting per-row errors.

/** Efficiencies of one GPU generation. */
export interface ComputeEfficiency {
  /** Achievable fraction of dense tensor-core peak for a large GEMM (all dimensions ≫ MATMUL_HALF_DIM). */
  readonly matmul: number;
  /** Achievable fraction of peak for fused (Flash) attention, on the causal FLOPs it actually executes. */
  readonly attention: number;
  /**
   * Achieved collective bus bandwidth / one-way NVLink rate inside the scale-up domain. Ampere: ~230 of
   * 300 GB/s (nccl-tests on DGX A100). Hopper's third-generation NVSwitch reduces in the switch (NVLink SHARP,
   * used by NCCL ≥ 2.18 for all-reduce, reduce-scatter and all-gather), which lifts the effective rate close to
   * or above the one-way link rate.
   */
  readonly scaleUpCollective: number;
  /** True when the figures were fitted to measured runs, false when carried over from another generation. */
  readonly calibrated: boolean;
  readonly source: string;
}

/**
 * Ampere (A100): fitted to the Megatron-LM runs of Korthikanti et al. 2022 (K1a-K4b) and the
 * Megatron-DeepSpeed runs of vTrain (V1-V3, V5-V7; V4 is left out, see README). cuBLAS FP16 GEMMs of these sizes reach ~80 % of 312 TFLOP/s in
 * isolation; inside a training step (clock throttling under sustained load, launch gaps) less.
 */
export const AMPERE: ComputeEfficiency = {
  matmul: 0.78,
  // Low because every A100 row of the calibration set (Megatron-LM 2022, Megatron-DeepSpeed) ran unfused
  // attention: the s×s scores go through HBM (scale, mask, softmax, dropout kernels). This figure is the
  // effective rate of that attention, on the causal FLOPs; a FlashAttention run on A100 would be faster.
  attention: 0.07,
  scaleUpCollective: 0.75,
  calibrated: true,
  source: "fitted to K1a-K4b, V1-V3, V5-V7 (A100 80GB, Megatron-LM / Megatron-DeepSpeed; V4 left out as an unexplained outlier)",
};

/**
 * Hopper (H100/H800/H200): fitted to NVIDIA's NeMo benchmark rows (D1, D4, D7, D9) and MosaicML
 * llm-foundry (P1-P3). T1 (torchtitan) is left out: it ran on a 500 W, 96 GB / 2.4 TB/s H100 variant. Sustained BF16 GEMM throughput on H100 SXM is ~650-750 TFLOP/s of 989.
 */
export const HOPPER: ComputeEfficiency = {
  matmul: 0.61,
  attention: 0.5,
  // Fitted on the TP rows D1, D4, D7, the fit runs into any bound above 1: NeMo overlaps TP communication with
  // the GEMMs (Transformer Engine userbuffers), which the schema cannot express. Capped at 1.0 = the one-way
  // NVLink rate, reachable with NVLink SHARP; D4 stays 15 % slow because of it.
  scaleUpCollective: 1.0,
  calibrated: true,
  source: "fitted to D1, D4, D7, D9, P1-P3 (H100 SXM, NeMo / llm-foundry; T1 left out: its GPU is not the preset)",
};


/** Efficiency by preset id (custom GPUs use their `preset`'s, or Hopper's marked uncalibrated). */
export function computeEfficiencyFor(presetId: string | undefined, k: StepConstants = DEFAULT_STEP_CONSTANTS): ComputeEfficiency {
  if (presetId?.startsWith("a100")) return k.ampere;
  if (presetId?.startsWith("h100") || presetId?.startsWith("h800") || presetId?.startsWith("h200")) return k.hopper;
  if (presetId?.startsWith("v100")) return { ...k.ampere, calibrated: false, source: "not calibrated: Ampere's fitted figures assumed" };
  return { ...k.hopper, calibrated: false, source: "not calibrated: Hopper's fitted figures assumed" };
}

/**
 * GEMM size curve: efficiency = matmul · d/(d + MATMUL_HALF_DIM) where d is the smallest GEMM dimension on one
 * GPU. Models tile/wave quantisation and low occupancy of thin GEMMs (a 128-wide tile is the typical CUTLASS /
 * cuBLAS tile; half efficiency at d = 64 is an assumption, shape checked against the TP8 rows K1-K4, V2).
 */
export const MATMUL_HALF_DIM = 64;

/** Achievable fraction of HBM bandwidth for element-wise kernels (norms, activations, residual adds, optimizer). Assumed: typical of fused element-wise kernels on A100/H100. */
export const HBM_EFFICIENCY = 0.7;

/**
 * Collective efficiency (achieved bus bandwidth / link rate), by network level, for GPUs without a
 * generation-specific figure. NCCL all-reduce bus bandwidth reaches ~230 of 300 GB/s one-way on DGX A100 NVLink
 * (nccl-tests); over InfiniBand ~80-90 % of line rate. Assumed from those figures, not fitted: the scale-out
 * terms are small in every calibration row (exposed DP/FSDP traffic ≤ 10 % of the step), so the rows cannot
 * pin them down. The scale-up figure actually used is the generation's `scaleUpCollective`.
 */
export const COLLECTIVE_EFFICIENCY = { scaleUp: 0.75, scaleOut: 0.8 } as const;

/** Backward FLOPs of fused attention relative to its forward (FlashAttention-2: 5 matmuls vs 2). */
export const ATTENTION_BACKWARD_RATIO = 2.5;

/** Bytes moved per locally-updated parameter by a mixed-precision Adam step: read fp32 weight, grad, m, v (16), write weight, m, v (12), write the 16-bit copy (2). */
export const ADAM_BYTES_PER_PARAM = 30;

/** Memory held back from "fits": CUDA context, NCCL buffers, cuBLAS workspace, allocator fragmentation. */
export const HBM_RESERVE_FRACTION = 0.05;

/**
 * Element-wise traffic outside the activation function, in bytes per token per layer per hidden unit, forward
 * (norms, residual adds, bias/dropout, rotary, casts). Two 16-bit norms (read + write) and two residual adds
 * (two reads + one write) move 20; fused bias-dropout-add kernels save some. Fitted globally: 17.
 */
export const ELEMENTWISE_BYTES_PER_HIDDEN = 17;

/**
 * Fraction of an overlapped collective's duration that still lands on the critical path: NCCL kernels occupy
 * SMs and HBM bandwidth while the GEMMs run (Calculon's "processor usage" of communication). Assumed 0.3
 * (NCCL channels take a comparable share of SMs); the fit prefers larger values, driven by P2 (FSDP).
 */
export const OVERLAP_INTERFERENCE = 0.3;

/** Every tunable constant of the step model in one object (tests and the calibration fit pass variants). */
export interface StepConstants {
  readonly ampere: ComputeEfficiency;
  readonly hopper: ComputeEfficiency;
  readonly matmulHalfDim: number;
  readonly hbmEfficiency: number;
  readonly collective: { readonly scaleUp: number; readonly scaleOut: number };
  readonly elementwiseBytesPerHidden: number;
  readonly overlapInterference: number;
  readonly attentionBackwardRatio: number;
  readonly adamBytesPerParam: number;
  readonly hbmReserveFraction: number;
}

export const DEFAULT_STEP_CONSTANTS: StepConstants = {
  ampere: AMPERE,
  hopper: HOPPER,
  matmulHalfDim: MATMUL_HALF_DIM,
  hbmEfficiency: HBM_EFFICIENCY,
  collective: COLLECTIVE_EFFICIENCY,
  elementwiseBytesPerHidden: ELEMENTWISE_BYTES_PER_HIDDEN,
  overlapInterference: OVERLAP_INTERFERENCE,
  attentionBackwardRatio: ATTENTION_BACKWARD_RATIO,
  adamBytesPerParam: ADAM_BYTES_PER_PARAM,
  hbmReserveFraction: HBM_RESERVE_FRACTION,
};
