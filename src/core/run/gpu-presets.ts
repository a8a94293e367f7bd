// The step model's link rates: the one place where the datasheet conventions of a GPU's links (src/core/hardware)
// are converted into per-direction rates.
import type { GpuSpec } from "../hardware/gpu-spec.ts";

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
