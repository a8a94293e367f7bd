// The tasks the computation worker can run: each is a core function plus progress reporting. Each is loaded on
// first use (or when preloaded), so a worker only fetches and compiles the code of the views that use it.
// The page imports only the types of this module; the code runs inside the worker.
import type { ProgressFn } from "./protocol.ts";

export const taskLoaders = {
  limits: () => import("../views/limits/task.ts").then((m) => m.limitsTask),
  schedules: () => import("../views/schedules/task.ts").then((m) => m.schedulesTask),
  sweep: () => import("../views/schedules/sweep-task.ts").then((m) => m.sweepTask),
  run: () => import("../views/run/task.ts").then((m) => m.runTask),
  scaling: () => import("../views/scaling/task.ts").then((m) => m.scalingTask),
  plan: () => import("../views/plan/task.ts").then((m) => m.planTask),
  // The law panels of the Scaling and Schedules views: requested only after their view's first result.
  moe: () => import("../views/scaling/moe-task.ts").then((m) => m.moeTask),
  precision: () => import("../views/scaling/precision-task.ts").then((m) => m.precisionTask),
  diloco: () => import("../views/scaling/diloco-task.ts").then((m) => m.dilocoTask),
  study: () => import("../views/schedules/study-task.ts").then((m) => m.studyTask),
};

export type TaskName = keyof typeof taskLoaders;
type Loaded<K extends TaskName> = Awaited<ReturnType<(typeof taskLoaders)[K]>>;
type TaskFn<K extends TaskName> = Loaded<K> extends (input: infer I, progress: ProgressFn) => infer O ? (input: I) => O : never;
export type TaskInput<K extends TaskName> = Parameters<TaskFn<K>>[0];
/** What a task gives back (a task may be async, e.g. to load code it needs only for some inputs). */
export type TaskOutput<K extends TaskName> = Awaited<ReturnType<TaskFn<K>>>;
