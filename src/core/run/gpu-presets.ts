// GPU presets of shared/specs/run-config.md ("GPU presets"), with every bandwidth named by its convention.
// Datasheet figures are dense (no 2:4 sparsity). The only place that converts conventions is `linkRates`.

import { InputError } from "../errors.ts";

/** A GPU as the step model sees it. Field names carry the unit and, for links, the direction convention. */
export interface GpuSpec {
  readonly id: string;
  /** Dense BF16 (FP16 where the GPU has no BF16) tensor-core peak, TFLOP/s. */
  readonly peakTflopsBf16: number;
  /** Dense FP8 tensor-core peak, TFLOP/s; null when the GPU has no FP8 tensor cores. */
  readonly peakTflopsFp8: number | null;
  /** True when the tensor cores take BF16 (V100 takes FP16 only). */
  readonly hasBf16: boolean;
  /** HBM capacity in GiB. Vendors' "80 GB" HBM is binary: nvidia-smi reports 81,920 MiB for the A100/H100 80GB. */
  readonly hbmGiB: number;
  /** HBM bandwidth, decimal TB/s (10^12 B/s). */
  readonly hbmTBps: number;
  /** GPUs in one scale-up (NVLink / Infinity Fabric) domain: 8 for HGX boards, 72 for NVL72 racks. */
  readonly scaleUpDomain: number;
  /** Datasheet scale-up bandwidth per GPU, BOTH directions together, GB/s (H100: 900 = 450 each way). */
  readonly scaleUpGBpsBidirectional: number;
  /** Scale-out NIC line rate per GPU, ONE direction, GB/s (400 Gb/s = 50 GB/s). */
  readonly scaleOutGBpsPerDirection: number;
  /** Start-up latency of one collective step inside the scale-up domain, µs. */
  readonly scaleUpLatencyUs: number;
  /** Start-up latency of one collective step across the scale-out network, µs. */
  readonly scaleOutLatencyUs: number;
}

// Latencies: one ring step of NCCL over NVLink costs a few µs and over InfiniBand/RoCE roughly 5-10 µs
// (order of magnitude of nccl-tests small-message timings on DGX A100/H100). They matter only for tiny messages.
const NVLINK_LATENCY_US = 3;
const IB_LATENCY_US = 8;

function preset(
  id: string,
  bf16: number,
  fp8: number | null,
  hbmGiB: number,
  hbmTBps: number,
  domain: number,
  upBidir: number,
  outPerDir: number,
  hasBf16 = true,
): GpuSpec {
  return {
    id,
    peakTflopsBf16: bf16,
    peakTflopsFp8: fp8,
    hasBf16,
    hbmGiB,
    hbmTBps,
    scaleUpDomain: domain,
    scaleUpGBpsBidirectional: upBidir,
    scaleOutGBpsPerDirection: outPerDir,
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
  };
}

/** The table of run-config.md, row by row (vendor datasheets: V100, A100, H100/H800/H200, B200, GB200/GB300 NVL72, MI300X). */
export const GPU_PRESETS: Readonly<Record<string, GpuSpec>> = {
  "v100-sxm2": preset("v100-sxm2", 125, null, 32, 0.9, 8, 300, 6.25, false),
  "a100-sxm-40gb": preset("a100-sxm-40gb", 312, null, 40, 1.555, 8, 600, 25),
  "a100-sxm-80gb": preset("a100-sxm-80gb", 312, null, 80, 2.039, 8, 600, 25),
  "h100-sxm": preset("h100-sxm", 989, 1979, 80, 3.35, 8, 900, 50),
  "h800-sxm": preset("h800-sxm", 989, 1979, 80, 3.35, 8, 400, 50),
  "h200-sxm": preset("h200-sxm", 989, 1979, 141, 4.8, 8, 900, 50),
  b200: preset("b200", 2250, 4500, 180, 8.0, 8, 1800, 50),
  gb200: preset("gb200", 2450, 4900, 186, 8.0, 72, 1800, 50),
  gb300: preset("gb300", 2450, 4900, 288, 8.0, 72, 1800, 100),
  mi300x: preset("mi300x", 1307, 2615, 192, 5.3, 8, 896, 50),
};

