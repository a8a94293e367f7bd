// The Limits view's link to the core: the sweep runs in the worker (task.ts); this module holds the page side.
import { useEffect, useMemo, useState } from "preact/hooks";
import { GPU_PRESETS } from "../../../../src/core/limits/gpus.ts";
import { toCsv } from "../../../../src/core/table.ts";
import { Superseded, TaskError, TaskRunner } from "../../worker/client.ts";
import type { ScenarioResult } from "./results.ts";
import type { LimitsState } from "./state.ts";
import type { GpuChoice } from "./form.tsx";

/** The engine's GPU presets (data-movement-model.md §1.2–§1.3), by id. */
export const GPU_CHOICES: readonly GpuChoice[] = GPU_PRESETS.map((g) => ({ value: g.id, label: g.name }));

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

const IDLE: LimitsComputation = {
  results: [],
  running: false,
  progress: { done: 0, total: 0, label: "" },
  elapsedMs: null,
  fieldErrors: {},
  error: null,
  unavailable: null,
};

// A short pause after the last keystroke before recomputing, so typing "12" does not sweep "1" first.
const DEBOUNCE_MS = 120;

/** Recomputes in the worker whenever the inputs change; results of superseded inputs are dropped. */
export function useLimitsComputation(state: LimitsState): LimitsComputation {
  const runner = useMemo(() => new TaskRunner(), []);
  useEffect(() => () => runner.dispose(), [runner]);
  const [computation, setComputation] = useState<LimitsComputation>(IDLE);
  const key = JSON.stringify([state.scenarios, state.floor]);

  useEffect(() => {
    const timer = setTimeout(() => {
      setComputation((c) => ({ ...c, running: true, error: null, progress: { done: 0, total: 0, label: "" } }));
      runner
        .run("limits", { scenarios: state.scenarios, floor: state.floor }, (done, total, label) =>
          setComputation((c) => ({ ...c, progress: { done, total, label } })),
        )
        .then(({ result, elapsedMs }) => setComputation({ ...IDLE, results: result, elapsedMs }))
        .catch((error: unknown) => {
          if (error instanceof Superseded) return;
          if (error instanceof TaskError && error.error.fields) {
            const fieldErrors: Record<string, Record<string, string>> = {};
            for (const f of error.error.fields) (fieldErrors[f.key] ??= {})[f.field] = f.message;
            // Numbers for inputs that are not valid are never shown: the old results go away.
            setComputation({ ...IDLE, fieldErrors });
            return;
          }
          setComputation({ ...IDLE, error: error instanceof Error ? error.message : String(error) });
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` captures the inputs
  }, [key, runner]);

  return computation;
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
