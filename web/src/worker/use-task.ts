// A Preact hook around TaskRunner: recompute in the worker whenever the input changes (debounced), drop stale
// results, and turn form errors into per-field messages.
import { useEffect, useMemo, useState } from "preact/hooks";
import { Superseded, TaskError, TaskRunner } from "./client.ts";
import type { TaskInput, TaskName, TaskOutput } from "./tasks.ts";

export interface TaskState<T> {
  readonly result: T | null;
  readonly running: boolean;
  readonly progress: { readonly done: number; readonly total: number; readonly label: string };
  readonly elapsedMs: number | null;
  /** Messages by form part (`key`) and field. */
  readonly fieldErrors: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly error: string | null;
}

const DEBOUNCE_MS = 120;

export function useTask<K extends TaskName>(task: K, input: TaskInput<K>): TaskState<TaskOutput<K>> {
  const runner = useMemo(() => new TaskRunner(), []);
  useEffect(() => () => runner.dispose(), [runner]);
  const idle: TaskState<TaskOutput<K>> = { result: null, running: false, progress: { done: 0, total: 0, label: "" }, elapsedMs: null, fieldErrors: {}, error: null };
  const [state, setState] = useState<TaskState<TaskOutput<K>>>(idle);
  const key = JSON.stringify(input);

  useEffect(() => {
    const timer = setTimeout(() => {
      setState((s) => ({ ...s, running: true, error: null }));
      runner
        .run(task, input, (done, total, label) => setState((s) => ({ ...s, progress: { done, total, label } })))
        .then(({ result, elapsedMs }) => setState({ ...idle, result, elapsedMs }))
        .catch((error: unknown) => {
          if (error instanceof Superseded) return;
          if (error instanceof TaskError && error.error.fields) {
            const fieldErrors: Record<string, Record<string, string>> = {};
            for (const f of error.error.fields) (fieldErrors[f.key] ??= {})[f.field] = f.message;
            setState({ ...idle, fieldErrors });
            return;
          }
          setState({ ...idle, error: error instanceof Error ? error.message : String(error) });
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` captures the input
  }, [key, runner, task]);

  return state;
}
