// The Limits view's link to the core. The data-movement engine (issue 2) is not on main yet, so this module
// says so plainly instead of computing anything; the sweep is wired here once the engine's API lands.
import { toCsv } from "../../../../src/core/table.ts";
import type { ScenarioResult } from "./results.ts";
import type { LimitsState } from "./state.ts";
import type { GpuChoice } from "./form.tsx";

/** GPU preset ids documented in issue 2 (`--gpu ID`); replaced by the engine's own preset list when it lands. */
export const GPU_CHOICES: readonly GpuChoice[] = [
  { value: "v100-sxm", label: "V100 SXM" },
  { value: "a100-sxm", label: "A100 SXM" },
  { value: "h100-pcie", label: "H100 PCIe" },
  { value: "h100-sxm", label: "H100 SXM" },
  { value: "h100-sxm-low-latency", label: "H100 SXM, low latency" },
  { value: "h100-sxm-global-nvlink", label: "H100 SXM, global NVLink" },
  { value: "h100-sxm-global-nvlink-low-latency", label: "H100 SXM, global NVLink, low latency" },
  { value: "h100-sxm-infinite-network-low-latency", label: "H100 SXM, infinite network, low latency" },
  { value: "h100-sxm-superpod", label: "H100 SXM Superpod" },
  { value: "h100-sxm-superpod-low-latency", label: "H100 SXM Superpod, low latency" },
  { value: "h100-sxm-superpod-singleton", label: "H100 SXM Superpod Singleton" },
];

export function gpuLabel(id: string): string {
  return GPU_CHOICES.find((g) => g.value === id)?.label ?? id;
}

export interface LimitsComputation {
  readonly results: readonly ScenarioResult[];
  readonly running: boolean;
  readonly progress: { readonly done: number; readonly total: number; readonly label: string };
  readonly elapsedMs: number | null;
  /** Errors per scenario (`s0`, `s1`, …) or `floor`, keyed by form field. */
  readonly fieldErrors: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly error: string | null;
  /** Why nothing can be computed in this build, if so. */
  readonly unavailable: string | null;
}

export function useLimitsComputation(_state: LimitsState): LimitsComputation {
  return {
    results: [],
    running: false,
    progress: { done: 0, total: 0, label: "" },
    elapsedMs: null,
    fieldErrors: {},
    error: null,
    unavailable:
      "Not computed yet: the data-movement engine (issue 2) has not landed in scaleplan's core. The form is ready; results will appear here once it does.",
  };
}

/** Every point of every scenario, one row each, numbers in full precision. */
export function limitsCsv(results: readonly ScenarioResult[]): string {
  return toCsv({
    columns: ["scenario", "gpu", "model_type", "d_model", "layers", "experts", "batch_tokens", "flop", "months", "utilization", "gpus", "dp", "tp_model", "tp_ff", "pp", "interleave", "ep", "microbatches", "schedule"],
    rows: results.flatMap((r) =>
      r.points.map((p) => [
        r.label, r.gpuName, r.modelType, p.dModel, p.layers, p.experts, p.batchTokens, p.flop, p.months, p.utilization, p.gpus,
        p.parallelism.dp, p.parallelism.tpModel, p.parallelism.tpFf, p.parallelism.pp, p.parallelism.interleave, p.parallelism.ep,
        p.parallelism.microbatches, p.parallelism.schedule,
      ]),
    ),
  });
}

/** The inputs and the full output of every scenario as one JSON document. */
export function limitsJson(results: readonly ScenarioResult[], state: LimitsState): string {
  return `${JSON.stringify({ inputs: state, scenarios: results }, null, 2)}\n`;
}
