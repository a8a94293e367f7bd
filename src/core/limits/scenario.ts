// A limits scenario as plain data (YAML/JSON file, CLI flags, or web-app state) and its resolution into sweep
// options. Field names match the CLI options in camelCase; a custom GPU starts from a preset and overrides fields.
import { z } from "zod";
import { InputError } from "../errors.ts";
import { requireDataMovementGpu } from "../hardware/lookup.ts";
import type { DataMovementGpu, NetworkSpec } from "../hardware/microarchitecture.ts";
import { gpusPerTopUnit, withDatacenterLevel } from "./network.ts";
import { dilocoSyncDivisor } from "../diloco/communication.ts";
import { BATCH_RULES } from "./scaling-rules.ts";
import { LINK_GBYTES_PER_S, LINK_LATENCY_S, MAX_GPUS, OUTER_BITS, SYNC_EVERY, TOKENS_PER_PARAMETER } from "../config/bounds.ts";
import { numberValue } from "../config/schema.ts";
import { CUSTOM_GPU_MAX } from "./custom-gpu-bounds.ts";
import type { SweepOptions } from "./sweep.ts";

const positive = z.number().positive();

const upTo = (max: number) => numberValue({ min: 0, minExclusive: true, max });
const wholeUpTo = (max: number) => numberValue({ integer: true, min: 1, max });

/** A custom network: level sizes as in the reference (GPUs per node, nodes per pod, …), GB/s, seconds. */
export const customNetworkSchema = z
  .object({
    levelSizes: z.array(wholeUpTo(CUSTOM_GPU_MAX.levelSize)),
    /** Bidirectional per-GPU bandwidth of each level (one more entry than levelSizes), GB/s; "inf" allowed. */
    bandwidthsGBps: z.array(z.union([upTo(CUSTOM_GPU_MAX.bandwidthGBps), z.literal("inf")])),
    /** Latency per hop of each level, s. */
    latenciesS: z.array(numberValue({ min: 0, max: CUSTOM_GPU_MAX.latencyS })),
  })
  .strict();

/** A custom GPU: `base` catalogue GPU or system (default h100-sxm) plus any DataMovementGpu field (SI units: bytes, B/s, Hz, s). */
export const customGpuSchema = z
  .object({
    base: z.string().optional(),
    id: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    bitwidth: z.number().int().positive().optional(),
    flopPerClockPerThread: upTo(CUSTOM_GPU_MAX.flopPerClockPerThread).optional(),
    registerBytesPerProcessingBlock: upTo(CUSTOM_GPU_MAX.registerBytesPerProcessingBlock).optional(),
    numSms: wholeUpTo(CUSTOM_GPU_MAX.numSms).optional(),
    computeSms: wholeUpTo(CUSTOM_GPU_MAX.numSms).optional(),
    l2Bps: upTo(CUSTOM_GPU_MAX.l2Bps).optional(),
    l2Bytes: upTo(CUSTOM_GPU_MAX.l2Bytes).optional(),
    hbmBps: upTo(CUSTOM_GPU_MAX.hbmBps).optional(),
    maxClockHz: upTo(CUSTOM_GPU_MAX.maxClockHz).optional(),
    effectiveUtilization: z.number().gt(0).max(1).optional(),
    dsmem: z.boolean().optional(),
    memoryBytes: upTo(CUSTOM_GPU_MAX.memoryBytes).optional(),
    matmulLatencyS: numberValue({ min: 0, max: CUSTOM_GPU_MAX.matmulLatencyS }).optional(),
    network: customNetworkSchema.optional(),
  })
  .strict();

export const datacenterSchema = z
  .object({
    /** GPUs per datacenter. */
    size: z.number().int().min(1).max(MAX_GPUS, { error: `a whole number of GPUs in [1, ${MAX_GPUS}]` }),
    /** Bidirectional per-GPU bandwidth between datacenters, GB/s. */
    bandwidthGBps: numberValue(LINK_GBYTES_PER_S),
    latencyS: numberValue(LINK_LATENCY_S),
    /** DiLoCo across the datacenters (src/core/diloco): outer sync every `syncEvery` steps, outer gradients of `outerBits`. */
    diloco: z.object({ syncEvery: numberValue(SYNC_EVERY), outerBits: numberValue(OUTER_BITS).optional() }).strict().optional(),
  })
  .strict();

/** Bounds of the scenario's scalars: beyond them the sweep's FLOP overflow or no model of the grid is defined. */
export const MAX_MONTHS = 1200; // 100 years
export const MAX_TOKENS_PER_PARAM = TOKENS_PER_PARAMETER.max; // one bound for every command (config/bounds.ts)
export const MAX_DEPTH_SCALE = 100;

export const limitsScenarioSchema = z
  .object({
    name: z.string().min(1).optional(),
    gpu: z.union([z.string(), customGpuSchema]).optional(),
    sparse: z.boolean().optional(),
    batchRule: z.enum(BATCH_RULES as ["critical", "fixed", "deepseek"]).optional(),
    depthScale: positive.max(MAX_DEPTH_SCALE).optional(),
    months: positive.max(MAX_MONTHS).optional(),
    tokensPerParam: positive.max(MAX_TOKENS_PER_PARAM).optional(),
    utilizationFloor: z.number().gt(0).max(1).optional(),
    zeroBubbleLatency: z.enum(["reference", "hidden"]).optional(),
    considerZeroBubble: z.boolean().optional(),
    overlap: z.object({ tp: z.boolean(), pp: z.boolean(), dp: z.boolean() }).partial().strict().optional(),
    datacenter: datacenterSchema.optional(),
  })
  .strict();

