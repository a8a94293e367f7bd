import { useEffect, useState } from "preact/hooks";

/** What a view's worker computation looks like to its status line (TaskState and the views' own wrappers). */
export interface TaskProgress {
  readonly running: boolean;
  readonly progress: { readonly done: number; readonly total: number; readonly label: string };
  readonly elapsedMs: number | null;
  readonly error: string | null;
  readonly cancelled: boolean;
  readonly partial?: boolean;
  readonly run: number;
  readonly cancel: () => void;
  readonly retry: () => void;
}

/** A computation running longer than this gets a Cancel button (issue 13: "a cancel button on any computation over a second"). */
export const CANCEL_AFTER_MS = 1000;

/** Whether `running` has been true for longer than `ms` without a break. */
function useRunningLongerThan(running: boolean, ms: number): boolean {
  const [long, setLong] = useState(false);
  useEffect(() => {
    setLong(false);
    if (!running) return undefined;
    const timer = setTimeout(() => setLong(true), ms);
    return () => clearTimeout(timer);
  }, [running, ms]);
  return running && long;
}

/**
 * The status line above a view's results: what is running (with a progress bar where the task reports one and a
 * Cancel button once it has run for a second), the error of the last run, and how long the shown result took in
 * the browser (`data-elapsed-ms`; `data-run` counts results, so tests can wait for the next one).
 */
export function TaskStatus(props: {
  task: TaskProgress;
  /** Whether a result is on screen (the timing refers to it). */
  hasResult: boolean;
  /** "Computing…", "Fitting…". */
  busy: string;
  /** "Computed", "Fitted". */
  done: string;
  /** The progress bar's accessible name; no bar without it. */
  progressLabel?: string;
  /** Show the bar only once the task has reported how much work there is (an empty bar otherwise). */
  progressOnlyWhenKnown?: boolean;
}) {
  const t = props.task;
  const showBar = props.progressLabel !== undefined && (!props.progressOnlyWhenKnown || t.progress.total > 0);
  const long = useRunningLongerThan(t.running, CANCEL_AFTER_MS);
  return (
    <div class="status" aria-live="polite" data-run={t.run} data-running={t.running ? "true" : "false"}>
      {t.running ? (
        <p class="busy">
          {props.busy}{" "}
          {showBar ? <progress max={t.progress.total || 1} value={t.progress.done} aria-label={props.progressLabel} /> : null}{" "}
          {showBar ? t.progress.label : null}
          {long ? (
            <button type="button" class="cancel" onClick={t.cancel}>
              Cancel
            </button>
          ) : null}
        </p>
      ) : null}
      {t.cancelled ? (
        <p class="cancelled" role="status">
          {props.hasResult ? "Cancelled before it finished: the result shown is the early one." : "Cancelled: nothing is shown for these inputs."} Change an
          input, or{" "}
          <button type="button" class="link" onClick={t.retry}>
            compute again
          </button>
          .
        </p>
      ) : null}
      {t.error ? (
        <p class="error" role="alert">
          {t.error}
        </p>
      ) : null}
      {!t.running && props.hasResult && t.elapsedMs !== null ? (
        <p class="timing" data-elapsed-ms={t.elapsedMs.toFixed(1)}>
          {props.done} in the browser in {t.elapsedMs < 10 ? t.elapsedMs.toFixed(1) : Math.round(t.elapsedMs)} ms.
        </p>
      ) : null}
    </div>
  );
}
