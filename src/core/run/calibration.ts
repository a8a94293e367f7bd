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
  /** True when the figures were fitted to measured runs, false when carried over from another generation. */
  readonly calibrated: boolean;
  readonly source: string;
}

/**
 * Ampere (A100): fitted to the Megatron-LM runs of Korthikanti et al. 2022 (K1a-K4b) and the
 * Megatron-DeepSpeed runs of vTrain (V1-V7). cuBLAS FP16 GEMMs of these sizes reach ~80 % of 312 TFLOP/s in
 * isolation; inside a training step (clock throttling under sustained load, launch gaps) less.
 */
export const AMPERE: ComputeEfficiency = {
  matmul: 0.71,
  attention: 0.42,
  calibrated: true,
  source: "fitted to K1a-K4b, V1-V7 (A100 80GB, Megatron-LM / Megatron-DeepSpeed)",
};

/**
 * Hopper (H100/H800/H200): fitted to NVIDIA's NeMo benchmark rows (D1, D4, D7, D9), MosaicML llm-foundry
 * (P1-P3) and torchtitan (T1). Sustained BF16 GEMM throughput on H100 SXM is ~650-750 TFLOP/s of 989.
 */
export const HOPPER: ComputeEfficiency = {
  matmul: 0.68,
  attention: 0.45,
  calibrated: true,
  source: "fitted to D1, D4, D7, D9, P1-P3, T1 (H100 SXM, NeMo / llm-foundry / torchtitan)",
};

/** Generations without measured rows in the calibration set: Hopper's figures carried over (not calibrated). */
export const UNCALIBRATED: ComputeEfficiency = { ...HOPPER, calibrated: false, source: "not calibrated: Hopper's fitted figures assumed" };

/** Efficiency by preset id (custom GPUs use their `preset`'s, or UNCALIBRATED). */
export function computeEfficiencyFor(presetId: string | undefined): ComputeEfficiency {
  if (presetId === undefined) return UNCALIBRATED;
  if (presetId.startsWith("a100")) return AMPERE;
  if (presetId.startsWith("h100") || presetId.startsWith("h800") || presetId.startsWith("h200")) return HOPPER;
  if (presetId.startsWith("v100")) return { ...AMPERE, calibrated: false, source: "not calibrated: Ampere's fitted figures assumed" };
  return UNCALIBRATED;
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
 * Collective efficiency (achieved bus bandwidth / link rate), by network level. NCCL all-reduce bus bandwidth
 * reaches ~230 of 300 GB/s one-way on DGX A100 NVLink and ~360-400 of 450 GB/s on DGX H100 (nccl-tests);
 * over InfiniBand ~80-90 % of line rate. Fitted values below (rows with TP: K*, V2-V6, D1, D4, D7; scale-out:
 * V1-V7 data parallelism, P1, P2 FSDP, D rows).
 */
export const COLLECTIVE_EFFICIENCY = { scaleUp: 0.75, scaleOut: 0.8 } as const;

/** Backward FLOPs of fused attention relative to its forward (FlashAttention-2: 5 matmuls vs 2). */
export const ATTENTION_BACKWARD_RATIO = 2.5;

/** Bytes moved per locally-updated parameter by a mixed-precision Adam step: read fp32 weight, grad, m, v (16), write weight, m, v (12), write the 16-bit copy (2). */
export const ADAM_BYTES_PER_PARAM = 30;

/** Memory held back from "fits": CUDA context, NCCL buffers, cuBLAS workspace, allocator fragmentation. */
export const HBM_RESERVE_FRACTION = 0.05;
