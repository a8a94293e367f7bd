// Single-GPU matmul time over the memory hierarchy (spec §2.3; reference gpu/gpu_model.py).
// A matmul multiplies a d1×d2 weight block by b tokens: Y = W·X (forward), ∂X = Wᵀ·∂Y (activation gradient,
// passed with the transposed shape) or ∂W += ∂Y·Xᵀ (weight gradient, `wgrad`). Its time is the slowest of
// HBM, L2, shared-memory traffic and padded tensor-core arithmetic, plus a fixed kernel latency.
import type { DerivedGpu } from "./gpus.ts";

/** Tensor-core padding granularity: every matmul dimension is rounded up to a multiple of 8 for FLOP. */
export const TENSOR_CORE_CHUNK = 8;

/** Bytes moved by one matmul at each hop of the hierarchy (spec §3.5 lists these for H100). */
export interface MatmulTraffic {
  /** HBM ↔ L2 hop. */
  readonly hbmToL2Bytes: number;
  /** L2 ↔ SM (L1/shared memory) hop. */
  readonly l2ToSmBytes: number;
  /** SM ↔ SM traffic on the distributed shared memory network (Hopper). */
  readonly dsmemBytes: number;
  /** Shared memory ↔ registers hop. */
  readonly smToRegisterBytes: number;
  /** Bytes through each memory: HBM = hop 1; L2 = hops 1+2; shared memory = hop 2 + DSMEM + hop 3. */
  readonly hbmBytes: number;
  readonly l2Bytes: number;
  readonly smemBytes: number;
  readonly paddedFlop: number;
  readonly timeS: number;
}

// Scratch results of tileCounts (rows, cols), to keep the hot path allocation-free.
let tileRows = 0;
let tileCols = 0;

/**
 * Tiling of an m×n weight block into tiles of at most `maxTileBytes`: the fewest tiles, each as close to square
 * as the block allows. Sets tileRows/tileCols to the number of tile rows and columns (fractional, as in the
 * reference, which ignores discreteness to avoid a combinatorial search).
 */
function tileCounts(m: number, n: number, maxTileBytes: number, bytesPerWord: number): void {
  const words = m * n;
  const tileCount = Math.ceil((words * bytesPerWord) / maxTileBytes);
  const wordsPerTile = words / tileCount;
  const tileM = Math.max(Math.min(m, Math.sqrt(wordsPerTile)), wordsPerTile / n);
  const tileN = wordsPerTile / tileM;
  tileRows = m / tileM;
  tileCols = n / tileN;
}

// Scratch results of hopBytes: inter-level bytes and bytes on the distributed (DSMEM) network.
let hopInterlevel = 0;
let hopDistributed = 0;

/**
 * Traffic between two adjacent memory levels when `units` lower-level units each hold a weight tile of at most
 * `capacity` bytes (spec §2.3, the generic function T), given the hop's tiling (weightTiling). Weights and their
 * gradients stay resident below if both fit; activations X are re-read once per big tile row, outputs Y
 * accumulated once per big tile column (loaded again except the first time); with a distributed lower level
 * (DSMEM), redundant reads are multicast there.
 */
function hopBytes(d1: number, d2: number, b: number, capacity: number, units: number, bigRows: number, bigCols: number, smallRows: number, smallCols: number, wgrad: boolean, bytesPerWord: number): void {
  const weightBytes = d1 * d2 * bytesPerWord;
  const leftBytes = d1 * b * bytesPerWord;
  const rightBytes = d2 * b * bytesPerWord;
  const resident = weightBytes + weightBytes <= capacity * units;

  let inter = 0;
  let dist = 0;
  if (!resident) inter += wgrad ? 2 * weightBytes : weightBytes;
  inter += bigRows * rightBytes;
  if (smallRows > 1) dist += smallRows * rightBytes;
  if (wgrad) {
    inter += bigCols * leftBytes;
    if (smallCols > 1) dist += smallCols * leftBytes;
  } else {
    dist += 2 * (smallCols - 1) * leftBytes;
    inter += (2 * bigCols - 1) * leftBytes;
  }
  hopInterlevel = inter;
  hopDistributed = dist;
}

