// The tasks the computation worker can run: each is a core function plus progress reporting.
// The page imports only the types of this module; the code runs inside the worker.
import { limitsTask } from "../views/limits/task.ts";
import { runTask } from "../views/run/task.ts";
import { scalingTask } from "../views/scaling/task.ts";
import { schedulesTask } from "../views/schedules/task.ts";
import type { ProgressFn } from "./protocol.ts";

export const tasks = {
  limits: limitsTask,
  schedules: schedulesTask,
  run: runTask,
  scaling: scalingTask,
} satisfies Record<string, (input: never, progress: ProgressFn) => unknown>;

export type TaskName = keyof typeof tasks;
type TaskFn<K extends TaskName> = (typeof tasks)[K] extends (input: infer I, progress: ProgressFn) => infer O ? (input: I) => O : never;
export type TaskInput<K extends TaskName> = Parameters<TaskFn<K>>[0];
export type TaskOutput<K extends TaskName> = ReturnType<TaskFn<K>>;
