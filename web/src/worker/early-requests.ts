// The opening view's first computations, sent by the page entry (main.tsx) before the app's code has loaded: the
// worker's start and compute then overlap with fetching, parsing and rendering the app (boot.tsx), instead of
// following them (issue 13, docs/web-app.md "Critical path of the first result"). The view, once rendered, takes
// the running request over (useTask → claimEarlyRequest) when its input is the same; otherwise it is dropped.
import { TaskRunner, type TaskResult } from "./client.ts";
import { openingWorker } from "./opening-workers.ts";
import type { TaskInput, TaskName } from "./tasks.ts";

/** One task and its input, as a view sends it. */
export type FirstRequest = { readonly [K in TaskName]: { readonly task: K; readonly input: TaskInput<K> } }[TaskName];

/** A request started early: its runner (the view keeps using it) and the result it will give. */
export interface EarlyRequest {
  readonly runner: TaskRunner;
  readonly promise: Promise<TaskResult<unknown>>;
}

const started = new Map<string, EarlyRequest & { readonly key: string }>();

/** User Timing mark set when a task's first request is sent to its worker (read by bench/web.bench.ts). */
export const FIRST_REQUEST_MARK = "scaleplan:first-request:";

/** Sends `requests` now, each to its task's opening worker (opening-workers.ts). */
export function startEarlyRequests(requests: readonly FirstRequest[]): void {
  for (const { task, input } of requests) {
    const runner = new TaskRunner(openingWorker(task));
    performance.mark(FIRST_REQUEST_MARK + task);
    const promise = runner.run(task, input as never);
    // Until a view claims it, a failure (an invalid field in the link) is nobody's to report yet.
    promise.catch(() => undefined);
    started.set(task, { runner, promise, key: JSON.stringify(input) });
  }
}

/**
 * The early request of `task` if it was sent with the same input (`key`: the input as JSON), for the view to take
 * over; one with another input is stopped. Each request is claimed at most once.
 */
export function claimEarlyRequest(task: TaskName, key: string): EarlyRequest | undefined {
  const early = started.get(task);
  if (early === undefined) return undefined;
  started.delete(task);
  if (early.key === key) return early;
  early.runner.dispose();
  return undefined;
}
