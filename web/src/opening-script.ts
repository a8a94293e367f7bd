// The page's first script, written into index.html at build time (web/vite.config.ts): it starts the opening view's
// workers while the HTML is still being parsed, before the page entry (main.tsx) is fetched. Each worker is the
// task's self-contained script (opening-workers.ts), so by the time main.tsx sends the first request the worker is
// already fetching and compiling its code. The page entry takes these workers from `self[OPENING_WORKERS_GLOBAL]`;
// without them (dev server, or a browser that refused) it starts its own.
import { LANDING_VIEW, OPENING_TASKS } from "./opening-tasks.ts";
import { WORKER_SPAWN_MARK } from "./worker/pool.ts";

/** Where the first script leaves the workers it started, by task (`self.scaleplanOpeningWorkers.plan`). */
export const OPENING_WORKERS_GLOBAL = "scaleplanOpeningWorkers";

/**
 * The inline script's source, given each task's built worker URL relative to the page (`./assets/plan.worker-….js`).
 * Plain ES5-style code with no imports: it runs as a classic inline script. A task without a URL is skipped (the
 * page entry then starts it). Errors are swallowed: the page entry's fallback covers them.
 */
export function openingScript(workerUrls: Readonly<Record<string, string>>): string {
  const views = JSON.stringify(OPENING_TASKS);
  return [
    "(function () {",
    "  try {",
    `    var urls = ${JSON.stringify(workerUrls)}, views = ${views}, started = {};`,
    '    var view = new URLSearchParams(location.search).get("view");',
    `    var tasks = views[Object.prototype.hasOwnProperty.call(views, view) ? view : ${JSON.stringify(LANDING_VIEW)}];`,
    "    for (var i = 0; i < tasks.length; i++) {",
    "      if (!urls[tasks[i]]) continue;",
    `      performance.mark(${JSON.stringify(WORKER_SPAWN_MARK)});`,
    '      started[tasks[i]] = new Worker(urls[tasks[i]], { type: "module", name: "scaleplan-compute" });',
    "    }",
    `    self.${OPENING_WORKERS_GLOBAL} = started;`,
    "  } catch (e) {}",
    "})();",
  ].join("\n");
}
