// The general computation worker (warm spares, web/src/worker/pool.ts): runs any task, loading each task's code on
// first use (or when preloaded), so a worker only fetches and compiles the code of the views that use it.
import { serveTasks, type Task } from "./serve.ts";
import { taskLoaders } from "./tasks.ts";

const loaded = new Map<string, Promise<Task>>();

serveTasks((task) => {
  let promise = loaded.get(task);
  if (promise === undefined) {
    const loader = (taskLoaders as Record<string, (() => Promise<Task>) | undefined>)[task];
    promise = loader ? loader() : Promise.reject(new Error(`unknown task ${JSON.stringify(task)}`));
    loaded.set(task, promise);
  }
  return promise;
});
