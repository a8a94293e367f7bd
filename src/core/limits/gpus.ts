// GPU and network presets of the data-movement model (Erdil & Schneider-Joseph 2024), spec §1.2–§1.3.
// Values are those of the authors' code (GitHub ege-erdil/limits_to_distributed_training @ b1f771c,
// gpu/gpu_model.py), which cites NVIDIA datasheets/whitepapers and chipsandcheese's L2 profiling.

/**
 * A hierarchical network (spec §2.5). `levelSizes[i]` is how many units of level i−1 (level −1 = one GPU)
 * one unit of level i groups, as in the reference's `level_sizes`: (8,) is an 8-GPU NVLink node with the
 * scale-out network above it. The last level (index levelSizes.length) is unbounded. Bandwidths are
 * bidirectional per GPU (B/s); latencies are per hop (s). Both arrays have levelSizes.length + 1 entries.
 */
export interface NetworkSpec {
  readonly levelSizes: readonly number[];
  readonly bandwidthsBps: readonly number[];
  readonly latenciesS: readonly number[];
}

/** One GPU as the model sees it (spec §1.2). All fields are plain numbers so scenarios can define their own. */
export interface GpuSpec {
  readonly id: string;
  readonly name: string;
  /** Word width used for training, bits (16 everywhere in the paper). */
  readonly bitwidth: number;
  /** Dense FLOP per clock per "thread" at that width; threads = 128 per SM. */
  readonly flopPerClockPerThread: number;
  readonly registerBytesPerProcessingBlock: number;
  readonly numSms: number;
  /**
   * SMs that set the FLOP rate and the shared-memory bandwidth; defaults to numSms. Only the Superpod
   * Singleton preset differs: the reference builds it by deep-copying an H100 and multiplying num_sms after
   * construction, so its FLOP rate and shared-memory bandwidth stay those of one H100 (reference behaviour kept).
   */
  readonly computeSms?: number;
  readonly l2Bps: number;
  readonly l2Bytes: number;
  /** Global memory (HBM) bandwidth, B/s. */
  readonly hbmBps: number;
  readonly maxClockHz: number;
  /** Sustained fraction of peak on long runs of big matmuls: modelled as a lower clock (spec §1.2 note b). */
  readonly effectiveUtilization: number;
  /** Hopper distributed shared memory between SMs. */
  readonly dsmem: boolean;
  /** HBM capacity, bytes. */
  readonly memoryBytes: number;
  /** Fixed latency of every matmul kernel, s. */
  readonly matmulLatencyS: number;
  readonly network: NetworkSpec;
}

/** Quantities derived once from a GpuSpec, exactly as the reference's GPU constructor derives them. */
export interface DerivedGpu {
  readonly spec: GpuSpec;
  readonly bytesPerWord: number;
  readonly clockHz: number;
  /** Effective (sustained) FLOP/s = FLOP/clk/thread · threads · effective clock. */
  readonly flopPerS: number;
  /** Peak FLOP/s at the max clock: the denominator of utilization. */
  readonly peakFlopPerS: number;
  readonly sharedBps: number;
  readonly usefulL2Bytes: number;
  readonly usefulRegisterBytesPerBlock: number;
  /** The MFU ceiling, computed as clock/max clock like the reference (equals effectiveUtilization up to rounding). */
  readonly ceiling: number;
}

const KI = 1024;
const MI = 1024 * 1024;

export function deriveGpu(spec: GpuSpec): DerivedGpu {
  const clockHz = spec.maxClockHz * spec.effectiveUtilization;
  const rateSms = spec.computeSms ?? spec.numSms;
  const threads = 128 * rateSms;
  return {
    spec,
    bytesPerWord: spec.bitwidth / 8,
    clockHz,
    flopPerS: spec.flopPerClockPerThread * threads * clockHz,
    peakFlopPerS: spec.flopPerClockPerThread * threads * spec.maxClockHz,
    // 32 banks per SM, 4 bytes per cycle per bank.
    sharedBps: 32 * 4 * rateSms * clockHz,
    // Only 75 % of L2 and of the register file is usable for tiles (reference gpu_model.py).
    usefulL2Bytes: 0.75 * spec.l2Bytes,
    usefulRegisterBytesPerBlock: 0.75 * spec.registerBytesPerProcessingBlock,
    ceiling: clockHz / spec.maxClockHz,
  };
}

