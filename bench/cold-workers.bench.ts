// The cold computation of each view's opening requests in chromium: every round starts a fresh worker (cold JIT)
// that runs the view's first requests (web/src/first-requests.ts) once, up to the first result (a task's partial
// result when it sends one), and a trace gives the CPU time of that compute on the worker thread and of the
// background thread pool (V8's optimizing compilers) — CPU, not wall time, so that runs on a busy machine compare.
// SCALEPLAN_BENCH_BASELINE_SRC=<a checkout of another commit> alternates its workers with this tree's (A/B);
// SCALEPLAN_BENCH_VIEWS (default limits,scaling,schedules,run), SCALEPLAN_BENCH_RUNS (default 7).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import type { CDPSession, Page } from "playwright-core";
import { launchChromium, REPO } from "../test/e2e/harness.ts";
import { traced, type TraceEvent } from "./chromium-trace.ts";

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// The worker: the view's first requests, each task once, stopping at its first result.
const ENTRY = `
import { firstRequests } from "./web/src/first-requests.ts";
import { taskLoaders } from "./web/src/worker/tasks.ts";
const FIRST_RESULT = { first: true };
self.onmessage = async (event) => {
  const started = performance.now();
  for (const request of firstRequests("?view=" + event.data)) {
    const task = await taskLoaders[request.task]();
    const progress = () => {};
    progress.partial = () => { throw FIRST_RESULT; };
    try { await task(request.input, progress); } catch (error) { if (error !== FIRST_RESULT) throw error; }
  }
  self.postMessage(performance.now() - started);
};`;

/** Vite's `?raw` imports (the Scaling view's example runs) as text. */
const raw: Plugin = {
  name: "raw",
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (a) => ({ path: resolve(a.resolveDir, a.path.slice(0, -4)), namespace: "raw" }));
    b.onLoad({ filter: /.*/, namespace: "raw" }, (a) => ({ contents: readFileSync(a.path, "utf8"), loader: "text" }));
  },
};

/** The worker's one script for a source tree, minified as the web build is. */
async function workerScript(root: string): Promise<string> {
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: root, loader: "ts", sourcefile: "cold-worker.ts" },
    bundle: true, platform: "browser", format: "iife", minify: true, write: false, target: "es2022", logLevel: "silent", plugins: [raw],
  });
  return out.outputFiles[0]!.text;
}

/** One fresh worker: CPU of the task that ran the compute (the page's message) and of the thread pool, ms; wall time in the worker. */
async function coldRun(page: Page, cdp: CDPSession, script: string, view: string): Promise<{ worker: number; pool: number; wall: number }> {
  const { result: wall, events } = await traced(cdp, ["devtools.timeline", "toplevel", "v8"], () =>
    page.evaluate(
      ({ script, view }) =>
        new Promise<number>((done) => {
          const worker = new Worker(URL.createObjectURL(new Blob([script], { type: "text/javascript" })));
          worker.onmessage = (e: MessageEvent<number>) => {
            done(e.data);
            worker.terminate();
          };
          worker.postMessage(view);
        }),
      { script, view },
    ),
  );
  const threads = (pattern: RegExp) => new Set(events.filter((e) => e.ph === "M" && e.name === "thread_name" && pattern.test(e.args?.name ?? "")).map((e) => `${e.pid}:${e.tid}`));
  const eventsOf = (ids: Set<string>, name: string) => events.filter((e) => e.ph === "X" && e.name === name && ids.has(`${e.pid}:${e.tid}`));
  const workerThread = threads(/DedicatedWorker/);
  // The worker thread's task that handled the page's message (not the one that evaluated the script).
  const message = eventsOf(workerThread, "HandlePostMessage")[0];
  const task = message && eventsOf(workerThread, "ThreadControllerImpl::RunTask").find((t) => t.ts <= message.ts && t.ts + (t.dur ?? 0) >= message.ts + (message.dur ?? 0));
  const worker = (task?.tdur ?? Number.NaN) / 1000;
  const pool = eventsOf(threads(/ThreadPool/), "ThreadPool_RunTask").reduce((sum, e) => sum + (e.tdur ?? 0) / 1000, 0);
  return { worker, pool, wall };
}

export default async function bench(log: (line: string) => void): Promise<void> {
  const views = (process.env["SCALEPLAN_BENCH_VIEWS"] ?? "limits,scaling,schedules,run").split(",");
  const rounds = Number(process.env["SCALEPLAN_BENCH_RUNS"] ?? 7);
  const baselineSrc = process.env["SCALEPLAN_BENCH_BASELINE_SRC"];
  const builds = [{ label: "this tree", script: await workerScript(REPO) }];
  if (baselineSrc) builds.push({ label: `baseline ${baselineSrc}`, script: await workerScript(resolve(baselineSrc)) });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent("<!doctype html><title>cold workers</title>");
    const cdp = await page.context().newCDPSession(page);
    for (const view of views) {
      const runs = builds.map(() => [] as Array<{ worker: number; pool: number; wall: number }>);
      for (let r = 0; r < rounds; r++) for (const [i, b] of builds.entries()) runs[i]!.push(await coldRun(page, cdp, b.script, view));
      for (const [i, b] of builds.entries()) {
        const m = (f: (x: { worker: number; pool: number; wall: number }) => number) => median(runs[i]!.map(f)).toFixed(1);
        log(`${view} (${b.label}), first result in a fresh worker, medians of ${rounds}: worker-thread CPU ${m((x) => x.worker)} ms, background pool CPU ${m((x) => x.pool)} ms, wall in the worker ${m((x) => x.wall)} ms`);
      }
    }
  } finally {
    await browser.close();
  }
}
