// A Preact hook around TaskRunner: recompute in the worker whenever the input changes (the first time at once,
// later edits debounced), drop stale results, let the user cancel, and turn form errors into per-field messages.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { Cancelled, Superseded, TaskError, TaskRunner, type ProgressCallbacks, type TaskResult } from "./client.ts";
import { claimEarlyRequest, FIRST_REQUEST_MARK } from "./early-requests.ts";
import type { TaskInput, TaskName, TaskOutput } from "./tasks.ts";

export interface TaskState<T> {
  readonly result: T | null;
  readonly running: boolean;
  readonly progress: { readonly done: number; readonly total: number; readonly label: string };
  readonly elapsedMs: number | null;
  /** Messages by form part (`key`) and field. */
  readonly fieldErrors: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly error: string | null;
  /** The running computation was stopped by the user (nothing is shown for the current input). */
  readonly cancelled: boolean;
  /** The result shown is an early one (e.g. a fit before its bootstrap intervals); the final one is coming. */
  readonly partial: boolean;
  /** How many results this view has received: e2e tests wait for it to grow instead of for elements to exist. */
  readonly run: number;
}

export interface TaskControls {
  /** Stops the running computation (terminates its worker). */
  readonly cancel: () => void;
  /** Runs the current input again (after a cancel). */
  readonly retry: () => void;
}

/** Typing pauses shorter than this do not start a computation. */
const DEBOUNCE_MS = 120;

/** User Timing mark set when a task's first result has been rendered (`scaleplan:first-result:limits`). */
export const FIRST_RESULT_MARK = "scaleplan:first-result:";

const IDLE = { result: null, running: false, progress: { done: 0, total: 0, label: "" }, elapsedMs: null, fieldErrors: {}, error: null, cancelled: false, partial: false } as const;

export function useTask<K extends TaskName>(task: K, input: TaskInput<K>): TaskState<TaskOutput<K>> & TaskControls {
  const key = JSON.stringify(input);
  // The page entry may have sent this view's first request already (early-requests.ts): then it is taken over.
  const [early] = useState(() => claimEarlyRequest(task, key));
  const runner = useMemo(() => early?.runner ?? new TaskRunner(), [early]);
  useEffect(() => () => runner.dispose(), [runner]);
  const [state, setState] = useState<TaskState<TaskOutput<K>>>({ ...IDLE, run: 0 });
  const [attempt, setAttempt] = useState(0);
  const started = useRef(false);

  // A layout effect: the first request goes to the worker right after the first render, not after the first paint
  // (Preact runs plain effects a frame later, which cost ~300 ms on a loaded machine before the Limits view's first
  // request, see docs/web-app.md).
  useLayoutEffect(() => {
    const callbacks: ProgressCallbacks = {
      progress: (done, total, label) => setState((s) => ({ ...s, progress: { done, total, label } })),
      // An early result is shown at once; `running` stays true until the final one.
      partial: ({ result, elapsedMs }) =>
        setState((s) => ({ ...s, result: result as TaskOutput<K>, elapsedMs, partial: true, fieldErrors: {}, error: null, run: s.run + 1 })),
    };
    const follow = (request: Promise<TaskResult<unknown>>) => {
      setState((s) => ({ ...s, running: true, error: null, cancelled: false, progress: IDLE.progress }));
      request
        .then(({ result, elapsedMs }) => setState((s) => ({ ...IDLE, result: result as TaskOutput<K>, elapsedMs, run: s.run + 1 })))
        .catch((error: unknown) => {
          if (error instanceof Superseded) return;
          if (error instanceof Cancelled) {
            // An early result stays (the point fit without its intervals); anything else was for older input.
            setState((s) => ({ ...IDLE, cancelled: true, run: s.run, ...(s.partial ? { result: s.result, elapsedMs: s.elapsedMs, partial: true } : {}) }));
            return;
          }
          if (error instanceof TaskError && error.error.fields) {
            const fieldErrors: Record<string, Record<string, string>> = {};
            for (const f of error.error.fields) (fieldErrors[f.key] ??= {})[f.field] = f.message;
            setState((s) => ({ ...IDLE, fieldErrors, run: s.run + 1 }));
            return;
          }
          setState((s) => ({ ...IDLE, error: error instanceof Error ? error.message : String(error), run: s.run + 1 }));
        });
    };
    const start = () => follow(runner.run(task, input, callbacks));
    if (!started.current && early !== undefined) {
      started.current = true;
      follow(early.promise);
      runner.listen(callbacks);
      return undefined;
    }
    // The first computation of a view starts at once: a debounce only makes sense between keystrokes.
    if (!started.current) {
      started.current = true;
      performance.mark(FIRST_REQUEST_MARK + task);
      start();
      return undefined;
    }
    const timer = setTimeout(start, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` captures the input
  }, [key, runner, task, attempt]);

  // The first result on screen, for the page-load benchmark (bench/web.bench.ts) and docs/web-app.md.
  const marked = useRef(false);
  useEffect(() => {
    if (marked.current || state.run === 0) return;
    marked.current = true;
    // The worker's own compute time rides along, so the page-load benchmark can split the wait into worker start,
    // computation and rendering.
    performance.mark(FIRST_RESULT_MARK + task, { detail: { computeMs: state.elapsedMs } });
  }, [state.run, task, state.elapsedMs]);

  const cancel = useCallback(() => runner.cancel(), [runner]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { ...state, cancel, retry };
}
