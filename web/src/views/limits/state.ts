// The Limits view's state: what the form shows, exactly as typed, and how it sits in the URL.
import type { ViewCodec } from "../../url-state.ts";
import { flag, listOf, oneOf, optional, record, text, wholeNumber, type Fields } from "../../url-fields.ts";

/**
 * A custom GPU and its two-level network, in the units a datasheet uses. Defaults are the H100 SXM preset of the
 * data-movement model (spec data-movement-model.md §1.2), so "custom" starts from the baseline.
 */
export interface CustomGpuForm {
  name: string;
  flopPerClockPerThread: string;
  numSms: string;
  maxClockMHz: string;
  effectiveUtilization: string;
  hbmGBps: string;
  memoryGB: string;
  l2GBps: string;
  l2MiB: string;
  registerKiB: string;
  dsmem: boolean;
  matmulLatencyUs: string;
  nodeSize: string;
  nodeGBps: string;
  scaleOutGBps: string;
  hopLatencyUs: string;
}

const customGpuFields: Fields<CustomGpuForm> = {
  name: text(),
  flopPerClockPerThread: text(),
  numSms: text(),
  maxClockMHz: text(),
  effectiveUtilization: text(),
  hbmGBps: text(),
  memoryGB: text(),
  l2GBps: text(),
  l2MiB: text(),
  registerKiB: text(),
  dsmem: flag(),
  matmulLatencyUs: text(),
  nodeSize: text(),
  nodeGBps: text(),
  scaleOutGBps: text(),
  hopLatencyUs: text(),
};

// Kept in a zod-free module: the computation worker needs them, and must not load zod for the Limits sweep.
export { BATCH_RULE_OPTIONS, DEFAULT_CUSTOM_GPU } from "./form-defaults.ts";
import type { BATCH_RULE_OPTIONS } from "./form-defaults.ts";

export type BatchRuleForm = (typeof BATCH_RULE_OPTIONS)[number]["value"];

export interface ScenarioForm {
  /** A preset id, or "custom" for the custom GPU below. */
  gpu: string;
  sparse: boolean;
  batchRule: BatchRuleForm;
  depthScale: string;
  months: string;
  tokensPerParam: string;
  datacenter: boolean;
  datacenterSize: string;
  datacenterGBps: string;
  datacenterLatencyS: string;
  /** Only present once "custom" has been chosen (keeps links of preset scenarios short). */
  custom?: CustomGpuForm | undefined;
}

const scenarioFields: Fields<ScenarioForm> = {
  gpu: text(),
  sparse: flag(),
  batchRule: oneOf(["critical", "fixed", "deepseek"]),
  depthScale: text(),
  months: text(),
  tokensPerParam: text(),
  datacenter: flag(),
  datacenterSize: text(),
  datacenterGBps: text(),
  datacenterLatencyS: text(),
  custom: optional(record(customGpuFields)),
};

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

// A type, not an interface: a view state must be assignable to Record<string, unknown> (ViewCodec).
export type LimitsState = {
  scenarios: ScenarioForm[];
  /** Index of the scenario being edited (and shown in the parallelism chart and the points table). */
  active: number;
  /** Utilization floor for "maximum feasible training compute", as a fraction of the GPU's ceiling. */
  floor: string;
  chart: "utilization" | "parallelism";
};

const limitsFields: Fields<LimitsState> = {
  scenarios: listOf(record(scenarioFields), 1, MAX_SCENARIOS),
  active: wholeNumber(0, MAX_SCENARIOS - 1),
  floor: text(),
  chart: oneOf(["utilization", "parallelism"]),
};

export const DEFAULT_LIMITS_STATE: LimitsState = {
  scenarios: [DEFAULT_SCENARIO],
  active: 0,
  floor: "0.8",
  chart: "utilization",
};

export const limitsCodec: ViewCodec<LimitsState> = { prefix: "l", fields: limitsFields, defaults: DEFAULT_LIMITS_STATE };

/** The Limits sweep's input: every scenario and the floor (the rest of the state only changes what is shown). */
export const limitsTaskInput = (state: LimitsState) => ({ scenarios: state.scenarios, floor: state.floor });
