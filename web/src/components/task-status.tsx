/** What a view's worker computation looks like to its status line (TaskState and the views' own wrappers). */
export interface TaskProgress {
  readonly running: boolean;
  readonly progress: { readonly done: number; readonly total: number; readonly label: string };
  readonly elapsedMs: number | null;
  readonly error: string | null;
}

/**
 * The status line above a view's results: what is running (with a progress bar where the task reports one), the
 * error of the last run, and how long the shown result took in the browser (`data-elapsed-ms` for tests/benches).
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
  return (
    <div class="status" aria-live="polite">
      {t.running ? (
        <p>
          {props.busy}{" "}
          {showBar ? <progress max={t.progress.total || 1} value={t.progress.done} aria-label={props.progressLabel} /> : null}{" "}
          {showBar ? t.progress.label : null}
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
