// The GPU catalogue: one entry per product, keyed by the ids of shared/specs/run-config.md ("GPU presets").
// Each figure names its source. Datasheet compute figures are dense (no 2:4 sparsity). The `dataMovement`
// figures of V100/A100/H100 are exactly those of the data-movement reference (ege-erdil/limits_to_distributed_training
// @ b1f771c, gpu/gpu_model.py; spec data-movement-model.md §1.2), so its golden reproductions hold bit for bit;
// those of H200, B200, GB200 and MI300X are added from public datasheets, whitepapers and measurements.
import type { GpuProduct } from "./gpu-spec.ts";
import type { DataMovementFigures } from "./microarchitecture.ts";

const KI = 1024;
const MI = 1024 * 1024;
const GI = 1024 * 1024 * 1024;

// --- Constants of the data-movement reference (gpu/gpu_model.py) ---------------------------------------------
/** Per-hop network latency of every level: 1.125 µs (cut from 5 µs on 2024-10-17 "to match paper"; spec §1.2 a). */
export const REFERENCE_HOP_LATENCY_S = 1.125e-6;
/** Fixed latency of every matmul kernel (spec §2.3). Used unchanged for the GPUs added here: no public per-GPU figure. */
export const REFERENCE_KERNEL_LATENCY_S = 4.5e-6;

// --- Constants of the step model (run-config.md) -----------------------------------------------------------
// Latencies: one ring step of NCCL over NVLink costs a few µs and over InfiniBand/RoCE roughly 5-10 µs
// (order of magnitude of nccl-tests small-message timings on DGX A100/H100). They matter only for tiny messages.
export const NVLINK_LATENCY_US = 3;
export const IB_LATENCY_US = 8;

// Host links, one direction (PCI-SIG line rates as the NVIDIA/AMD datasheets quote them, both directions halved):
// PCIe Gen3 x16 32 GB/s (V100 datasheet), Gen4 x16 64 GB/s (A100 datasheet), Gen5 x16 128 GB/s (H100, H200,
// B200, MI300X datasheets).
const PCIE_GEN3_X16 = 16;
const PCIE_GEN4_X16 = 32;
const PCIE_GEN5_X16 = 64;
/** Grace ↔ Blackwell NVLink-C2C, 900 GB/s bidirectional (NVIDIA GB200 NVL72 datasheet), halved. */
const NVLINK_C2C = 450;

/**
 * The clock at which a datasheet dense peak is reached, given FLOP/clk/thread and SMs (threads = 128 per SM):
 * how the figures of the GPUs added here are made consistent with the reference's peak = FLOP/clk·threads·clock.
 */
function clockAtPeak(peakFlopPerS: number, flopPerClockPerThread: number, sms: number): number {
  return peakFlopPerS / (flopPerClockPerThread * 128 * sms);
}

// --- Data-movement figures ---------------------------------------------------------------------------------
const V100_DATA_MOVEMENT: DataMovementFigures = {
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
  matmulLatencyS: REFERENCE_KERNEL_LATENCY_S,
  // NVLink 300 GB/s; 4×100 Gb/s EDR IB per DGX-1 → 12.5 GB/s bidirectional per GPU (DGX-1 V100 whitepaper).
  network: { levelSizes: [8], bandwidthsBps: [3e11, 1.25e10], latenciesS: [REFERENCE_HOP_LATENCY_S, REFERENCE_HOP_LATENCY_S] },
};

const A100_40GB_DATA_MOVEMENT: DataMovementFigures = {
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
  matmulLatencyS: REFERENCE_KERNEL_LATENCY_S,
  // NVLink 600 GB/s; 8×200 Gb/s ConnectX-6 per DGX A100 → 50 GB/s bidirectional per GPU.
  network: { levelSizes: [8], bandwidthsBps: [6e11, 5e10], latenciesS: [REFERENCE_HOP_LATENCY_S, REFERENCE_HOP_LATENCY_S] },
};

