// The computation worker's message loop: runs core functions off the main thread so the page never freezes. Shared
// by the general worker (worker.ts: any task, each loaded on first use) and the opening workers (opening/*.ts: one
// task, bundled with its code so nothing is fetched after the worker's own script).
import { serializeError, type ProgressFn, type WorkerMessage, type WorkerResponse } from "./protocol.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerMessage>) => void) | null;
  postMessage(message: WorkerResponse): void;
}

// Progress messages are throttled: a sweep reports often, the page only needs a few updates per second.
const PROGRESS_INTERVAL_MS = 50;

export type Task = (input: never, progress: ProgressFn) => unknown;

/** Answers the page's requests with the tasks `load` gives (`load` is asked again for each request: it caches). */
export function serveTasks(load: (task: string) => Promise<Task>): void {
  const scope = self as unknown as WorkerScope;
  // The worker's code is fetched and evaluated: a mark in the worker's own timeline (its timeOrigin is not the
  // page's), for a look at the worker's start from playwright (page.on("worker") → worker.evaluate).
  performance.mark("scaleplan:worker-ready");
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
}

/** Serves the one task an opening worker was built for (its code is in the worker's own script). */
export function serveOne(name: string, task: Task): void {
  const ready = Promise.resolve(task);
  serveTasks((requested) => (requested === name ? ready : Promise.reject(new Error(`this worker runs ${name}, not ${JSON.stringify(requested)}`))));
}
