// The Limits form's constants that the worker's Limits task also needs: the batch-size rules and the custom GPU's
// starting values. A module of its own, without zod, so the worker does not load zod for the Limits sweep.
import type { CustomGpuForm } from "./state.ts";

export const DEFAULT_CUSTOM_GPU: CustomGpuForm = {
  name: "My GPU",
  flopPerClockPerThread: "32",
  numSms: "132",
  maxClockMHz: "1830",
  effectiveUtilization: "0.7",
  hbmGBps: "3352",
  memoryGB: "80",
  l2GBps: "6441",
  l2MiB: "50",
  registerKiB: "64",
  dsmem: true,
  matmulLatencyUs: "4.5",
  nodeSize: "8",
  nodeGBps: "900",
  scaleOutGBps: "100",
  hopLatencyUs: "1.125",
};

export const BATCH_RULE_OPTIONS = [
  { value: "critical", label: "Critical batch ∝ C^(1/6) (default)" },
  { value: "fixed", label: "Fixed 4 Mi tokens" },
  { value: "deepseek", label: "DeepSeek" },
] as const;