export const GPU_PRESET_IDS: readonly string[] = Object.keys(GPU_PRESETS);

/** The preset with this id, or undefined (own keys only: "toString" is not a GPU). */
export function findRunGpuPreset(id: string): GpuSpec | undefined {
  return Object.hasOwn(GPU_PRESETS, id) ? GPU_PRESETS[id] : undefined;
}

/** Per-direction link rates in bytes/s: the one place where datasheet conventions are converted. */
export interface LinkRates {
  readonly scaleUpBytesPerSecond: number;
  readonly scaleOutBytesPerSecond: number;
  readonly scaleUpLatencySeconds: number;
  readonly scaleOutLatencySeconds: number;
}

export function linkRates(gpu: GpuSpec): LinkRates {
  return {
    // Bidirectional total → one direction: halve. A ring collective sends and receives at once, so its
    // per-GPU rate is the one-way figure.
    scaleUpBytesPerSecond: (gpu.scaleUpGBpsBidirectional / 2) * 1e9,
    // Already one direction.
    scaleOutBytesPerSecond: gpu.scaleOutGBpsPerDirection * 1e9,
    scaleUpLatencySeconds: gpu.scaleUpLatencyUs * 1e-6,
    scaleOutLatencySeconds: gpu.scaleOutLatencyUs * 1e-6,
  };
}

/** Field names a custom GPU object (inline or from a file) may carry. */
export const GPU_FIELDS = [
  "id",
  "preset",
  "peakTflopsBf16",
  "peakTflopsFp8",
  "hasBf16",
  "hbmGiB",
  "hbmTBps",
  "scaleUpDomain",
  "scaleUpGBpsBidirectional",
  "scaleOutGBpsPerDirection",
  "scaleUpLatencyUs",
  "scaleOutLatencyUs",
] as const;

/** A custom GPU: `preset` names a base to override field by field; without it every figure must be given. */
export type GpuOverride = { readonly preset?: string | undefined; readonly id?: string | undefined } & {
  readonly [K in Exclude<(typeof GPU_FIELDS)[number], "id" | "preset">]?: GpuSpec[K] | undefined;
};

/** Resolves a preset id or a custom/overridden GPU object to a full GpuSpec. `field` names it in errors. */
export function resolveGpu(gpu: string | GpuOverride, field = "hardware.gpu"): GpuSpec {
  if (typeof gpu === "string") {
    const found = findRunGpuPreset(gpu);
    if (!found) throw new InputError(field, gpu, `one of ${GPU_PRESET_IDS.join(", ")}, or a GPU object`);
    return found;
  }
  let base: GpuSpec | undefined;
  if (gpu.preset !== undefined) {
    base = findRunGpuPreset(gpu.preset);
    if (!base) throw new InputError(`${field}.preset`, gpu.preset, `one of ${GPU_PRESET_IDS.join(", ")}`);
  }
  const pick = <K extends keyof GpuSpec>(key: K, fallback?: GpuSpec[K]): GpuSpec[K] => {
    const v = (gpu as Record<string, unknown>)[key];
    if (v !== undefined) return v as GpuSpec[K];
    if (base) return base[key];
    if (fallback !== undefined) return fallback;
    throw new InputError(`${field}.${key}`, undefined, "a value (or `preset` to start from a preset GPU)");
  };
  return {
    id: gpu.id ?? (base ? `${base.id}-custom` : "custom"),
    peakTflopsBf16: pick("peakTflopsBf16"),
    peakTflopsFp8: pick("peakTflopsFp8", null),
    hasBf16: pick("hasBf16", true),
    hbmGiB: pick("hbmGiB"),
    hbmTBps: pick("hbmTBps"),
    scaleUpDomain: pick("scaleUpDomain"),
    scaleUpGBpsBidirectional: pick("scaleUpGBpsBidirectional"),
    scaleOutGBpsPerDirection: pick("scaleOutGBpsPerDirection"),
    scaleUpLatencyUs: pick("scaleUpLatencyUs", NVLINK_LATENCY_US),
    scaleOutLatencyUs: pick("scaleOutLatencyUs", IB_LATENCY_US),
  };
}
