// The computation worker: runs core functions off the main thread so the page never freezes.
import { serializeError, type ProgressFn, type WorkerMessage, type WorkerResponse } from "./protocol.ts";
import { taskLoaders } from "./tasks.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerMessage>) => void) | null;
  postMessage(message: WorkerResponse): void;
}
const scope = self as unknown as WorkerScope;

// Progress messages are throttled: a sweep reports often, the page only needs a few updates per second.
const PROGRESS_INTERVAL_MS = 50;

type Task = (input: never, progress: ProgressFn) => unknown;
const loaded = new Map<string, Promise<Task>>();

function load(task: string): Promise<Task> {
  let promise = loaded.get(task);
  if (promise === undefined) {
    const loader = (taskLoaders as Record<string, (() => Promise<Task>) | undefined>)[task];
    promise = loader ? loader() : Promise.reject(new Error(`unknown task ${JSON.stringify(task)}`));
    loaded.set(task, promise);
  }
  return promise;
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === "preload") {
    // Errors surface when the task is actually requested.
    for (const task of message.tasks) load(task).catch(() => undefined);
    return;
  }
  const { id, task, input } = message;
  load(task)
    .then(async (run) => {
      const started = performance.now();
      let lastProgress = -Infinity;
      const progress: ProgressFn = (done, total, label) => {
        const now = performance.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS && done < total) return;
        lastProgress = now;
        scope.postMessage({ id, type: "progress", done, total, label });
      };
      const startedAtEpochMs = performance.timeOrigin + started;
      progress.partial = (result) => scope.postMessage({ id, type: "partial", result, elapsedMs: performance.now() - started, startedAtEpochMs });
      const result = await run(input as never, progress);
      scope.postMessage({ id, type: "result", result, elapsedMs: performance.now() - started, startedAtEpochMs });
    })
    .catch((error: unknown) => scope.postMessage({ id, type: "error", error: serializeError(error) }));
};
