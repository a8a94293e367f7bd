// Runs inside the worker: form text → validated sweep options → the engine's runSweep, one scenario after another.
// Invalid fields are all collected (not just the first), each with the core's InputError message.
import { GPU_COUNT, LINK_GBYTES_PER_S, LINK_LATENCY_S, TOKENS_PER_PARAMETER } from "../../../../src/core/config/bounds.ts";
import { InputError } from "../../../../src/core/errors.ts";
import { DATA_MOVEMENT_IDS, findDataMovementGpu } from "../../../../src/core/hardware/lookup.ts";
import type { DataMovementGpu } from "../../../../src/core/hardware/microarchitecture.ts";
import { CUSTOM_GPU_MAX } from "../../../../src/core/limits/custom-gpu-bounds.ts";
import { gpusPerTopUnit, withDatacenterLevel } from "../../../../src/core/limits/network.ts";
import { readBounded, type Bound } from "../../worker/bounds.ts";
import { runSweep, type SweepOptions } from "../../../../src/core/limits/sweep.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { scenarioLabels } from "./labels.ts";
import type { ScenarioResult } from "./results.ts";
import { DEFAULT_CUSTOM_GPU } from "./form-defaults.ts";
import type { ScenarioForm } from "./state.ts";

export interface LimitsTaskInput {
  readonly scenarios: readonly ScenarioForm[];
  readonly floor: string;
}

/** Several invalid fields at once: `key` is `s<scenario index>` or `floor`, `field` the form field. */
export class FormErrors extends Error {
  override readonly name = "FormErrors";
  readonly fields: ReadonlyArray<{ key: string; field: string; message: string }>;
  constructor(fields: ReadonlyArray<{ key: string; field: string; message: string }>) {
    super(fields.map((f) => f.message).join("; "));
    this.fields = fields;
  }
}

/**
 * What each numeric field of the Limits form accepts. The bounds are sanity limits far past any real value (the
 * presets' datasheet figures, data-movement-model.md §1.2–§1.3, are 10–100× inside them); the two that guard the
 * computation itself say so.
 */
export const LIMITS_BOUNDS = {
  // Any real training run is shorter than 100 years; the sweep's cost does not depend on it.
  months: { min: 0, minExclusive: true, max: 1200 },
  // The core's bound, as for the CLI (1e300 overflowed the FLOP count, issue 13).
  tokensPerParam: { min: 0, minExclusive: true, max: TOKENS_PER_PARAMETER.max },
  depthScale: { min: 0, minExclusive: true, max: 100 },
  floor: { min: 0, minExclusive: true, max: 1 },
  // The core's bound (src/core/config/bounds.ts), which withDatacenterLevel enforces too.
  datacenterSize: GPU_COUNT,
  // The link bounds of `limits --datacenter-bandwidth/--datacenter-latency` and scenario files (config/bounds.ts).
  datacenterGBps: LINK_GBYTES_PER_S,
  datacenterLatencyS: LINK_LATENCY_S,
  // A custom GPU: scenario files' bounds (CUSTOM_GPU_MAX, SI units) in the form's units.
  "custom.flopPerClockPerThread": { min: 0, minExclusive: true, max: CUSTOM_GPU_MAX.flopPerClockPerThread },
  "custom.numSms": { min: 1, max: CUSTOM_GPU_MAX.numSms, integer: true },
  "custom.maxClockMHz": { min: 0, minExclusive: true, max: CUSTOM_GPU_MAX.maxClockHz / 1e6 },
  "custom.effectiveUtilization": { min: 0, minExclusive: true, max: 1 },
  "custom.hbmGBps": { min: 0, minExclusive: true, max: CUSTOM_GPU_MAX.hbmBps / 1e9 },
  "custom.memoryGB": { min: 0, minExclusive: true, max: CUSTOM_GPU_MAX.memoryBytes / 1e9 },
  "custom.l2GBps": { min: 0, minExclusive: true, max: CUSTOM_GPU_MAX.l2Bps / 1e9 },
  "custom.l2MiB": { min: 0, minExclusive: true, max: CUSTOM_GPU_MAX.l2Bytes / (1024 * 1024) },
  "custom.registerKiB": { min: 0, minExclusive: true, max: CUSTOM_GPU_MAX.registerBytesPerProcessingBlock / 1024 },
  "custom.matmulLatencyUs": { min: 0, max: CUSTOM_GPU_MAX.matmulLatencyS * 1e6 },
  // Clusters are E·2^k GPUs (data-movement-model.md §2.10): a node that cannot tile them is named by blame() below.
  "custom.nodeSize": { min: 1, max: CUSTOM_GPU_MAX.levelSize, integer: true },
  "custom.nodeGBps": { min: 0, minExclusive: true, max: CUSTOM_GPU_MAX.bandwidthGBps },
  "custom.scaleOutGBps": { min: 0, minExclusive: true, max: CUSTOM_GPU_MAX.bandwidthGBps },
  "custom.hopLatencyUs": { min: 0, max: CUSTOM_GPU_MAX.latencyS * 1e6 },
} as const satisfies Readonly<Record<string, Bound>>;
export type LimitsField = keyof typeof LIMITS_BOUNDS;

