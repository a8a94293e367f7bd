// Hypothetical hardware of the data-movement reference (spec data-movement-model.md §1.3: "what would help"),
// each built from the H100 SXM exactly as the reference's gpu/gpu_model.py builds it. Not products: only the
// data-movement model (`limits`) knows them, under the reference's ids and names.
import { GPU_CATALOGUE, REFERENCE_HOP_LATENCY_S, REFERENCE_KERNEL_LATENCY_S } from "./catalogue.ts";
import type { DataMovementGpu } from "./microarchitecture.ts";

const H100_SXM: DataMovementGpu = { id: "h100-sxm", name: "H100 SXM", ...GPU_CATALOGUE.find((g) => g.id === "h100-sxm")!.dataMovement! };

const H100_LOW_LATENCY: DataMovementGpu = {
  ...H100_SXM,
  id: "h100-sxm-low-latency",
  name: "H100 SXM Low Latency",
  matmulLatencyS: REFERENCE_KERNEL_LATENCY_S / 10,
  network: { ...H100_SXM.network, latenciesS: [REFERENCE_HOP_LATENCY_S / 10, REFERENCE_HOP_LATENCY_S / 10] },
};

const H100_GLOBAL_NVLINK: DataMovementGpu = {
  ...H100_SXM,
  id: "h100-sxm-global-nvlink",
  name: "H100 SXM Global NVLink",
  network: { levelSizes: [], bandwidthsBps: [9e11], latenciesS: [REFERENCE_HOP_LATENCY_S] },
};

const H100_GLOBAL_NVLINK_LL: DataMovementGpu = {
  ...H100_SXM,
  id: "h100-sxm-global-nvlink-low-latency",
  name: "H100 SXM Global NVLink and LL",
  matmulLatencyS: REFERENCE_KERNEL_LATENCY_S / 10,
  network: { levelSizes: [], bandwidthsBps: [9e11], latenciesS: [REFERENCE_HOP_LATENCY_S / 10] },
};

const H100_INFINITE_NETWORK_LL: DataMovementGpu = {
  ...H100_GLOBAL_NVLINK_LL,
  id: "h100-sxm-infinite-network-low-latency",
  name: "H100 SXM Infinite Network and LL",
  network: { levelSizes: [], bandwidthsBps: [Number.POSITIVE_INFINITY], latenciesS: [REFERENCE_HOP_LATENCY_S / 10] },
};

const H100_SUPERPOD: DataMovementGpu = {
  ...H100_SXM,
  id: "h100-sxm-superpod",
  name: "H100 SXM Superpod",
  // 8-GPU node, 32 nodes per 256-GPU NVLink domain at 450 GB/s, then InfiniBand.
  network: { levelSizes: [8, 32], bandwidthsBps: [9e11, 4.5e11, 1e11], latenciesS: [REFERENCE_HOP_LATENCY_S, REFERENCE_HOP_LATENCY_S, REFERENCE_HOP_LATENCY_S] },
};

// The reference's "H100 SXM Superpod ZL": the low-latency variant with a flat 256-GPU first level.
const H100_SUPERPOD_LL: DataMovementGpu = {
  ...H100_LOW_LATENCY,
  id: "h100-sxm-superpod-low-latency",
  name: "H100 SXM Superpod ZL",
  network: { ...H100_LOW_LATENCY.network, levelSizes: [256] },
};

const H100_SUPERPOD_SINGLETON: DataMovementGpu = {
  ...H100_SXM,
  id: "h100-sxm-superpod-singleton",
  name: "H100 SXM Superpod Singleton",
  numSms: H100_SXM.numSms * 256,
  computeSms: H100_SXM.numSms, // see GpuMicroarchitecture.computeSms: the reference's derived rates stay those of one H100
  l2Bps: H100_SXM.l2Bps * 256,
  hbmBps: H100_SXM.hbmBps * 256,
  memoryBytes: H100_SXM.memoryBytes * 256,
  network: { levelSizes: [], bandwidthsBps: [5e10 * 256], latenciesS: [REFERENCE_HOP_LATENCY_S] },
};

export const COUNTERFACTUAL_SYSTEMS: readonly DataMovementGpu[] = [
  H100_LOW_LATENCY,
  H100_GLOBAL_NVLINK,
  H100_GLOBAL_NVLINK_LL,
  H100_INFINITE_NETWORK_LL,
  H100_SUPERPOD,
  H100_SUPERPOD_LL,
  H100_SUPERPOD_SINGLETON,
];
