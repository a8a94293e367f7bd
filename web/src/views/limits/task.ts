// Runs inside the worker: form text → validated sweep options → the engine's runSweep, one scenario after another.
// Invalid fields are all collected (not just the first), each with the core's InputError message.
import { InputError, requireInRange, requireInteger, requirePositive } from "../../../../src/core/errors.ts";
import { DATA_MOVEMENT_IDS, findDataMovementGpu } from "../../../../src/core/hardware/lookup.ts";
import type { DataMovementGpu } from "../../../../src/core/hardware/microarchitecture.ts";
import { gpusPerTopUnit, withDatacenterLevel } from "../../../../src/core/limits/network.ts";
import { runSweep, type SweepOptions } from "../../../../src/core/limits/sweep.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import type { ScenarioResult } from "./results.ts";
import { DEFAULT_CUSTOM_GPU, type ScenarioForm } from "./state.ts";

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

type Check = (field: string, value: unknown) => number;
const nonNegative: Check = (field, value) => {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new InputError(field, value, "a finite number >= 0");
  return value;
};
const fraction: Check = (field, value) => requireInRange(field, value, 0, 1, true);
const wholeNumber: Check = (field, value) => requireInteger(field, value, 1);

/** Reads one numeric form field: the typed text if it is not a number, so the message quotes what was typed. */
function read(field: string, text: string, check: Check): number {
  const trimmed = text.trim();
  const n = trimmed === "" ? Number.NaN : Number(trimmed);
  return check(field, Number.isFinite(n) ? n : text);
}

class Collector {
  readonly errors: Array<{ key: string; field: string; message: string }> = [];
  private readonly key: string;
  constructor(key: string) {
    this.key = key;
  }
  num(field: string, text: string, check: Check): number {
    try {
      return read(field, text, check);
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
  const hop = c.num("custom.hopLatencyUs", g.hopLatencyUs, nonNegative) * 1e-6;
  const nodeSize = c.num("custom.nodeSize", g.nodeSize, wholeNumber);
  return {
    ...base,
    id: "custom",
    name: g.name.trim() || "Custom GPU",
    flopPerClockPerThread: c.num("custom.flopPerClockPerThread", g.flopPerClockPerThread, requirePositive),
    numSms: c.num("custom.numSms", g.numSms, wholeNumber),
    maxClockHz: c.num("custom.maxClockMHz", g.maxClockMHz, requirePositive) * 1e6,
    effectiveUtilization: c.num("custom.effectiveUtilization", g.effectiveUtilization, fraction),
    hbmBps: c.num("custom.hbmGBps", g.hbmGBps, requirePositive) * 1e9,
    memoryBytes: c.num("custom.memoryGB", g.memoryGB, requirePositive) * 1e9,
    l2Bps: c.num("custom.l2GBps", g.l2GBps, requirePositive) * 1e9,
    l2Bytes: c.num("custom.l2MiB", g.l2MiB, requirePositive) * 1024 * 1024,
    registerBytesPerProcessingBlock: c.num("custom.registerKiB", g.registerKiB, requirePositive) * 1024,
    dsmem: g.dsmem,
    matmulLatencyS: c.num("custom.matmulLatencyUs", g.matmulLatencyUs, nonNegative) * 1e-6,
    network: {
      levelSizes: [nodeSize],
      bandwidthsBps: [c.num("custom.nodeGBps", g.nodeGBps, requirePositive) * 1e9, c.num("custom.scaleOutGBps", g.scaleOutGBps, requirePositive) * 1e9],
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
    const size = c.num("datacenterSize", form.datacenterSize, wholeNumber);
    const bandwidth = c.num("datacenterGBps", form.datacenterGBps, requirePositive);
    const latency = c.num("datacenterLatencyS", form.datacenterLatencyS, nonNegative);
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
    depthScale: c.num("depthScale", form.depthScale, requirePositive),
    months: c.num("months", form.months, requirePositive),
    tokensPerParam: c.num("tokensPerParam", form.tokensPerParam, requirePositive),
    utilizationFloor: floor,
  };
}

export function scenarioLabel(index: number, options: SweepOptions): string {
  return `${index + 1}: ${options.gpu.name}, ${options.sparse ? "sparse" : "dense"}`;
}

/** Validates every scenario, then sweeps each; progress counts grid widths over all scenarios. */
export function limitsTask(input: LimitsTaskInput, progress: ProgressFn): ScenarioResult[] {
  const floorCollector = new Collector("floor");
  const floor = floorCollector.num("floor", input.floor, fraction);
  const collectors = input.scenarios.map((_, i) => new Collector(`s${i}`));
  const options = input.scenarios.map((s, i) => scenarioOptions(s, floor, collectors[i]!));
  const invalid = [...floorCollector.errors, ...collectors.flatMap((c) => c.errors)];
  if (invalid.length > 0) throw new FormErrors(invalid);

  const results: ScenarioResult[] = [];
  for (let i = 0; i < options.length; i++) {
    const o = options[i]!;
    const label = scenarioLabel(i, o);
    let sweep;
    try {
      sweep = runSweep(o, (done, total, dModel) => {
        progress(i * total + done, options.length * total, `${label}: d_model ${dModel}`);
      });
    } catch (error) {
      if (error instanceof InputError) throw new FormErrors([{ key: `s${i}`, field: error.field, message: error.message }]);
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
