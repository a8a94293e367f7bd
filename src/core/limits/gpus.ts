// The data-movement model's derived GPU quantities (spec §1.2). The GPUs themselves (V100/A100/H100 with the
// reference's figures, H200/B200/GB200/MI300X added, the counterfactual systems of §1.3) live in the hardware
// catalogue: src/core/hardware, looked up with findDataMovementGpu.
import type { DataMovementGpu } from "../hardware/microarchitecture.ts";

/** Quantities derived once from a DataMovementGpu, exactly as the reference's GPU constructor derives them. */
export interface DerivedGpu {
  readonly spec: DataMovementGpu;
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

export function deriveGpu(spec: DataMovementGpu): DerivedGpu {
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
