// The Limits view's state: what the form shows, exactly as typed, and how it sits in the URL.
import { z } from "zod";
import type { ViewCodec } from "../../url-state.ts";

/**
 * A custom GPU and its two-level network, in the units a datasheet uses. Defaults are the H100 SXM preset of the
 * data-movement model (spec data-movement-model.md §1.2), so "custom" starts from the baseline.
 */
export const customGpuSchema = z.object({
  name: z.string(),
  flopPerClockPerThread: z.string(),
  numSms: z.string(),
  maxClockMHz: z.string(),
  effectiveUtilization: z.string(),
  hbmGBps: z.string(),
  memoryGB: z.string(),
  l2GBps: z.string(),
  l2MiB: z.string(),
  registerKiB: z.string(),
  dsmem: z.boolean(),
  matmulLatencyUs: z.string(),
  nodeSize: z.string(),
  nodeGBps: z.string(),
  scaleOutGBps: z.string(),
  hopLatencyUs: z.string(),
});
export type CustomGpuForm = z.infer<typeof customGpuSchema>;

// Kept in a zod-free module: the computation worker needs them, and must not load zod for the Limits sweep.
export { BATCH_RULE_OPTIONS, DEFAULT_CUSTOM_GPU } from "./form-defaults.ts";
import type { BATCH_RULE_OPTIONS } from "./form-defaults.ts";

export type BatchRuleForm = (typeof BATCH_RULE_OPTIONS)[number]["value"];

export const scenarioSchema = z.object({
  /** A preset id, or "custom" for the custom GPU below. */
  gpu: z.string(),
  sparse: z.boolean(),
  batchRule: z.enum(["critical", "fixed", "deepseek"]),
  depthScale: z.string(),
  months: z.string(),
  tokensPerParam: z.string(),
  datacenter: z.boolean(),
  datacenterSize: z.string(),
  datacenterGBps: z.string(),
  datacenterLatencyS: z.string(),
  /** Only present once "custom" has been chosen (keeps links of preset scenarios short). */
  custom: customGpuSchema.optional(),
});
export type ScenarioForm = z.infer<typeof scenarioSchema>;

/** The baseline of the paper: H100 SXM, dense, critical batch, 3 months, 20 tokens per parameter. */
export const DEFAULT_SCENARIO: ScenarioForm = {
  gpu: "h100-sxm",
  sparse: false,
  batchRule: "critical",
  depthScale: "1",
  months: "3",
  tokensPerParam: "20",
  datacenter: false,
  // The April-2024 multi-datacenter variant of the reference code: 32 768-GPU datacenters, 1 GB/s per GPU, 1 ms.
  datacenterSize: "32768",
  datacenterGBps: "1",
  datacenterLatencyS: "0.001",
};

export const MAX_SCENARIOS = 6;

export const limitsStateSchema = z.object({
  scenarios: z.array(scenarioSchema).min(1).max(MAX_SCENARIOS),
  /** Index of the scenario being edited (and shown in the parallelism chart and the points table). */
  active: z.int().min(0).max(MAX_SCENARIOS - 1),
  /** Utilization floor for "maximum feasible training compute", as a fraction of the GPU's ceiling. */
  floor: z.string(),
  chart: z.enum(["utilization", "parallelism"]),
});
export type LimitsState = z.infer<typeof limitsStateSchema>;

export const DEFAULT_LIMITS_STATE: LimitsState = {
  scenarios: [DEFAULT_SCENARIO],
  active: 0,
  floor: "0.8",
  chart: "utilization",
};

export const limitsCodec: ViewCodec<LimitsState> = { prefix: "l", schema: limitsStateSchema, defaults: DEFAULT_LIMITS_STATE };