// Shared per-hop network latency of every level: 1.125 µs (reduced from 5 µs on 2024-10-17 "to match paper").
const HOP_LATENCY_S = 1.125e-6;
const KERNEL_LATENCY_S = 4.5e-6;

const V100_SXM: GpuSpec = {
  id: "v100-sxm",
  name: "V100 SXM",
  bitwidth: 16,
  flopPerClockPerThread: 8,
  registerBytesPerProcessingBlock: 64 * KI,
  numSms: 80,
  l2Bps: 2155e9,
  l2Bytes: 6 * MI,
  hbmBps: 900e9,
  maxClockHz: 1533e6,
  effectiveUtilization: 0.9,
  dsmem: false,
  memoryBytes: 3.2e10,
  matmulLatencyS: KERNEL_LATENCY_S,
  // NVLink 300 GB/s; 4×100 Gb/s EDR IB per DGX-1 → 12.5 GB/s bidirectional per GPU (DGX-1 V100 whitepaper).
  network: { levelSizes: [8], bandwidthsBps: [3e11, 1.25e10], latenciesS: [HOP_LATENCY_S, HOP_LATENCY_S] },
};

const A100_SXM: GpuSpec = {
  id: "a100-sxm",
  name: "A100 SXM",
  bitwidth: 16,
  flopPerClockPerThread: 16,
  registerBytesPerProcessingBlock: 64 * KI,
  numSms: 108,
  l2Bps: 5603e9, // profiled by chipsandcheese (2023)
  l2Bytes: 40 * MI,
  hbmBps: 1555e9,
  maxClockHz: 1410e6,
  effectiveUtilization: 0.85,
  dsmem: false,
  memoryBytes: 4e10,
  matmulLatencyS: KERNEL_LATENCY_S,
  // NVLink 600 GB/s; 8×200 Gb/s ConnectX-6 per DGX A100 → 50 GB/s bidirectional per GPU.
  network: { levelSizes: [8], bandwidthsBps: [6e11, 5e10], latenciesS: [HOP_LATENCY_S, HOP_LATENCY_S] },
};

const H100_PCIE: GpuSpec = {
  id: "h100-pcie",
  name: "H100 PCIe",
  bitwidth: 16,
  flopPerClockPerThread: 32,
  registerBytesPerProcessingBlock: 64 * KI,
  numSms: 114,
  l2Bps: 5563e9,
  l2Bytes: 50 * MI,
  hbmBps: 2039e9,
  maxClockHz: 1620e6,
  effectiveUtilization: 0.55,
  dsmem: true,
  memoryBytes: 8e10,
  matmulLatencyS: KERNEL_LATENCY_S,
  // No standard PCIe system: the reference assumes DGX H100 interconnects.
  network: { levelSizes: [8], bandwidthsBps: [9e11, 1e11], latenciesS: [HOP_LATENCY_S, HOP_LATENCY_S] },
};

const H100_SXM: GpuSpec = {
  id: "h100-sxm",
  name: "H100 SXM",
  bitwidth: 16,
  flopPerClockPerThread: 32,
  registerBytesPerProcessingBlock: 64 * KI,
  numSms: 132,
  l2Bps: 6441e9, // the PCIe figure scaled by SM count (reference comment)
  l2Bytes: 50 * MI,
  hbmBps: 3352e9,
  maxClockHz: 1830e6,
  effectiveUtilization: 0.7,
  dsmem: true,
  memoryBytes: 8e10,
  matmulLatencyS: KERNEL_LATENCY_S,
  // NVLink 900 GB/s; 8×400 Gb/s ConnectX-7 per DGX H100 → 100 GB/s bidirectional per GPU (H100 whitepaper).
  network: { levelSizes: [8], bandwidthsBps: [9e11, 1e11], latenciesS: [HOP_LATENCY_S, HOP_LATENCY_S] },
};

// Counterfactual variants (spec §1.3), built the way the reference builds them from H100 SXM.
const H100_LOW_LATENCY: GpuSpec = {
  ...H100_SXM,
  id: "h100-sxm-low-latency",
  name: "H100 SXM Low Latency",
  matmulLatencyS: KERNEL_LATENCY_S / 10,
  network: { ...H100_SXM.network, latenciesS: [HOP_LATENCY_S / 10, HOP_LATENCY_S / 10] },
};