/** The A100 80GB: the same silicon; HBM2e at 2039 GB/s and 80 GB (NVIDIA A100 datasheet), counted as the reference counts the H100's 80 GB. */
const A100_80GB_DATA_MOVEMENT: DataMovementFigures = { ...A100_40GB_DATA_MOVEMENT, hbmBps: 2039e9, memoryBytes: 8e10 };

const H100_PCIE_DATA_MOVEMENT: DataMovementFigures = {
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
  matmulLatencyS: REFERENCE_KERNEL_LATENCY_S,
  // No standard PCIe system: the reference assumes DGX H100 interconnects (kept for its reproductions).
  network: { levelSizes: [8], bandwidthsBps: [9e11, 1e11], latenciesS: [REFERENCE_HOP_LATENCY_S, REFERENCE_HOP_LATENCY_S] },
};

const H100_SXM_DATA_MOVEMENT: DataMovementFigures = {
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
  matmulLatencyS: REFERENCE_KERNEL_LATENCY_S,
  // NVLink 900 GB/s; 8×400 Gb/s ConnectX-7 per DGX H100 → 100 GB/s bidirectional per GPU (H100 whitepaper).
  network: { levelSizes: [8], bandwidthsBps: [9e11, 1e11], latenciesS: [REFERENCE_HOP_LATENCY_S, REFERENCE_HOP_LATENCY_S] },
};

/** H800: the H100 SXM with NVLink cut to 400 GB/s (NVIDIA H800 product brief); the rest of the HGX board as the H100's. */
const H800_SXM_DATA_MOVEMENT: DataMovementFigures = {
  ...H100_SXM_DATA_MOVEMENT,
  network: { levelSizes: [8], bandwidthsBps: [4e11, 1e11], latenciesS: [REFERENCE_HOP_LATENCY_S, REFERENCE_HOP_LATENCY_S] },
};

/**
 * H200: the H100 SXM's GH100 die, SM count, clocks and 50 MiB L2 (NVIDIA H200 datasheet: "same Hopper
 * architecture", 989 dense BF16 TFLOP/s like the H100), with 141 GB of HBM3e at 4.8 TB/s. The effective
 * utilization is the reference's H100 SXM value (same tensor cores and software).
 */
const H200_SXM_DATA_MOVEMENT: DataMovementFigures = {
  ...H100_SXM_DATA_MOVEMENT,
  hbmBps: 4.8e12,
  memoryBytes: 141 * GI,
};

// Blackwell B200 (HGX B200, 1000 W) and GB200 (NVL72, 1200 W): 148 SMs (2 dies × 74 enabled; chipsandcheese,
// "Nvidia's B200: Keeping the CUDA Juggernaut Rolling", 2025), 126 MB L2 (same article), thread block clusters
// with distributed shared memory (compute capability ≥ 9.0, CUDA C++ Programming Guide). FLOP/clk/thread 64 =
// twice Hopper's dense rate per SM: with 148 SMs it puts the datasheet peak (2250 dense BF16 TFLOP/s, HGX B200)
// at 1.86 GHz, "similar to the H100's SXM5 clocks" as chipsandcheese measured.
// Tile storage next to the tensor cores: 64 KiB of registers per SM sub-partition (64 K 32-bit registers per SM,
// compute capability 10.0, CUDA C++ Programming Guide) plus a quarter of the SM's 256 KiB Tensor Memory (128 lanes
// × 512 columns × 32 bit, PTX ISA "Tensor Memory"), where Blackwell's tensor cores keep their accumulators: the
// model's SM ↔ register hop (spec §2.3) carries the tiles held there. With registers alone, the model's shared
// memory (32 banks × 4 B per SM per clock, unchanged since Volta) would cap a big B200 matmul at 0.37 of peak.
const BLACKWELL_TILE_BYTES_PER_PROCESSING_BLOCK = 64 * KI + (128 * 512 * 4) / 4;
const BLACKWELL_SMS = 148;
const BLACKWELL_FLOP_PER_CLOCK_PER_THREAD = 64;
/**
 * No public B200 L2-bandwidth measurement was found (chipsandcheese reports L2 latency and capacity, not
 * bandwidth). The reference's own method (the PCIe figure scaled by SM count) would put it below the 8 TB/s of
 * HBM, which cannot be; so it keeps the H100 SXM ratio of L2 to HBM bandwidth (6441/3352 = 1.92). An assumption.
 */
