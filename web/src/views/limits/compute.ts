// The Limits view's link to the core: the sweep runs in the worker (task.ts); this module holds the page side.
import { DATA_MOVEMENT_GPUS, findDataMovementGpu } from "../../../../src/core/hardware/lookup.ts";
import { toCsv } from "../../../../src/core/table.ts";
import type { TaskProgress } from "../../components/task-status.tsx";
import { useTask } from "../../worker/use-task.ts";
import type { ScenarioResult } from "./results.ts";
import { limitsTaskInput, type LimitsState } from "./state.ts";
import type { GpuChoice } from "./form.tsx";

/** The hardware catalogue's GPUs and counterfactual systems that the data-movement model can analyse, by id. */
export const GPU_CHOICES: readonly GpuChoice[] = DATA_MOVEMENT_GPUS.map((g) => ({ value: g.id, label: g.name }));

export function gpuLabel(idOrAlias: string): string {
  return findDataMovementGpu(idOrAlias)?.name ?? idOrAlias;
}

export interface LimitsComputation extends TaskProgress {
  readonly results: readonly ScenarioResult[];
  /** Errors per scenario (`s0`, `s1`, …) or `floor`, keyed by form field. */
  readonly fieldErrors: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Recomputes every scenario's sweep in the worker whenever the inputs change (the newest input wins). */
export function useLimitsComputation(state: LimitsState): LimitsComputation {
  const task = useTask("limits", limitsTaskInput(state));
  // Numbers for inputs that are not valid are never shown: results exist only for the current, valid input.
  return { ...task, results: task.result ?? [] };
}

/** Every point of every scenario, one row each, numbers in full precision. */
export function limitsCsv(results: readonly ScenarioResult[]): string {
  return toCsv({
    columns: [
      "scenario", "gpu", "model_type", "d_model", "d_ff", "layers", "experts", "params", "batch_tokens", "flop", "months", "utilization", "gpus",
      "dp", "tp_model", "tp_ff", "pp", "interleave", "ep", "microbatches", "schedule",
      "split_dp", "split_tp_model", "split_tp_ff", "split_pp", "split_ep",
      "tokens_per_matmul", "tp_comm_s", "dp_comm_s", "pp_ep_comm_s", "latency_s",
    ],
    rows: results.flatMap((r) =>
      r.points.map((p) => [
        r.label, r.gpuName, r.modelType, p.dModel, p.dFf, p.layers, p.experts, p.params, p.batchTokens, p.flop, p.months, p.utilization, p.gpus,
        p.parallelism.dp, p.parallelism.tpModel, p.parallelism.tpFf, p.parallelism.pp, p.parallelism.interleave, p.parallelism.ep,
        p.parallelism.microbatches, p.parallelism.schedule,
        p.layout.dp.join(" "), p.layout.tpModel.join(" "), p.layout.tpFf.join(" "), p.layout.pp.join(" "), p.layout.ep.join(" "),
        p.tokensPerMatmul, p.tpCommS, p.dpCommS, p.ppEpCommS, p.latencyS,
      ]),
    ),
  });
}

/** The inputs and the full output of every scenario as one JSON document. */
export function limitsJson(results: readonly ScenarioResult[], state: LimitsState): string {
  return `${JSON.stringify({ inputs: state, scenarios: results }, null, 2)}\n`;
}
