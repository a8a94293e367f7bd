// One worker script per task a view opens with (web/src/worker/opening/*.worker.ts): the task's code is bundled into
// the script, so the worker computes as soon as that one file is fetched and evaluated, instead of after a waterfall
// of chunk imports (docs/web-app.md "Critical path of the first result"). Used for the opening view's first
// requests only; later requests go to the general worker (worker.ts, pool.ts).
import { OPENING_WORKERS_GLOBAL } from "../opening-script.ts";
import { WORKER_SPAWN_MARK } from "./pool.ts";
import type { TaskName } from "./tasks.ts";

// Vite bundles each `new Worker(new URL(…))` on its own; the options must be literal for it to see `type: "module"`.
const START: Partial<Record<TaskName, () => Worker>> = {
  plan: () => new Worker(new URL("./opening/plan.worker.ts", import.meta.url), { type: "module", name: "scaleplan-compute" }),
  limits: () => new Worker(new URL("./opening/limits.worker.ts", import.meta.url), { type: "module", name: "scaleplan-compute" }),
  scaling: () => new Worker(new URL("./opening/scaling.worker.ts", import.meta.url), { type: "module", name: "scaleplan-compute" }),
  schedules: () => new Worker(new URL("./opening/schedules.worker.ts", import.meta.url), { type: "module", name: "scaleplan-compute" }),
  sweep: () => new Worker(new URL("./opening/sweep.worker.ts", import.meta.url), { type: "module", name: "scaleplan-compute" }),
  run: () => new Worker(new URL("./opening/run.worker.ts", import.meta.url), { type: "module", name: "scaleplan-compute" }),
};

/**
 * The opening worker of `task`: the one the page's first script started (opening-script.ts), else a new one;
 * undefined for a task without one. Each started worker is handed out once.
 */
export function openingWorker(task: TaskName): Worker | undefined {
  const started = (self as unknown as Record<string, Partial<Record<string, Worker>> | undefined>)[OPENING_WORKERS_GLOBAL];
  const worker = started?.[task];
  if (worker !== undefined) {
    delete started![task];
    return worker;
  }
  const start = START[task];
  if (start === undefined) return undefined;
  performance.mark(WORKER_SPAWN_MARK);
  return start();
}
