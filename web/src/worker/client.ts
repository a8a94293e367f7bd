// The page side of the worker: one module worker per view, newest request wins.
import type { ProgressFn, SerializedError, WorkerRequest, WorkerResponse } from "./protocol.ts";
import type { TaskInput, TaskName, TaskOutput } from "./tasks.ts";

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

export interface TaskResult<T> {
  readonly result: T;
  readonly elapsedMs: number;
}

interface Pending {
  readonly id: number;
  readonly resolve: (value: TaskResult<unknown>) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress: ProgressFn | undefined;
}

/**
 * Runs tasks in a dedicated module worker. A new request while one is running terminates the worker (a sweep
 * cannot be interrupted from inside) and starts a fresh one, so stale work never delays the newest input.
 */
export class TaskRunner {
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private nextId = 1;

  run<K extends TaskName>(task: K, input: TaskInput<K>, onProgress?: ProgressFn): Promise<TaskResult<TaskOutput<K>>> {
    if (this.pending !== null) {
      this.pending.reject(new Superseded("superseded by a newer request"));
      this.pending = null;
      this.worker?.terminate();
      this.worker = null;
    }
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise<TaskResult<TaskOutput<K>>>((resolve, reject) => {
      this.pending = { id, resolve: resolve as (value: TaskResult<unknown>) => void, reject, onProgress };
      const request: WorkerRequest = { id, task, input };
      worker.postMessage(request);
    });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.pending = null;
  }

  private spawn(): Worker {
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "scaleplan-compute" });
    worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const message = event.data;
      const pending = this.pending;
      if (pending === null || pending.id !== message.id) return;
      if (message.type === "progress") {
        pending.onProgress?.(message.done, message.total, message.label);
        return;
      }
      this.pending = null;
      if (message.type === "result") pending.resolve({ result: message.result, elapsedMs: message.elapsedMs });
      else pending.reject(new TaskError(message.error));
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