/** Entries of a weight tiling: big-tile rows and columns, small-tile rows and columns, for each of the three hops. */
const TILING_ENTRIES = 12;

/**
 * The tile counts of a d1×d2 weight block at the three hops (spec §2.3): HBM ↔ L2 (tiles in L2 or one SM's
 * registers, whichever is larger), L2 ↔ SM (tiles in registers; with DSMEM, big tiles over all SMs and small tiles
 * per SM), SM ↔ registers of each processing block. They depend on the shape only, not on b or on the pass, so
 * the six matmuls of a layer need two tilings (one per weight shape).
 */
function weightTiling(gpu: DerivedGpu, d1: number, d2: number, out: Float64Array): void {
  const w = gpu.bytesPerWord;
  const smRegisters = 4 * gpu.usefulRegisterBytesPerBlock; // four processing blocks per SM
  tileCounts(d1, d2, Math.max(gpu.usefulL2Bytes, smRegisters), w);
  out[0] = tileRows;
  out[1] = tileCols;
  out[2] = 1;
  out[3] = 1;
  if (gpu.spec.dsmem) {
    tileCounts(d1, d2, smRegisters * gpu.spec.numSms, w);
    out[4] = tileRows;
    out[5] = tileCols;
    tileCounts(d1, d2, smRegisters, w);
    out[6] = tileRows;
    out[7] = tileCols;
  } else {
    tileCounts(d1, d2, smRegisters, w);
    out[4] = tileRows;
    out[5] = tileCols;
    out[6] = 1;
    out[7] = 1;
  }
  tileCounts(d1, d2, gpu.usefulRegisterBytesPerBlock, w);
  out[8] = tileRows;
  out[9] = tileCols;
  out[10] = 1;
  out[11] = 1;
}

// Scratch tilings (of the matmul being computed, and of a layer's two weight shapes).
const tiling = new Float64Array(TILING_ENTRIES);
const tilingFd = new Float64Array(TILING_ENTRIES);
const tilingDf = new Float64Array(TILING_ENTRIES);

// Scratch results of computeMatmul (allocation-free: the layout search computes thousands of matmuls).
let mHbmToL2 = 0;
let mL2ToSm = 0;
let mDsmem = 0;
let mSmToRegisters = 0;
let mPaddedFlop = 0;
let mTimeS = 0;

/** One matmul's traffic and time into the scratch results, given its weight shape's tiling (weightTiling). */
function computeMatmul(gpu: DerivedGpu, d1: number, d2: number, b: number, wgrad: boolean, t: Float64Array): void {
  const w = gpu.bytesPerWord;
  const smRegisters = 4 * gpu.usefulRegisterBytesPerBlock; // four processing blocks per SM
  // HBM ↔ L2: weight+gradient tiles may live in L2 or in one SM's registers, whichever is larger.
  hopBytes(d1, d2, b, Math.max(gpu.usefulL2Bytes, smRegisters), 1, t[0]!, t[1]!, t[2]!, t[3]!, wgrad, w);
  mHbmToL2 = hopInterlevel;
  // L2 ↔ SM: tiles live in registers; with DSMEM, SMs share loads among themselves.
  hopBytes(d1, d2, b, smRegisters, gpu.spec.numSms, t[4]!, t[5]!, t[6]!, t[7]!, wgrad, w);
  mL2ToSm = hopInterlevel;
  mDsmem = hopDistributed;
  // SM ↔ registers of each processing block.
  hopBytes(d1, d2, b, gpu.usefulRegisterBytesPerBlock, 4 * gpu.spec.numSms, t[8]!, t[9]!, t[10]!, t[11]!, wgrad, w);
  mSmToRegisters = hopInterlevel;

  const hbmBytes = mHbmToL2;
  const l2Bytes = mHbmToL2 + mL2ToSm;
  const smemBytes = mL2ToSm + mDsmem + mSmToRegisters;
  const c = TENSOR_CORE_CHUNK;
  mPaddedFlop = 2 * Math.ceil(d1 / c) * Math.ceil(d2 / c) * Math.ceil(b / c) * c ** 3;
  mTimeS =
    Math.max(Math.max(hbmBytes / gpu.spec.hbmBps, l2Bytes / gpu.spec.l2Bps), Math.max(smemBytes / gpu.sharedBps, mPaddedFlop / gpu.flopPerS)) +
    gpu.spec.matmulLatencyS;
}