export type LimitsScenario = z.infer<typeof limitsScenarioSchema>;
export type CustomGpu = z.infer<typeof customGpuSchema>;

function customNetwork(n: z.infer<typeof customNetworkSchema>, field: string): NetworkSpec {
  const levels = n.levelSizes.length + 1;
  if (n.bandwidthsGBps.length !== levels) {
    throw new InputError(`${field}.bandwidthsGBps`, n.bandwidthsGBps, `${levels} entries (one per level: levelSizes has ${n.levelSizes.length}, plus the top level)`);
  }
  if (n.latenciesS.length !== levels) {
    throw new InputError(`${field}.latenciesS`, n.latenciesS, `${levels} entries (one per level: levelSizes has ${n.levelSizes.length}, plus the top level)`);
  }
  return {
    levelSizes: n.levelSizes,
    bandwidthsBps: n.bandwidthsGBps.map((b) => (b === "inf" ? Number.POSITIVE_INFINITY : b * 1e9)),
    latenciesS: n.latenciesS,
  };
}

/** Resolves a catalogue id (or alias, or counterfactual system) or a custom GPU object into a DataMovementGpu. */
export function resolveDataMovementGpu(gpu: string | CustomGpu | undefined, field = "gpu"): DataMovementGpu {
  if (gpu === undefined) return requireDataMovementGpu("h100-sxm", field);
  if (typeof gpu === "string") return requireDataMovementGpu(gpu, field);
  const base = requireDataMovementGpu(gpu.base ?? "h100-sxm", `${field}.base`);
  const { base: _base, network, ...rest } = gpu;
  const overrides = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<DataMovementGpu>;
  const spec: DataMovementGpu = {
    ...base,
    // A custom GPU's rates follow its own SM count unless it says otherwise.
    ...(base.computeSms !== undefined && gpu.numSms !== undefined ? { computeSms: gpu.numSms } : {}),
    ...overrides,
    id: gpu.id ?? `custom-${base.id}`,
    name: gpu.name ?? `Custom (${base.name})`,
    network: network ? customNetwork(network, `${field}.network`) : base.network,
  };
  return spec;
}

/** Scenario → sweep options. `fieldPrefix` names fields in errors (e.g. the file name or "--"). */
export function scenarioToSweepOptions(s: LimitsScenario, gpuField = "gpu", datacenterField = "datacenter"): SweepOptions {
  let gpu = resolveDataMovementGpu(s.gpu, gpuField);
  if (s.datacenter) {
    const below = gpusPerTopUnit(gpu.network);
    if (s.datacenter.size % below !== 0 || s.datacenter.size < below) {
      throw new InputError(`${datacenterField}.size`, s.datacenter.size, `a multiple of ${below} (the GPUs in one unit of ${gpu.name}'s top bounded network level)`);
    }
    gpu = {
      ...gpu,
      name: `${gpu.name} + ${s.datacenter.size}-GPU datacenters`,
      network: withDatacenterLevel(gpu.network, {
        gpus: s.datacenter.size,
        bandwidthBps: s.datacenter.bandwidthGBps * 1e9,
        latencyS: s.datacenter.latencyS,
        dpSyncEvery: dilocoSyncDivisor(s.datacenter.diloco, gpu.bitwidth),
      }),
    };
  }
  const o: { -readonly [K in keyof SweepOptions]: SweepOptions[K] } = { gpu };
  if (s.sparse !== undefined) o.sparse = s.sparse;
  if (s.batchRule !== undefined) o.batchRule = s.batchRule;
  if (s.depthScale !== undefined) o.depthScale = s.depthScale;
  if (s.months !== undefined) o.months = s.months;
  if (s.tokensPerParam !== undefined) o.tokensPerParam = s.tokensPerParam;
  if (s.utilizationFloor !== undefined) o.utilizationFloor = s.utilizationFloor;
  if (s.zeroBubbleLatency !== undefined) o.zeroBubbleLatency = s.zeroBubbleLatency;
  if (s.considerZeroBubble !== undefined) o.considerZeroBubble = s.considerZeroBubble;
  if (s.overlap !== undefined) o.overlap = { tp: s.overlap.tp ?? true, pp: s.overlap.pp ?? true, dp: s.overlap.dp ?? false };
  return o;
}

/** A short label for a scenario: its name, or GPU id + model type. */
export function scenarioLabel(s: LimitsScenario, options: SweepOptions): string {
  if (s.name) return s.name;
  const parts = [options.gpu.id, options.sparse ? "sparse" : "dense"];
  if (options.batchRule && options.batchRule !== "critical") parts.push(`${options.batchRule} batch`);
  if (s.datacenter) parts.push(`dc ${s.datacenter.size}`);
  if (s.datacenter?.diloco) parts.push(`DiLoCo H=${s.datacenter.diloco.syncEvery}`);
  return parts.join(" ");
}
