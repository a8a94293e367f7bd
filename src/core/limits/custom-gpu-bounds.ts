// A custom GPU's figures for the data-movement model: their upper bounds, without the scenario schema (zod), so the
// Limits view's worker reads them too. Browser-safe.

/**
 * Upper bounds of a custom GPU's and network's figures in SI units, for scenario files (scenario.ts) and the Limits
 * view's form (web/src/views/limits/task.ts LIMITS_BOUNDS derives its GB/s, MHz, MiB, KiB and µs bounds from
 * these), so both refuse the same GPU (issue 13: `hbmBps: 1e300` and `flopPerClockPerThread: 1e300` in a scenario
 * file were accepted, exit 0).
 */
export const CUSTOM_GPU_MAX = {
  flopPerClockPerThread: 4096,
  numSms: 10_000,
  maxClockHz: 1e10,
  hbmBps: 1e15,
  memoryBytes: 1e14,
  l2Bps: 1e15,
  l2Bytes: 1e5 * 1024 * 1024,
  registerBytesPerProcessingBlock: 1e4 * 1024,
  matmulLatencyS: 1,
  levelSize: 65_536,
  bandwidthGBps: 1e5,
  latencyS: 1,
} as const;
