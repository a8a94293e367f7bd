// The computation worker: runs core functions off the main thread so the page never freezes.
import { serializeError, type WorkerRequest, type WorkerResponse } from "./protocol.ts";
import { tasks } from "./tasks.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse): void;
}
const scope = self as unknown as WorkerScope;

// Progress messages are throttled: a sweep reports often, the page only needs a few updates per second.
const PROGRESS_INTERVAL_MS = 50;

scope.onmessage = (event) => {
  const { id, task, input } = event.data;
  const started = performance.now();
  let lastProgress = -Infinity;
  try {
    const run = (tasks as Record<string, ((input: never, progress: (done: number, total: number, label: string) => void) => unknown) | undefined>)[task];
    if (run === undefined) throw new Error(`unknown task ${JSON.stringify(task)}`);
    const result = run(input as never, (done, total, label) => {
      const now = performance.now();
      if (now - lastProgress < PROGRESS_INTERVAL_MS && done < total) return;
      lastProgress = now;
      scope.postMessage({ id, type: "progress", done, total, label });
    });
    scope.postMessage({ id, type: "result", result, elapsedMs: performance.now() - started });
  } catch (error) {
    scope.postMessage({ id, type: "error", error: serializeError(error) });
  }
};
