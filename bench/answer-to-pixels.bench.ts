// The page's own share of a view's first result: from the worker's answer arriving on the page
// (`scaleplan:first-response:<task>`, web/src/worker/client.ts) to the result rendered and painted
// (`scaleplan:first-result:<task>`, web/src/worker/use-task.ts), and to the first chart drawn
// (`scaleplan:first-chart`, web/src/components/chart-host.ts). `npm run bench pixels`; docs/web-app.md,
// "From answer to pixels". Fresh pages of Debian's chromium, medians per view.
import { loadavg } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { REPO, startSite } from "../test/e2e/harness.ts";
import { serveStatic, VIEWS } from "./static-site.ts";

interface Window {
  /** Answer → first result, for the view's task whose result came last (that one decides the view's first result). */
  readonly result: number;
  /** Answer (same task) → first chart; NaN in a view without charts. */
  readonly chart: number;
}

const median = (xs: readonly number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)]!;
};

/** One fresh page of `view` at `base`. (A string to evaluate: tsx's helper names do not exist in the page.) */
async function measure(browser: Browser, base: string, view: string, tasks: readonly string[]): Promise<Window> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(new URL(`./?view=${view}`, base).href);
  const done = `${JSON.stringify(tasks)}.every((t) => performance.getEntriesByName("scaleplan:first-result:" + t, "mark").length > 0)`;
  await page.waitForFunction(done, null, { timeout: 60_000 });
  // Charts follow the numbers: give them time to be drawn (a view without charts has none to wait for).
  await page.waitForFunction(`performance.getEntriesByName("scaleplan:first-chart", "mark").length > 0`, null, { timeout: 3_000 }).catch(() => undefined);
  const window = (await page.evaluate(`(() => {
    const at = (name) => performance.getEntriesByName(name, "mark")[0]?.startTime ?? NaN;
    const last = ${JSON.stringify(tasks)}.map((t) => ({ t, shown: at("scaleplan:first-result:" + t) })).sort((a, b) => b.shown - a.shown)[0];
    const answer = at("scaleplan:first-response:" + last.t);
    return { result: last.shown - answer, chart: at("scaleplan:first-chart") - answer };
  })()`)) as Window;
  await page.close();
  return window;
}

/**
 * SCALEPLAN_BENCH_RUNS pages per view (default 7), SCALEPLAN_BENCH_VIEWS=plan,run to choose views, and
 * SCALEPLAN_BENCH_BASELINE=<a built web-dist/ of another commit> to serve that build too, its pages alternating
 * with this build's so both see the same machine load.
 */
export default async function (log: (line: string) => void): Promise<void> {
  const runs = Number(process.env["SCALEPLAN_BENCH_RUNS"] ?? 7);
  const only = process.env["SCALEPLAN_BENCH_VIEWS"]?.split(",");
  const baselineDir = process.env["SCALEPLAN_BENCH_BASELINE"];
  const site = await startSite();
  const builds = await Promise.all([join(REPO, "web-dist"), ...(baselineDir ? [baselineDir] : [])].map(serveStatic));
  const names = ["this build", ...(baselineDir ? [`baseline ${baselineDir}`] : [])];
  log(`load average at the start: ${loadavg().map((l) => l.toFixed(1)).join(", ")}`);
  try {
    for (const [view, tasks] of VIEWS.filter(([v]) => only === undefined || only.includes(v))) {
      const windows: Window[][] = builds.map(() => []);
      for (let i = 0; i < runs; i++) {
        // Alternate which build goes first, so neither always follows the other's page teardown.
        const order = builds.map((_, k) => k);
        if (i % 2 === 1) order.reverse();
        for (const k of order) windows[k]!.push(await measure(site.browser, builds[k]!.url, view, tasks));
      }
      windows.forEach((w, k) => {
        const results = w.map((x) => x.result);
        const chart = median(w.map((x) => x.chart));
        log(
          `answer → first result, ${view} (${names[k]}): median ${median(results).toFixed(0)} ms, max ${Math.max(...results).toFixed(0)} ms over ${runs} fresh pages ` +
            `[${results.map((x) => x.toFixed(0)).join(" ")}]; answer → first chart ${Number.isNaN(chart) ? "none (no chart)" : `median ${chart.toFixed(0)} ms`}`,
        );
      });
    }
  } finally {
    for (const b of builds) b.close();
    await site.close();
  }
  log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(", ")}`);
}
