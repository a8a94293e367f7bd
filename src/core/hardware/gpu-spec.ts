// What a GPU product is, as the rest of scaleplan reads it (shared/specs/run-config.md "GPU presets",
// "Hardware as run"). Field names carry the unit and, for links, the direction convention; the data-movement
// model's micro-architecture (spec data-movement-model.md §1.2) is a separate type in ./microarchitecture.ts.
import type { DataMovementFigures } from "./microarchitecture.ts";

/** The figures of one GPU that the step model and the planner read. A custom GPU has exactly these fields. */
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
  /** GPU ↔ host memory link, ONE direction, GB/s: PCIe x16 (Gen3 16, Gen4 32, Gen5 64) or NVLink-C2C. */
  readonly hostLinkGBpsPerDirection: number;
}

/** A public price for one GPU-hour, with where and when it was seen. */
export interface GpuPrice {
  readonly usdPerGpuHour: number;
  /** Provider and page (or the article that quotes them), and what the figure is (on-demand, typical range). */
  readonly source: string;
  /** When the source published the price (ISO date or month). */
  readonly date: string;
}

/** One product of the catalogue: the step model's figures plus what a planner needs, each with a source. */
export interface GpuProduct extends GpuSpec {
  readonly name: string;
  /** Board power (TDP) from the vendor datasheet, W. */
  readonly boardPowerWatts: number;
  readonly price: GpuPrice;
  /**
   * The data-movement model's figures (micro-architecture and the reference network of the system the GPU
   * ships in), or null when no public source gives them (then `limits` cannot analyse this GPU).
   */
  readonly dataMovement: DataMovementFigures | null;
}
