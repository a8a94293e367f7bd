// The training stack of a run (run-config.md, version 2, "The training stack"): which framework, attention
// kernels, compilation, FP8 scaling recipe, TP-communication overlap and FP8 all-gather. Every field has a
// default per framework, taken from that framework's own defaults (cited per row below); a missing `software`
// block means megatron-core with its defaults.

import { InputError } from "../errors.ts";

export const FRAMEWORKS = [
  "megatron-core",
  "nemo",
  "megatron-bridge",
  "megatron-lm",
  "megatron-deepspeed",
  "deepspeed",
  "torchtitan",
  "llm-foundry",
  "maxtext",
  "paxml",
] as const;
export const ATTENTION_KERNELS = ["flash", "cudnn", "unfused"] as const;
export const FP8_RECIPES = ["tensorwise", "delayed", "rowwise", "blockwise", "mxfp8"] as const;
/**
 * What the optimizer keeps per parameter. fp32 (every framework's default): an fp32 master copy and fp32 Adam
 * moments, 12 bytes. bf16: Adam moments in bf16 and no master copy, the 16-bit weights updated in place, 4
 * bytes: Apex DistributedFusedAdam with `dtype: bf16` over bf16 weights, which NeMo 1's launcher recipes set
 * (`optim.dtype: bf16`; NeMo megatron_base_model.py sets store_params false when the optimizer dtype equals the
 * model dtype; Apex: "dtype: datatype for optimizer state").
 */
export const OPTIMIZER_STATES = ["fp32", "bf16"] as const;

export type Framework = (typeof FRAMEWORKS)[number];
export type AttentionKernel = (typeof ATTENTION_KERNELS)[number];
export type Fp8Recipe = (typeof FP8_RECIPES)[number];
export type OptimizerStates = (typeof OPTIMIZER_STATES)[number];

/** The stack as the step model uses it: every field filled in. `fp8Recipe` is null for BF16/FP16 runs. */
export interface SoftwareStack {
  readonly framework: Framework;
  readonly attention: AttentionKernel;
  readonly compile: boolean;
  readonly fp8Recipe: Fp8Recipe | null;
  readonly tpCommOverlap: boolean;
  readonly fp8AllGather: boolean;
  readonly optimizerStates: OptimizerStates;
}

/** How the element-wise kernels (norms, activation, residuals, rotary) run: which physical efficiency applies. */
export type ElementwiseKernels = "fused" | "compiled" | "eager";

/** How ZeRO-3 / FSDP gathers weights: which gather efficiency applies. */
export type ShardingEngine = "fsdp" | "deepspeed-zero3" | "megatron";

interface FrameworkDefaults {
  readonly attention: AttentionKernel;
  readonly compile: boolean;
  readonly fp8Recipe: Fp8Recipe;
  readonly tpCommOverlap: boolean;
  /** Hand-fused (Transformer Engine / Apex) element-wise kernels when not compiled. */
  readonly fusedKernels: boolean;
  readonly sharding: ShardingEngine;
}

/**
 * Defaults per framework. Sources: Megatron-Core / Megatron-LM arguments (`--fp8-recipe` default "delayed",
 * `--tp-comm-overlap` off, Transformer Engine's fused attention picks cuDNN on Hopper); NeMo 2 / Megatron-Bridge
 * performance recipes (TP comm overlap on, FP8 "current scaling" = tensorwise in Megatron-Bridge 25.x);
 * Megatron-DeepSpeed (`--use-flash-attn` off by default: unfused softmax); DeepSpeed (ZeRO-3 engine, models run
 * in PyTorch eager, attention through torch SDPA = flash); torchtitan job config (compile false, torchao Float8
 * tensorwise, async TP off, `enable_fsdp_float8_all_gather` false); llm-foundry (FlashAttention, Transformer
 * Engine FP8 delayed scaling, FSDP); MaxText / PaxML (XLA-compiled, cudnn_flash_te attention on GPU).
 */