class Collector {
  readonly errors: Array<{ key: string; field: string; message: string }> = [];
  private readonly key: string;
  constructor(key: string) {
    this.key = key;
  }
  num(field: LimitsField, text: string): number {
    try {
      return readBounded(field, text, LIMITS_BOUNDS[field]);
    } catch (error) {
      this.add(error);
      return Number.NaN;
    }
  }
  add(error: unknown): void {
    if (error instanceof InputError) this.errors.push({ key: this.key, field: error.field, message: error.message });
    else throw error;
  }
}

function customGpu(form: ScenarioForm, c: Collector): DataMovementGpu {
  const g = form.custom ?? DEFAULT_CUSTOM_GPU;
  const base = findDataMovementGpu("h100-sxm")!;
  const hop = c.num("custom.hopLatencyUs", g.hopLatencyUs) * 1e-6;
  const nodeSize = c.num("custom.nodeSize", g.nodeSize);
  return {
    ...base,
    id: "custom",
    name: g.name.trim() || "Custom GPU",
    flopPerClockPerThread: c.num("custom.flopPerClockPerThread", g.flopPerClockPerThread),
    numSms: c.num("custom.numSms", g.numSms),
    maxClockHz: c.num("custom.maxClockMHz", g.maxClockMHz) * 1e6,
    effectiveUtilization: c.num("custom.effectiveUtilization", g.effectiveUtilization),
    hbmBps: c.num("custom.hbmGBps", g.hbmGBps) * 1e9,
    memoryBytes: c.num("custom.memoryGB", g.memoryGB) * 1e9,
    l2Bps: c.num("custom.l2GBps", g.l2GBps) * 1e9,
    l2Bytes: c.num("custom.l2MiB", g.l2MiB) * 1024 * 1024,
    registerBytesPerProcessingBlock: c.num("custom.registerKiB", g.registerKiB) * 1024,
    dsmem: g.dsmem,
    matmulLatencyS: c.num("custom.matmulLatencyUs", g.matmulLatencyUs) * 1e-6,
    network: {
      levelSizes: [nodeSize],
      bandwidthsBps: [c.num("custom.nodeGBps", g.nodeGBps) * 1e9, c.num("custom.scaleOutGBps", g.scaleOutGBps) * 1e9],
      latenciesS: [hop, hop],
    },
  };
}

