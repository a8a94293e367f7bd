// The GPU as the data-movement model sees it (Erdil & Schneider-Joseph 2024; shared/specs/data-movement-model.md
// §1.2–§1.3): SMs, clocks, caches, register file, tensor-core rate, kernel latency and a hierarchical network.

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
  /**
   * Per level, how many steps one data-parallel synchronisation is amortised over (absent = every step). DiLoCo
   * across datacenters (src/core/diloco): the outer all-reduce at that level runs every H steps with outer gradients
   * of b bits, so its bandwidth and latency terms are divided by H·16/b (Charles et al. 2025 App. A.2).
   */
  readonly dpSyncEvery?: readonly number[];
}

/** The micro-architecture figures of spec §1.2. All plain numbers (SI units) so scenarios can define their own. */
export interface GpuMicroarchitecture {
  /** Word width used for training, bits (16 everywhere in the paper). */
  readonly bitwidth: number;
  /** Dense FLOP per clock per "thread" at that width; threads = 128 per SM. */
  readonly flopPerClockPerThread: number;
  /** Register file of one of the 4 processing blocks (SM sub-partitions; SIMDs on AMD CDNA) of an SM, bytes. */
  readonly registerBytesPerProcessingBlock: number;
  /** Streaming multiprocessors (compute units on AMD). */
  readonly numSms: number;
  /**
   * SMs that set the FLOP rate and the shared-memory bandwidth; defaults to numSms. Only the Superpod
   * Singleton preset differs: the reference builds it by deep-copying an H100 and multiplying num_sms after
   * construction, so its FLOP rate and shared-memory bandwidth stay those of one H100 (reference behaviour kept).
   */
  readonly computeSms?: number;
  /** Bandwidth of the last on-chip cache level (L2; AMD's Infinity Cache), B/s. */
  readonly l2Bps: number;
  readonly l2Bytes: number;
  /** Global memory (HBM) bandwidth, B/s. */
  readonly hbmBps: number;
  /** The clock at which the dense tensor-core peak is reached, Hz. */
  readonly maxClockHz: number;
  /** Sustained fraction of peak on long runs of big matmuls: modelled as a lower clock (spec §1.2 note b). */
  readonly effectiveUtilization: number;
  /** Hopper-style distributed shared memory between the SMs of a cluster. */
  readonly dsmem: boolean;
  /** HBM capacity, bytes. */
  readonly memoryBytes: number;
  /** Fixed latency of every matmul kernel, s. */
  readonly matmulLatencyS: number;
}

/** Micro-architecture plus the network of the system the GPU ships in: what a catalogue entry carries. */
export interface DataMovementFigures extends GpuMicroarchitecture {
  readonly network: NetworkSpec;
}

/** One GPU (or counterfactual system) ready for the data-movement model: figures plus an id and a name. */
export interface DataMovementGpu extends DataMovementFigures {
  readonly id: string;
  readonly name: string;
}