const BLACKWELL_L2_TO_HBM_BANDWIDTH = 6441e9 / 3352e9;

const B200_DATA_MOVEMENT: DataMovementFigures = {
  bitwidth: 16,
  flopPerClockPerThread: BLACKWELL_FLOP_PER_CLOCK_PER_THREAD,
  registerBytesPerProcessingBlock: BLACKWELL_TILE_BYTES_PER_PROCESSING_BLOCK,
  numSms: BLACKWELL_SMS,
  l2Bps: 8e12 * BLACKWELL_L2_TO_HBM_BANDWIDTH,
  l2Bytes: 126 * MI,
  hbmBps: 8e12, // HGX B200 datasheet: 8 TB/s per GPU
  maxClockHz: clockAtPeak(2250e12, BLACKWELL_FLOP_PER_CLOCK_PER_THREAD, BLACKWELL_SMS),
  // No public long-run matmul ceiling for Blackwell was found: the reference's H100 SXM value is kept (assumption).
  effectiveUtilization: 0.7,
  dsmem: true,
  memoryBytes: 180 * GI,
  matmulLatencyS: REFERENCE_KERNEL_LATENCY_S,
  // HGX B200: 8 GPUs on NVLink 5 at 1800 GB/s; DGX B200: 8×400 Gb/s ConnectX-7 → 100 GB/s bidirectional per GPU.
  network: { levelSizes: [8], bandwidthsBps: [1.8e12, 1e11], latenciesS: [REFERENCE_HOP_LATENCY_S, REFERENCE_HOP_LATENCY_S] },
};

/** The largest power of two in an NVL72 rack's 72 GPUs. */
export const NVL72_GPUS_USED_BY_POWER_OF_TWO_CLUSTERS = 64;

/** GB200 NVL72: the B200 die at the NVL72's higher power (2450 dense BF16 TFLOP/s → 2.02 GHz), 186 GB, 72-GPU NVLink domain. */
const GB200_DATA_MOVEMENT: DataMovementFigures = {
  ...B200_DATA_MOVEMENT,
  maxClockHz: clockAtPeak(2450e12, BLACKWELL_FLOP_PER_CLOCK_PER_THREAD, BLACKWELL_SMS),
  memoryBytes: 186 * GI,
  // NVL72: 72 GPUs on NVLink 5 at 1800 GB/s (NVIDIA GB200 NVL72 datasheet); 400 Gb/s per GPU above the rack.
  // The model's clusters are powers of two and its network levels must tile them (clippedLevelSizes, where the
  // reference asserts), so a rack counts as a 64-GPU NVLink domain here: 64 of its 72 GPUs train, 8 stay spare.
  network: { levelSizes: [NVL72_GPUS_USED_BY_POWER_OF_TWO_CLUSTERS], bandwidthsBps: [1.8e12, 1e11], latenciesS: [REFERENCE_HOP_LATENCY_S, REFERENCE_HOP_LATENCY_S] },
};

/**
 * AMD Instinct MI300X (AMD CDNA 3 whitepaper and MI300X datasheet; ROCm docs "MI300 series microarchitecture"):
 * 304 compute units (8 XCDs × 38) at a 2100 MHz peak engine clock; 2048 dense BF16 FLOP/clk per CU = 16 per
 * "thread" of the model's 128 per SM, which gives the datasheet's 1307.4 TFLOP/s. Each CU's 4 SIMDs hold 128 KiB
 * of vector registers each (512 KiB per CU). The last shared cache level is the 256 MB Infinity Cache at
 * 17.2 TB/s peak (AMD, via ServeTheHome's MI300X launch coverage, 2023); the per-XCD 4 MB L2s sit between it and
 * the CUs. No DSMEM. Sustained matmul utilization ≈ 45 % of peak (SemiAnalysis, "MI300X vs H100 vs H200
 * Benchmark Part 1: Training", Dec 2024, as summarized by aiweekly.co): far below the H100's 0.70.
 */