const H100_GLOBAL_NVLINK: GpuSpec = {
  ...H100_SXM,
  id: "h100-sxm-global-nvlink",
  name: "H100 SXM Global NVLink",
  network: { levelSizes: [], bandwidthsBps: [9e11], latenciesS: [HOP_LATENCY_S] },
};

const H100_GLOBAL_NVLINK_LL: GpuSpec = {
  ...H100_SXM,
  id: "h100-sxm-global-nvlink-low-latency",
  name: "H100 SXM Global NVLink and LL",
  matmulLatencyS: KERNEL_LATENCY_S / 10,
  network: { levelSizes: [], bandwidthsBps: [9e11], latenciesS: [HOP_LATENCY_S / 10] },
};

const H100_INFINITE_NETWORK_LL: GpuSpec = {
  ...H100_GLOBAL_NVLINK_LL,
  id: "h100-sxm-infinite-network-low-latency",
  name: "H100 SXM Infinite Network and LL",
  network: { levelSizes: [], bandwidthsBps: [Number.POSITIVE_INFINITY], latenciesS: [HOP_LATENCY_S / 10] },
};

const H100_SUPERPOD: GpuSpec = {
  ...H100_SXM,
  id: "h100-sxm-superpod",
  name: "H100 SXM Superpod",
  // 8-GPU node, 32 nodes per 256-GPU NVLink domain at 450 GB/s, then InfiniBand.
  network: { levelSizes: [8, 32], bandwidthsBps: [9e11, 4.5e11, 1e11], latenciesS: [HOP_LATENCY_S, HOP_LATENCY_S, HOP_LATENCY_S] },
};

// The reference's "H100 SXM Superpod ZL": the low-latency variant with a flat 256-GPU first level.
const H100_SUPERPOD_LL: GpuSpec = {
  ...H100_LOW_LATENCY,
  id: "h100-sxm-superpod-low-latency",
  name: "H100 SXM Superpod ZL",
  network: { ...H100_LOW_LATENCY.network, levelSizes: [256] },
};

const H100_SUPERPOD_SINGLETON: GpuSpec = {
  ...H100_SXM,
  id: "h100-sxm-superpod-singleton",
  name: "H100 SXM Superpod Singleton",
  numSms: H100_SXM.numSms * 256,
  computeSms: H100_SXM.numSms, // see GpuSpec.computeSms: the reference's derived rates stay those of one H100
  l2Bps: H100_SXM.l2Bps * 256,
  hbmBps: H100_SXM.hbmBps * 256,
  memoryBytes: H100_SXM.memoryBytes * 256,
  network: { levelSizes: [], bandwidthsBps: [5e10 * 256], latenciesS: [HOP_LATENCY_S] },
};

export const GPU_PRESETS: readonly GpuSpec[] = [
  V100_SXM,
  A100_SXM,
  H100_PCIE,
  H100_SXM,
  H100_LOW_LATENCY,
  H100_GLOBAL_NVLINK,
  H100_GLOBAL_NVLINK_LL,
  H100_INFINITE_NETWORK_LL,
  H100_SUPERPOD,
  H100_SUPERPOD_LL,
  H100_SUPERPOD_SINGLETON,
];

export const GPU_PRESET_IDS: readonly string[] = GPU_PRESETS.map((g) => g.id);

/** The preset with this id, or undefined. */
export function findGpuPreset(id: string): GpuSpec | undefined {
  return GPU_PRESETS.find((g) => g.id === id);
}

/**
 * Adds a datacenter level above the top of the network (multi-datacenter training, spec §1.3/§4): datacenters of
 * `datacenterSize` GPUs joined at `bandwidthBps` (bidirectional per GPU) and `latencyS` per hop, as the reference's
 * April-2024 "H100 SXM Datacenter" variant did (level sizes (8, 4096) for 32 768-GPU datacenters, 1 GB/s, 1 ms).
 * `datacenterSize` must be a multiple of the GPUs in one unit of the current top bounded level.
 */
export function withDatacenterLevel(network: NetworkSpec, datacenterSize: number, bandwidthBps: number, latencyS: number): NetworkSpec {
  const below = network.levelSizes.reduce((a, b) => a * b, 1);
  return {
    levelSizes: [...network.levelSizes, datacenterSize / below],
    bandwidthsBps: [...network.bandwidthsBps, bandwidthBps],
    latenciesS: [...network.latenciesS, latencyS],
  };
}