const DEFAULTS: Readonly<Record<Framework, FrameworkDefaults>> = {
  "megatron-core": { attention: "cudnn", compile: false, fp8Recipe: "delayed", tpCommOverlap: false, fusedKernels: true, sharding: "megatron" },
  nemo: { attention: "cudnn", compile: false, fp8Recipe: "delayed", tpCommOverlap: true, fusedKernels: true, sharding: "megatron" },
  "megatron-bridge": { attention: "cudnn", compile: false, fp8Recipe: "tensorwise", tpCommOverlap: true, fusedKernels: true, sharding: "megatron" },
  "megatron-lm": { attention: "cudnn", compile: false, fp8Recipe: "delayed", tpCommOverlap: false, fusedKernels: true, sharding: "megatron" },
  "megatron-deepspeed": { attention: "unfused", compile: false, fp8Recipe: "delayed", tpCommOverlap: false, fusedKernels: true, sharding: "deepspeed-zero3" },
  deepspeed: { attention: "flash", compile: false, fp8Recipe: "delayed", tpCommOverlap: false, fusedKernels: false, sharding: "deepspeed-zero3" },
  torchtitan: { attention: "flash", compile: false, fp8Recipe: "tensorwise", tpCommOverlap: false, fusedKernels: false, sharding: "fsdp" },
  "llm-foundry": { attention: "flash", compile: false, fp8Recipe: "delayed", tpCommOverlap: false, fusedKernels: false, sharding: "fsdp" },
  maxtext: { attention: "cudnn", compile: true, fp8Recipe: "delayed", tpCommOverlap: false, fusedKernels: false, sharding: "fsdp" },
  paxml: { attention: "cudnn", compile: true, fp8Recipe: "delayed", tpCommOverlap: false, fusedKernels: false, sharding: "fsdp" },
};

export interface SoftwareInput {
  readonly framework?: Framework | undefined;
  readonly attention?: AttentionKernel | undefined;
  readonly compile?: boolean | undefined;
  readonly fp8Recipe?: Fp8Recipe | undefined;
  readonly tpCommOverlap?: boolean | undefined;
  readonly fp8AllGather?: boolean | undefined;
  readonly optimizerStates?: OptimizerStates | undefined;
}

/** Fills the framework's defaults; FP8-only fields on a BF16/FP16 run are one-line InputErrors naming the field. */
export function resolveSoftware(input: SoftwareInput | undefined, precision: "bf16" | "fp16" | "fp8"): SoftwareStack {
  const framework = input?.framework ?? "megatron-core";
  const d = DEFAULTS[framework];
  const fp8 = precision === "fp8";
  if (!fp8 && input?.fp8Recipe !== undefined) {
    throw new InputError("software.fp8Recipe", input.fp8Recipe, `no fp8Recipe unless training.precision is fp8 (got ${precision})`);
  }
  if (!fp8 && input?.fp8AllGather === true) {
    throw new InputError("software.fp8AllGather", true, `false unless training.precision is fp8 (got ${precision})`);
  }
  return {
    framework,
    attention: input?.attention ?? d.attention,
    compile: input?.compile ?? d.compile,
    fp8Recipe: fp8 ? (input?.fp8Recipe ?? d.fp8Recipe) : null,
    tpCommOverlap: input?.tpCommOverlap ?? d.tpCommOverlap,
    fp8AllGather: fp8 ? (input?.fp8AllGather ?? false) : false,
    optimizerStates: input?.optimizerStates ?? "fp32",
  };
}

/** The stack as `step --json` prints it: the FP8-only fields appear only for FP8 runs (no nulls in the output). */
export interface SoftwareUsed {
  readonly framework: Framework;
  readonly attention: AttentionKernel;
  readonly compile: boolean;
  readonly tpCommOverlap: boolean;
  readonly fp8Recipe?: Fp8Recipe;
  readonly fp8AllGather?: boolean;
  /** Printed only when not the default fp32. */
  readonly optimizerStates?: OptimizerStates;
}

export function softwareUsed(s: SoftwareStack): SoftwareUsed {
  const states = s.optimizerStates === "fp32" ? {} : { optimizerStates: s.optimizerStates };
  const base = { framework: s.framework, attention: s.attention, compile: s.compile, tpCommOverlap: s.tpCommOverlap, ...states };
  return s.fp8Recipe === null ? base : { ...base, fp8Recipe: s.fp8Recipe, fp8AllGather: s.fp8AllGather };
}

/** Compiled (torch.compile / XLA) beats everything; otherwise the framework's hand-fused kernels or eager PyTorch. */
export function elementwiseKernels(s: SoftwareStack): ElementwiseKernels {
  if (s.compile) return "compiled";
  return DEFAULTS[s.framework].fusedKernels ? "fused" : "eager";
}

/** Which ZeRO-3 / FSDP implementation gathers the weights. */
export function shardingEngine(s: SoftwareStack): ShardingEngine {
  return DEFAULTS[s.framework].sharding;
}

/** The defaults of one framework (for the documentation and `step` output). */
export function frameworkDefaults(framework: Framework): SoftwareStack {
  return resolveSoftware({ framework }, "bf16");
}
