// A custom GPU for the step model (run-config.md "Hardware as run"): a catalogue product overridden field by field,
// or a GPU given in full. Data files record the hardware a run actually ran on this way.
import { InputError } from "../errors.ts";
import { IB_LATENCY_US, NVLINK_LATENCY_US } from "./catalogue.ts";
import type { GpuSpec } from "./gpu-spec.ts";
import { findGpu, gpuIdsAndAliases } from "./lookup.ts";

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
  "hostLinkGBpsPerDirection",
] as const;

/** A custom GPU: `preset` names a catalogue product to override field by field; without it every figure must be given. */
export type GpuOverride = { readonly preset?: string | undefined; readonly id?: string | undefined } & {
  readonly [K in Exclude<(typeof GPU_FIELDS)[number], "id" | "preset">]?: GpuSpec[K] | undefined;
};

/** PCIe Gen5 x16, one direction (H100/B200/MI300X datasheets: 128 GB/s both ways): a GPU given in full without a host link. */
const DEFAULT_HOST_LINK_GBPS_PER_DIRECTION = 64;

/** The step model's figures of a product (its GpuSpec fields only). */
export function gpuSpecOf(gpu: GpuSpec): GpuSpec {
  return {
    id: gpu.id,
    peakTflopsBf16: gpu.peakTflopsBf16,
    peakTflopsFp8: gpu.peakTflopsFp8,
    hasBf16: gpu.hasBf16,
    hbmGiB: gpu.hbmGiB,
    hbmTBps: gpu.hbmTBps,
    scaleUpDomain: gpu.scaleUpDomain,
    scaleUpGBpsBidirectional: gpu.scaleUpGBpsBidirectional,
    scaleOutGBpsPerDirection: gpu.scaleOutGBpsPerDirection,
    scaleUpLatencyUs: gpu.scaleUpLatencyUs,
    scaleOutLatencyUs: gpu.scaleOutLatencyUs,
    hostLinkGBpsPerDirection: gpu.hostLinkGBpsPerDirection,
  };
}

/** Resolves a catalogue id (or alias) or a custom/overridden GPU object to a full GpuSpec. `field` names it in errors. */
export function resolveGpu(gpu: string | GpuOverride, field = "hardware.gpu"): GpuSpec {
  if (typeof gpu === "string") {
    const found = findGpu(gpu);
    if (!found) throw new InputError(field, gpu, `one of ${gpuIdsAndAliases()}, or a GPU object`);
    return gpuSpecOf(found);
  }
  let base: GpuSpec | undefined;
  if (gpu.preset !== undefined) {
    base = findGpu(gpu.preset);
    if (!base) throw new InputError(`${field}.preset`, gpu.preset, `one of ${gpuIdsAndAliases()}`);
  }
  const pick = <K extends keyof GpuSpec>(key: K, fallback?: GpuSpec[K]): GpuSpec[K] => {
    const v = Object.hasOwn(gpu, key) ? (gpu as Record<string, unknown>)[key] : undefined;
    if (v !== undefined) return v as GpuSpec[K];
    if (base) return base[key];
    if (fallback !== undefined) return fallback;
    throw new InputError(`${field}.${key}`, undefined, "a value (or `preset` to start from a catalogue GPU)");
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
    hostLinkGBpsPerDirection: pick("hostLinkGBpsPerDirection", DEFAULT_HOST_LINK_GBPS_PER_DIRECTION),
  };
}