const MI300X_DATA_MOVEMENT: DataMovementFigures = {
  bitwidth: 16,
  flopPerClockPerThread: 16,
  registerBytesPerProcessingBlock: 128 * KI,
  numSms: 304,
  l2Bps: 17.2e12,
  l2Bytes: 256 * MI,
  hbmBps: 5.3e12,
  maxClockHz: 2100e6,
  effectiveUtilization: 0.45,
  dsmem: false,
  memoryBytes: 192 * GI,
  matmulLatencyS: REFERENCE_KERNEL_LATENCY_S,
  // 8 GPUs fully connected by Infinity Fabric, 896 GB/s per GPU (MI300X datasheet); 400 Gb/s NIC per GPU.
  network: { levelSizes: [8], bandwidthsBps: [896e9, 1e11], latenciesS: [REFERENCE_HOP_LATENCY_S, REFERENCE_HOP_LATENCY_S] },
};

// --- Prices ---------------------------------------------------------------------------------------------------
// Public on-demand (or typical) cloud prices per GPU-hour; each names where it was seen and when it was published.
const SPHERON_2026_03 = "Spheron on-demand prices quoted in spheron.network/blog/nvidia-h200-vs-b200-vs-gb200";

// --- The catalogue -------------------------------------------------------------------------------------------
/**
 * Step-model figures of each row are those of run-config.md's preset table (vendor datasheets: V100, A100,
 * H100/H800/H200, B200, GB200/GB300 NVL72, MI300X), plus the H100 PCIe (NVIDIA H100 datasheet, PCIe column).
 */
