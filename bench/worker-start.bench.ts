// The opening worker's start in chromium, as CPU of its thread (not wall time, so that builds compare on a busy
// machine): from a trace of fresh pages of the built site, the worker thread's CPU up to its `scaleplan:worker-ready`
// mark (V8 isolate set-up, the script's compile and evaluation), and the wall time from the page's spawn mark to
// that mark. `npm run build:web` first. SCALEPLAN_BENCH_BASELINE=<a built web-dist/ of another commit> (several:
// comma-separated) alternates its pages with this build's; SCALEPLAN_BENCH_VIEWS (default plan,limits,run),
// SCALEPLAN_BENCH_RUNS (default 7).
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium, REPO } from "../test/e2e/harness.ts";
import { traced, type TraceEvent } from "./chromium-trace.ts";
import { serveStatic, VIEWS } from "./static-site.ts";

interface WorkerStart {
  /** CPU of the worker thread's tasks up to the ready mark, and of its compile and evaluation events, ms. */
  readonly cpu: number;
  readonly compile: number;
  readonly evaluate: number;
  /** Wall time from the page's `scaleplan:worker-spawn` mark to the worker's ready mark, ms. */
  readonly afterSpawn: number;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpuOf = (events: readonly TraceEvent[]) => events.reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000;

/** One fresh page of `view` at `url`, traced until the view's first task answered. */
async function workerStart(browser: Browser, url: string, view: string, task: string): Promise<WorkerStart> {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  const { events } = await traced(cdp, ["toplevel", "v8", "blink.user_timing", "devtools.timeline"], async () => {
    await page.goto(new URL(`./?view=${view}`, url).href);
    await page.waitForFunction((name) => performance.getEntriesByName(name, "mark").length > 0, `scaleplan:first-result:${task}`, { timeout: 60_000 });
  });
  await page.close();
  // The first ready mark is the opening worker's (the mark is set in the worker's thread).
  const ready = events.filter((e) => e.name === "scaleplan:worker-ready").sort((a, b) => a.ts - b.ts)[0];
  const spawn = events.find((e) => e.name === "scaleplan:worker-spawn");
  if (ready === undefined || spawn === undefined) throw new Error(`${view}: no worker-spawn or worker-ready mark in the trace`);
  const before = events.filter((e) => e.ph === "X" && e.pid === ready.pid && e.tid === ready.tid && e.ts <= ready.ts);
  return {
    cpu: cpuOf(before.filter((e) => e.name === "ThreadControllerImpl::RunTask")),
    compile: cpuOf(before.filter((e) => /^(v8\.compile|V8\.CompileCode|v8\.compileModule)/.test(e.name))),
    evaluate: cpuOf(before.filter((e) => /^(v8\.evaluateModule|EvaluateScript)/.test(e.name))),
    afterSpawn: (ready.ts - spawn.ts) / 1000,
  };
}

export default async function bench(log: (line: string) => void): Promise<void> {
  const views = (process.env["SCALEPLAN_BENCH_VIEWS"] ?? "plan,limits,run").split(",");
  const rounds = Number(process.env["SCALEPLAN_BENCH_RUNS"] ?? 7);
  const baselines = process.env["SCALEPLAN_BENCH_BASELINE"]?.split(",").filter((d) => d !== "") ?? [];
  const dirs = [join(REPO, "web-dist"), ...baselines];
  const servers = await Promise.all(dirs.map(serveStatic));
  const browser = await launchChromium();
  try {
    for (const [view, tasks] of VIEWS.filter(([v]) => views.includes(v))) {
      const runs = dirs.map(() => [] as WorkerStart[]);
      for (let r = 0; r < rounds; r++) for (const [i, server] of servers.entries()) runs[i]!.push(await workerStart(browser, server.url, view, tasks[0]!));
      dirs.forEach((dir, i) => {
        const m = (f: (x: WorkerStart) => number) => median(runs[i]!.map(f)).toFixed(1);
        const label = i === 0 ? "this build" : `baseline ${dir}`;
        log(`${view} (${label}), opening worker's start, medians of ${rounds} fresh pages: worker-thread CPU to ready ${m((x) => x.cpu)} ms (compile ${m((x) => x.compile)}, evaluate ${m((x) => x.evaluate)}), ready ${m((x) => x.afterSpawn)} ms after the spawn (wall)`);
      });
    }
  } finally {
    await browser.close();
    for (const server of servers) server.close();
  }
}
