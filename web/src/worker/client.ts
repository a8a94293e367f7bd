// The page side of the worker: one module worker per view, newest request wins.
import type { SerializedError, WorkerRequest, WorkerResponse } from "./protocol.ts";
import { takeWorker } from "./pool.ts";
import type { TaskInput, TaskName, TaskOutput } from "./tasks.ts";

/** User Timing mark set when a task's first result arrives from its worker (`scaleplan:first-response:plan`). */
export const FIRST_RESPONSE_MARK = "scaleplan:first-response:";

/** A failed task: carries the serialized error (with `field` for InputErrors). */
export class TaskError extends Error {
  override readonly name = "TaskError";
  readonly error: SerializedError;
  constructor(error: SerializedError) {
    super(error.message);
    this.error = error;
  }
}

/** Thrown to a caller whose request was replaced by a newer one before it finished. */
export class Superseded extends Error {
  override readonly name = "Superseded";
}

/** Thrown to a caller whose request was cancelled (its worker was terminated). */
export class Cancelled extends Error {
  override readonly name = "Cancelled";
}

export interface TaskResult<T> {
  readonly result: T;
  readonly elapsedMs: number;
}

interface Pending {
  readonly id: number;
  readonly resolve: (value: TaskResult<unknown>) => void;
  readonly reject: (error: Error) => void;
  /** Replaced when a view takes over a request started before it existed (`listen`). */
  onProgress: ProgressCallbacks | undefined;
  /** The latest progress and early result, kept for a listener that comes later. */
  lastProgress?: readonly [done: number, total: number, label: string];
  lastPartial?: TaskResult<unknown>;
}

/** What the page hears while a task runs: progress, and early usable results (see ProgressFn.partial). */
export interface ProgressCallbacks {
  readonly progress: (done: number, total: number, label: string) => void;
  readonly partial?: (result: TaskResult<unknown>) => void;
}

/**
 * Runs tasks in a dedicated module worker. A new request while one is running terminates the worker (a sweep
 * cannot be interrupted from inside) and starts a fresh one, so stale work never delays the newest input.
 */
export class TaskRunner {
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private nextId = 1;
  /** A worker already started for this runner's first request (an opening worker); later ones come from the pool. */
  private opening: Worker | undefined;

  constructor(opening?: Worker) {
    this.opening = opening;
  }

  run<K extends TaskName>(task: K, input: TaskInput<K>, onProgress?: ProgressCallbacks): Promise<TaskResult<TaskOutput<K>>> {
    if (this.pending !== null) this.stop(new Superseded("superseded by a newer request"));
    const worker = (this.worker ??= this.spawn(task));
    const id = this.nextId++;
    let settle!: Pick<Pending, "resolve" | "reject">;
    const promise = new Promise<TaskResult<unknown>>((resolve, reject) => (settle = { resolve, reject }));
    this.pending = { id, ...settle, onProgress };
    const request: WorkerRequest = { type: "run", id, task, input };
    worker.postMessage(request);
    return promise as Promise<TaskResult<TaskOutput<K>>>;
  }

  /**
   * Listens to the running request (one started before its view existed, see early-requests.ts): its progress and
   * early result so far are replayed to `onProgress` at once. Nothing happens when the request has already ended.
   */
  listen(onProgress: ProgressCallbacks): void {
    const pending = this.pending;
    if (pending === null) return;
    pending.onProgress = onProgress;
    if (pending.lastProgress) onProgress.progress(...pending.lastProgress);
    if (pending.lastPartial) onProgress.partial?.(pending.lastPartial);
  }

  /** Whether a request is running. */
  get busy(): boolean {
    return this.pending !== null;
  }

  /** Stops the running request, if any: its worker is terminated (the core's loops cannot be interrupted from inside). */
  cancel(): void {
    if (this.pending !== null) this.stop(new Cancelled("cancelled"));
  }

  dispose(): void {
    this.opening?.terminate();
    this.opening = undefined;
    this.worker?.terminate();
    this.worker = null;
    this.pending = null;
  }

  private stop(reason: Error): void {
    this.pending?.reject(reason);
    this.pending = null;
    this.worker?.terminate();
    this.worker = null;
  }

  private spawn(task: TaskName): Worker {
    const worker = takeWorker(task, this.opening);
    this.opening = undefined;
    worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const message = event.data;
      const pending = this.pending;
      if (pending === null || pending.id !== message.id) return;
      if (message.type !== "progress" && message.type !== "error" && performance.getEntriesByName(FIRST_RESPONSE_MARK + task, "mark").length === 0) {
        // Where a first result's time goes (bench/web.bench.ts): when the worker's compute started, and when its
        // first usable answer (early or final) arrived.
        performance.mark(FIRST_RESPONSE_MARK + task, { detail: { computeStartMs: message.startedAtEpochMs - performance.timeOrigin, computeMs: message.elapsedMs } });
      }
      if (message.type === "progress") {
        pending.lastProgress = [message.done, message.total, message.label];
        pending.onProgress?.progress(message.done, message.total, message.label);
        return;
      }
      if (message.type === "partial") {
        pending.lastPartial = { result: message.result, elapsedMs: message.elapsedMs };
        pending.onProgress?.partial?.(pending.lastPartial);
        return;
      }
      this.pending = null;
      if (message.type === "error") pending.reject(new TaskError(message.error));
      else pending.resolve({ result: message.result, elapsedMs: message.elapsedMs });
    };
    worker.onerror = (event) => {
      const pending = this.pending;
      this.pending = null;
      this.worker = null;
      pending?.reject(new TaskError({ name: "WorkerError", message: event.message || "the computation worker failed" }));
    };
    return worker;
  }
}