/** Traffic and time of one matmul (the full breakdown; the search uses matmulTimeS). */
export function matmulTraffic(gpu: DerivedGpu, d1: number, d2: number, b: number, wgrad: boolean): MatmulTraffic {
  weightTiling(gpu, d1, d2, tiling);
  computeMatmul(gpu, d1, d2, b, wgrad, tiling);
  return {
    hbmToL2Bytes: mHbmToL2,
    l2ToSmBytes: mL2ToSm,
    dsmemBytes: mDsmem,
    smToRegisterBytes: mSmToRegisters,
    hbmBytes: mHbmToL2,
    l2Bytes: mHbmToL2 + mL2ToSm,
    smemBytes: mL2ToSm + mDsmem + mSmToRegisters,
    paddedFlop: mPaddedFlop,
    timeS: mTimeS,
  };
}

/** Time of one matmul in seconds (spec §2.3): max(HBM, L2, shared memory, arithmetic) + kernel latency. */
export function matmulTimeS(gpu: DerivedGpu, d1: number, d2: number, b: number, wgrad: boolean): number {
  weightTiling(gpu, d1, d2, tiling);
  computeMatmul(gpu, d1, d2, b, wgrad, tiling);
  return mTimeS;
}

/**
 * A lower bound on matmulTimeS that skips the memory model: padded arithmetic time + kernel latency, computed
 * with the same expressions, so it never exceeds matmulTimeS (the search uses it to postpone exact times).
 */
export function matmulArithmeticTimeS(gpu: DerivedGpu, d1: number, d2: number, b: number): number {
  const c = TENSOR_CORE_CHUNK;
  return (2 * Math.ceil(d1 / c) * Math.ceil(d2 / c) * Math.ceil(b / c) * c ** 3) / gpu.flopPerS + gpu.spec.matmulLatencyS;
}

/** Lower bound on sixMatmulTimeS: the arithmetic-only times summed in the same order. */
export function sixMatmulArithmeticTimeS(gpu: DerivedGpu, fShard: number, dShard: number, b: number): number {
  const fd = matmulArithmeticTimeS(gpu, fShard, dShard, b);
  const df = matmulArithmeticTimeS(gpu, dShard, fShard, b);
  return fd + df + fd + (df + fd + df);
}

/**
 * The six matmuls one GPU runs per layer per microbatch (spec §2.4), for weight shards fShard×dShard (W1) and
 * dShard×fShard (W2) and b tokens: W1 forward, activation-gradient, weight-gradient, then the same for W2.
 * Summed in the reference's order so the result agrees to the last bit.
 */
export function sixMatmulTimeS(gpu: DerivedGpu, fShard: number, dShard: number, b: number): number {
  weightTiling(gpu, fShard, dShard, tilingFd);
  weightTiling(gpu, dShard, fShard, tilingDf);
  computeMatmul(gpu, fShard, dShard, b, false, tilingFd);
  const fd = mTimeS;
  computeMatmul(gpu, dShard, fShard, b, false, tilingDf);
  const df = mTimeS;
  computeMatmul(gpu, fShard, dShard, b, true, tilingFd);
  const fdGrad = mTimeS;
  computeMatmul(gpu, dShard, fShard, b, true, tilingDf);
  const dfGrad = mTimeS;
  return fd + df + fdGrad + (df + fd + dfGrad);
}