/** The sweep options of one form scenario (errors go to the collector). */
export function scenarioOptions(form: ScenarioForm, floor: number, c: Collector): SweepOptions {
  let gpu: DataMovementGpu;
  if (form.gpu === "custom") gpu = customGpu(form, c);
  else {
    const preset = findDataMovementGpu(form.gpu);
    if (!preset) c.add(new InputError("gpu", form.gpu, `one of ${DATA_MOVEMENT_IDS.join(", ")} or a custom GPU`));
    gpu = preset ?? findDataMovementGpu("h100-sxm")!;
  }
  if (form.datacenter) {
    const size = c.num("datacenterSize", form.datacenterSize);
    const bandwidth = c.num("datacenterGBps", form.datacenterGBps);
    const latency = c.num("datacenterLatencyS", form.datacenterLatencyS);
    // withDatacenterLevel groups whole units of the top bounded level: the size must be a multiple of it.
    const below = gpusPerTopUnit(gpu.network);
    if (Number.isFinite(size) && (size % below !== 0 || size < below)) {
      c.add(new InputError("datacenterSize", size, `a multiple of ${below} (the GPUs in one unit of ${gpu.name}'s top bounded network level)`));
    } else if (Number.isFinite(size + bandwidth + latency)) {
      gpu = { ...gpu, name: `${gpu.name} + ${size}-GPU datacenters`, network: withDatacenterLevel(gpu.network, { gpus: size, bandwidthBps: bandwidth * 1e9, latencyS: latency }) };
    }
  }
  return {
    gpu,
    sparse: form.sparse,
    batchRule: form.batchRule,
    depthScale: c.num("depthScale", form.depthScale),
    months: c.num("months", form.months),
    tokensPerParam: c.num("tokensPerParam", form.tokensPerParam),
    utilizationFloor: floor,
  };
}


const isPowerOfTwo = (n: number) => Number.isSafeInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/**
 * The field to blame for a sweep with no feasible point. The core says the deadline (`months`) is too short, but
 * when a network level is not a power of two no E·2^k-GPU cluster (data-movement-model.md §2.10) larger than it
 * can be tiled, whatever the deadline: a 6- or 72-GPU node is the cause, and its field is named instead.
 */
function blame(form: ScenarioForm, options: SweepOptions, error: InputError, index: number): { key: string; field: string; message: string } {
  const key = `s${index}`;
  if (error.field === "months") {
    const [node, datacenter] = options.gpu.network.levelSizes;
    const tiles = "a power of two, so that it tiles the E·2^k-GPU clusters the model sizes (data-movement-model.md §2.10), e.g. 64 for a 72-GPU NVLink rack";
    if (form.gpu === "custom" && node !== undefined && !isPowerOfTwo(node)) {
      return { key, field: "custom.nodeSize", message: new InputError("custom.nodeSize", node, tiles).message };
    }
    if (form.datacenter && datacenter !== undefined && !isPowerOfTwo(datacenter)) {
      const size = datacenter * (node ?? 1);
      return { key, field: "datacenterSize", message: new InputError("datacenterSize", size, `a power of two ${tiles.slice("a power of two".length)}`).message };
    }
  }
  return { key, field: error.field, message: error.message };
}

/** Validates every scenario, then sweeps each; progress counts grid widths over all scenarios. */
export function limitsTask(input: LimitsTaskInput, progress: ProgressFn): ScenarioResult[] {
  const floorCollector = new Collector("floor");
  const floor = floorCollector.num("floor", input.floor);
  const collectors = input.scenarios.map((_, i) => new Collector(`s${i}`));
  const options = input.scenarios.map((s, i) => scenarioOptions(s, floor, collectors[i]!));
  const invalid = [...floorCollector.errors, ...collectors.flatMap((c) => c.errors)];
  if (invalid.length > 0) throw new FormErrors(invalid);

  const labels = scenarioLabels(input.scenarios, (_, i) => options[i]!.gpu.name);
  const results: ScenarioResult[] = [];
  for (let i = 0; i < options.length; i++) {
    const o = options[i]!;
    const label = labels[i]!;
    let sweep;
    try {
      sweep = runSweep(o, (done, total, dModel) => {
        progress(i * total + done, options.length * total, `${label}: d_model ${dModel}`);
      });
    } catch (error) {
      if (error instanceof InputError) throw new FormErrors([blame(input.scenarios[i]!, o, error, i)]);
      throw error;
    }
    const s = sweep.summary;
    results.push({
      label,
      gpuName: sweep.gpuName,
      modelType: sweep.sparse ? "sparse" : "dense",
      ceiling: s.ceiling,
      floorUtilization: s.utilizationFloor,
      points: sweep.points,
      linearScalingEnd: s.linearScalingEnd,
      lastFeasibleFlop: s.lastFeasibleFlop,
      firstInfeasibleDModel: s.firstInfeasibleDModel,
      maxFeasibleFlop: s.maxFeasibleFlopAtFloor,
      stoppedBy: s.stoppedBy,
    });
  }
  return results;
}
