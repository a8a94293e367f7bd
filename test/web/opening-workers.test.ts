// The opening view's workers: the page's first inline script (web/src/opening-script.ts, written into index.html by
// web/vite.config.ts) must start the same tasks' workers that the page entry then sends requests to
// (web/src/first-requests.ts), for every view and for a missing or unknown `?view=`.
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { firstRequests } from "../../web/src/first-requests.ts";
import { OPENING_WORKERS_GLOBAL, openingScript } from "../../web/src/opening-script.ts";
import { OPENING_TASKS, openingView } from "../../web/src/opening-tasks.ts";

const URLS = { plan: "./assets/plan.worker-a.js", limits: "./assets/limits.worker-b.js", scaling: "./assets/scaling.worker-c.js", schedules: "./assets/schedules.worker-d.js", sweep: "./assets/sweep.worker-e.js", run: "./assets/run.worker-f.js" };

/** Runs the inline script as a browser would (a classic script), with a recording Worker; what it started, by task. */
function runScript(search: string, urls: Record<string, string> = URLS, WorkerClass?: unknown) {
  const created: Array<{ url: string; options: unknown }> = [];
  const marks: string[] = [];
  const self: Record<string, unknown> = {};
  class FakeWorker {
    constructor(url: string, options: unknown) {
      created.push({ url, options });
    }
  }
  runInNewContext(openingScript(urls), { self, location: { search }, URLSearchParams, performance: { mark: (name: string) => marks.push(name) }, Worker: WorkerClass ?? FakeWorker });
  return { created, marks, started: self[OPENING_WORKERS_GLOBAL] as Record<string, unknown> | undefined };
}

describe("the opening workers", () => {
  it("are started by the first script for the tasks the page entry then sends, in every view", () => {
    for (const view of Object.keys(OPENING_TASKS)) {
      const search = `?view=${view}`;
      const { created, started, marks } = runScript(search);
      const tasks = firstRequests(search).map((r) => r.task);
      expect(tasks, view).toEqual(OPENING_TASKS[view as keyof typeof OPENING_TASKS]);
      expect(Object.keys(started ?? {}), view).toEqual(tasks);
      expect(created.map((c) => c.url), view).toEqual(tasks.map((t) => URLS[t as keyof typeof URLS]));
      for (const c of created) expect(c.options).toEqual({ type: "module", name: "scaleplan-compute" });
      expect(marks, view).toEqual(tasks.map(() => "scaleplan:worker-spawn"));
    }
  });

  it("fall back to the landing view (Plan) for a missing or unknown view, as the app and the page entry do", () => {
    for (const search of ["", "?view=nope", "?view=__proto__", "?view=toString", "?l.floor=0.7"]) {
      expect(openingView(search), search).toBe("plan");
      expect(Object.keys(runScript(search).started ?? {}), search).toEqual(["plan"]);
      expect(firstRequests(search).map((r) => r.task), search).toEqual(["plan"]);
    }
  });

  it("skip a task without a built worker, and leave the page entry to start it when Worker throws", () => {
    const { sweep: _, ...withoutSweep } = URLS;
    expect(Object.keys(runScript("?view=schedules", withoutSweep).started ?? {})).toEqual(["schedules"]);
    const refusing = class {
      constructor() {
        throw new Error("SecurityError");
      }
    };
    expect(runScript("?view=limits", URLS, refusing).started).toBeUndefined();
  });
});