export const GPU_CATALOGUE: readonly GpuProduct[] = [
  {
    id: "v100-sxm2",
    name: "V100 SXM2",
    peakTflopsBf16: 125, // FP16 tensor (no BF16), NVIDIA V100 datasheet
    peakTflopsFp8: null,
    hasBf16: false,
    hbmGiB: 32,
    hbmTBps: 0.9,
    scaleUpDomain: 8,
    scaleUpGBpsBidirectional: 300,
    scaleOutGBpsPerDirection: 6.25,
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
    hostLinkGBpsPerDirection: PCIE_GEN3_X16,
    boardPowerWatts: 300, // NVIDIA V100 datasheet, SXM2
    price: {
      usdPerGpuHour: 35.894 / 8,
      source: "AWS SageMaker on-demand ml.p3dn.24xlarge (8× V100-SXM2 32GB) $35.894/h ÷ 8, us-east-1 list as copied from aws.amazon.com/sagemaker/pricing into a public notes file; undated there",
      date: "seen 2026-12-06",
    },
    dataMovement: V100_DATA_MOVEMENT,
  },
  {
    id: "a100-sxm-40gb",
    name: "A100 SXM 40GB",
    peakTflopsBf16: 312, // NVIDIA A100 datasheet
    peakTflopsFp8: null,
    hasBf16: true,
    hbmGiB: 40,
    hbmTBps: 1.555,
    scaleUpDomain: 8,
    scaleUpGBpsBidirectional: 600,
    scaleOutGBpsPerDirection: 25,
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
    hostLinkGBpsPerDirection: PCIE_GEN4_X16,
    boardPowerWatts: 400, // NVIDIA A100 datasheet, SXM
    price: {
      usdPerGpuHour: 32.77 / 8,
      source: "AWS EC2 on-demand p4d.24xlarge (8× A100-SXM4 40GB) $32.77/h ÷ 8, US East, as quoted by xither.com (GPU compute costs: on-prem vs cloud vs spot)",
      date: "2024-Q2",
    },
    dataMovement: A100_40GB_DATA_MOVEMENT,
  },
  {
    id: "a100-sxm-80gb",
    name: "A100 SXM 80GB",
    peakTflopsBf16: 312,
    peakTflopsFp8: null,
    hasBf16: true,
    hbmGiB: 80,
    hbmTBps: 2.039,
    scaleUpDomain: 8,
    scaleUpGBpsBidirectional: 600,
    scaleOutGBpsPerDirection: 25,
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
    hostLinkGBpsPerDirection: PCIE_GEN4_X16,
    boardPowerWatts: 400, // NVIDIA A100 datasheet, SXM
    price: {
      usdPerGpuHour: 1.99,
      source: "midpoint of the typical on-demand range $1.49-2.49 (Lambda, CoreWeave, vast.ai, RunPod) in pricegpu.pages.dev/blog/h100-vs-a100-cloud-price",
      date: "2026-early",
    },
    dataMovement: A100_80GB_DATA_MOVEMENT,
  },
  {
    id: "h100-sxm",
    name: "H100 SXM",
    peakTflopsBf16: 989, // NVIDIA H100 datasheet (sparsity figure halved)
    peakTflopsFp8: 1979,
    hasBf16: true,
    hbmGiB: 80,
    hbmTBps: 3.35,
    scaleUpDomain: 8,
    scaleUpGBpsBidirectional: 900,
    scaleOutGBpsPerDirection: 50,
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
    hostLinkGBpsPerDirection: PCIE_GEN5_X16,
    boardPowerWatts: 700, // NVIDIA H100 datasheet, SXM (up to 700 W)
    price: { usdPerGpuHour: 2.99, source: "Lambda on-demand H100 SXM, as quoted in cliffcenter.com/research/amd-inference-economics", date: "2026-05-18" },
    dataMovement: H100_SXM_DATA_MOVEMENT,
  },
  {
    id: "h100-pcie",
    name: "H100 PCIe",
    peakTflopsBf16: 756, // NVIDIA H100 datasheet, PCIe column (sparsity figure halved)
    peakTflopsFp8: 1513,
    hasBf16: true,
    hbmGiB: 80,
    hbmTBps: 2.0,
    // NVLink bridge joins pairs of H100 PCIe boards at 600 GB/s (NVIDIA H100 datasheet); one 400 Gb/s NIC per GPU.
    scaleUpDomain: 2,
    scaleUpGBpsBidirectional: 600,
    scaleOutGBpsPerDirection: 50,
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
    hostLinkGBpsPerDirection: PCIE_GEN5_X16,
    boardPowerWatts: 350, // NVIDIA H100 datasheet, PCIe (300-350 W)
    price: { usdPerGpuHour: 2.79, source: "RunPod Secure Cloud on-demand H100 80GB PCIe, as quoted in spheron.network/blog/runpod-h100-pricing-2026", date: "2026-05-22" },
    dataMovement: H100_PCIE_DATA_MOVEMENT,
  },
  {
    id: "h800-sxm",
    name: "H800 SXM",
    peakTflopsBf16: 989, // H100 compute (NVIDIA H800 product brief)
    peakTflopsFp8: 1979,
    hasBf16: true,
    hbmGiB: 80,
    hbmTBps: 3.35,
    scaleUpDomain: 8,
    scaleUpGBpsBidirectional: 400, // the export variant's NVLink
    scaleOutGBpsPerDirection: 50,
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
    hostLinkGBpsPerDirection: PCIE_GEN5_X16,
    boardPowerWatts: 700, // as the H100 SXM
    price: {
      usdPerGpuHour: 2.99,
      source: "no public on-demand listing found (export-market SKU); the H100 SXM price (Lambda, cliffcenter.com) stands in",
      date: "2026-05-18",
    },
    dataMovement: H800_SXM_DATA_MOVEMENT,
  },
  {
    id: "h200-sxm",
    name: "H200 SXM",
    peakTflopsBf16: 989, // NVIDIA H200 datasheet
    peakTflopsFp8: 1979,
    hasBf16: true,
    hbmGiB: 141,
    hbmTBps: 4.8,
    scaleUpDomain: 8,
    scaleUpGBpsBidirectional: 900,
    scaleOutGBpsPerDirection: 50,
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
    hostLinkGBpsPerDirection: PCIE_GEN5_X16,
    boardPowerWatts: 700, // NVIDIA H200 datasheet, SXM (up to 700 W)
    price: { usdPerGpuHour: 4.54, source: `${SPHERON_2026_03} (H200 SXM)`, date: "2026-03-17" },
    dataMovement: H200_SXM_DATA_MOVEMENT,
  },
  {
    id: "b200",
    name: "B200 (HGX)",
    peakTflopsBf16: 2250, // NVIDIA HGX B200 datasheet (sparsity figure halved)
    peakTflopsFp8: 4500,
    hasBf16: true,
    hbmGiB: 180,
    hbmTBps: 8.0,
    scaleUpDomain: 8,
    scaleUpGBpsBidirectional: 1800,
    scaleOutGBpsPerDirection: 50,
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
    hostLinkGBpsPerDirection: PCIE_GEN5_X16,
    boardPowerWatts: 1000, // NVIDIA HGX B200 datasheet
    price: { usdPerGpuHour: 6.03, source: `${SPHERON_2026_03} (B200 SXM)`, date: "2026-03-17" },
    dataMovement: B200_DATA_MOVEMENT,
  },
  {
    id: "gb200",
    name: "GB200 NVL72",
    peakTflopsBf16: 2450, // NVIDIA GB200 NVL72 datasheet, per GPU (sparsity figure halved)
    peakTflopsFp8: 4900,
    hasBf16: true,
    hbmGiB: 186,
    hbmTBps: 8.0,
    scaleUpDomain: 72,
    scaleUpGBpsBidirectional: 1800,
    scaleOutGBpsPerDirection: 50,
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
    hostLinkGBpsPerDirection: NVLINK_C2C,
    boardPowerWatts: 1200, // per Blackwell GPU in the GB200 NVL72 (NVIDIA GB200 NVL72 datasheet; 2700 W per superchip with the Grace CPU)
    price: { usdPerGpuHour: 9.08 / 2, source: `${SPHERON_2026_03} ($9.08/h per GB200 superchip = 2 GPUs, halved)`, date: "2026-03-17" },
    dataMovement: GB200_DATA_MOVEMENT,
  },
  {
    id: "gb300",
    name: "GB300 NVL72",
    peakTflopsBf16: 2450, // run-config.md preset table (NVIDIA GB300 NVL72 datasheet)
    peakTflopsFp8: 4900,
    hasBf16: true,
    hbmGiB: 288,
    hbmTBps: 8.0,
    scaleUpDomain: 72,
    scaleUpGBpsBidirectional: 1800,
    scaleOutGBpsPerDirection: 100, // ConnectX-8, 800 Gb/s per GPU
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
    hostLinkGBpsPerDirection: NVLINK_C2C,
    boardPowerWatts: 1400, // per Blackwell Ultra GPU (NVIDIA GB300 NVL72, as quoted by awesomeagents.ai/hardware/nvidia-gb300-nvl72)
    price: {
      usdPerGpuHour: 6.125,
      source: "midpoint of the B300 (the GB300's GPU) neocloud on-demand range $5.00-7.25 in Ornn's GPU rental benchmark (ornnai.com/research/nvidia-b200-vs-b300)",
      date: "2026",
    },
    // Blackwell Ultra's SM count, clocks and caches were not found in a public datasheet or whitepaper here.
    dataMovement: null,
  },
  {
    id: "mi300x",
    name: "Instinct MI300X",
    peakTflopsBf16: 1307, // AMD Instinct MI300X datasheet (1307.4 dense)
    peakTflopsFp8: 2615,
    hasBf16: true,
    hbmGiB: 192,
    hbmTBps: 5.3,
    scaleUpDomain: 8,
    scaleUpGBpsBidirectional: 896, // Infinity Fabric, 7 links per GPU (AMD MI300X datasheet)
    scaleOutGBpsPerDirection: 50,
    scaleUpLatencyUs: NVLINK_LATENCY_US,
    scaleOutLatencyUs: IB_LATENCY_US,
    hostLinkGBpsPerDirection: PCIE_GEN5_X16,
    boardPowerWatts: 750, // AMD Instinct MI300X datasheet (OAM)
    price: { usdPerGpuHour: 1.5, source: "TensorWave on-demand MI300X, as quoted in cliffcenter.com/research/amd-inference-economics", date: "2026-05-18" },
    dataMovement: MI300X_DATA_MOVEMENT,
  },
];
