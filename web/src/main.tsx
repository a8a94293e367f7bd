import { INITIAL_TASKS } from "./worker/tasks.ts";
import { prewarmWorkers } from "./worker/pool.ts";

// The computation workers start loading first, in parallel with the app's own (larger) code: a view's first result
// then waits for the slower of the two instead of their sum. One worker per task the opening view runs.
const tasks = INITIAL_TASKS[new URLSearchParams(window.location.search).get("view") ?? ""] ?? [];
prewarmWorkers(Math.max(1, tasks.length), tasks);
void import("./boot.tsx").then((boot) => boot.mount());
