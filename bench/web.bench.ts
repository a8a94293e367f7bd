// The web app in Debian's chromium: bundle sizes, and how long the Limits sweep and the Scaling-laws fit take in
// the browser's worker (the page's own worker-side timer, read from the DOM), next to the same call in Node.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { findDataMovementGpu } from "../src/core/hardware/lookup.ts";
import { runSweep } from "../src/core/limits/index.ts";
import { REPO, startSite, type Site } from "../test/e2e/harness.ts";
import { serveStatic, VIEWS } from "./static-site.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function limitsRuns(page: Page, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    // "3" and "3.0" are the same sweep but different input text: each edit triggers one recomputation.
    await page.getByLabel("Training time limit (months)").fill(i % 2 === 0 ? "3.0" : "3");
    await page.waitForFunction((want) => document.querySelector("#panel-limits .timing") !== null && (document.querySelector("#s0-months") as HTMLInputElement).value === want && !document.querySelector(".status progress"), i % 2 === 0 ? "3.0" : "3");
    await page.waitForFunction((prev) => {
      const v = document.querySelector("#panel-limits .timing")?.getAttribute("data-elapsed-ms");
      return v !== undefined && v !== null && v !== prev;
    }, String(times[times.length - 1]?.toFixed(1) ?? ""));
    times.push(Number(await page.locator("#panel-limits .timing").getAttribute("data-elapsed-ms")));
  }
  return times;
}

interface FirstResult {
  readonly time: number;
  readonly chart: number;
  readonly split: { readonly appStart: number; readonly request: number; readonly computeStart: number; readonly compute: number; readonly response: number };
}

type OpenPage = () => Promise<Page>;

/**
 * How a measured page is opened, as on a first visit. By default in a fresh browser context (a new window, empty
 * caches). With SCALEPLAN_BENCH_TABS=1, as a new tab of one window that has been up for a while, after clearing the
 * HTTP cache (V8's code cache lives in it): a cross-check of the default (docs/web-app.md, "Measured"); with
 * SCALEPLAN_BENCH_BROWSER_UI=1 as well, the browser UI is on but long loaded, as in a user's browser.
 */
async function pageOpener(site: Site): Promise<OpenPage> {
  const viewport = { width: 1280, height: 900 };
  if (process.env["SCALEPLAN_BENCH_TABS"] !== "1") return () => site.browser.newPage({ viewport });
  const context = await site.browser.newContext({ viewport });
  const first = await context.newPage();
  await first.waitForTimeout(3_000);
  return async () => {
    const cdp = await context.newCDPSession(first);
    await cdp.send("Network.clearBrowserCache");
    await cdp.detach();
    return context.newPage();
  };
}

/** One fresh page of `view` at `base`: when every task's first result was on screen, and where the time went. */
async function firstResult(open: OpenPage, base: string, view: string, tasks: readonly string[]): Promise<FirstResult> {
  const page = await open();
  await page.goto(new URL(`./?view=${view}`, base).href);
  const names = tasks.map((t) => `scaleplan:first-result:${t}`);
  await page.waitForFunction((n) => n.every((name) => performance.getEntriesByName(name, "mark").length > 0), names, { timeout: 60_000 });
  const time = await page.evaluate((n) => Math.max(...n.map((name) => performance.getEntriesByName(name, "mark")[0]!.startTime)), names);
  const chart = await page.evaluate(() => performance.getEntriesByName("scaleplan:first-chart", "mark")[0]?.startTime ?? Number.NaN);
  // Where the time goes, for the view's first task: the request sent, the app's code started, the worker's compute
  // started and took, its answer arrived. (No helper function inside evaluate: tsx's name-keeping wrapper does not
  // exist in the page.)
  const split = await page.evaluate((task) => ({
    appStart: performance.getEntriesByName("scaleplan:app-start", "mark")[0]?.startTime ?? Number.NaN,
    request: performance.getEntriesByName(`scaleplan:first-request:${task}`, "mark")[0]?.startTime ?? Number.NaN,
    compute: Number(((performance.getEntriesByName(`scaleplan:first-result:${task}`, "mark")[0] as PerformanceMark | undefined)?.detail as { computeMs?: number } | undefined)?.computeMs ?? Number.NaN),
    computeStart: Number(((performance.getEntriesByName(`scaleplan:first-response:${task}`, "mark")[0] as PerformanceMark | undefined)?.detail as { computeStartMs?: number } | undefined)?.computeStartMs ?? Number.NaN),
    response: performance.getEntriesByName(`scaleplan:first-response:${task}`, "mark")[0]?.startTime ?? Number.NaN,
  }), tasks[0]!);
  await page.close();
  return { time, chart, split };
}

function summary(view: string, label: string, results: readonly FirstResult[]): string {
  const m = (f: (r: FirstResult) => number) => {
    const xs = results.map(f).filter(Number.isFinite);
    return xs.length > 0 ? median(xs).toFixed(0) : "n/a";
  };
  return (
    `first result after page load, ${view}${label}: median ${m((r) => r.time)} ms, max ${Math.max(...results.map((r) => r.time)).toFixed(0)} ms over ${results.length} fresh pages` +
    `; first chart median ${m((r) => r.chart)} ms; medians (first task): first request sent ${m((r) => r.split.request)} ms, app code started ${m((r) => r.split.appStart)} ms, ` +
    `worker compute started ${m((r) => r.split.computeStart)} ms and took ${m((r) => r.split.compute)} ms, answer received ${m((r) => r.split.response)} ms`
  );
}

/**
 * Time from navigation start to each view's first result on screen (every task of the view), in fresh pages, and
 * to the first chart drawn. Issue 13's target: ≤ 300 ms for every view. With SCALEPLAN_BENCH_BASELINE=<a built
 * web-dist/ of another commit> (several: comma-separated), those builds are served too and their pages take turns
 * with this build's, so all see the same machine load (the machine is shared: an A/B comparison is fairer than two
 * runs minutes apart). SCALEPLAN_BENCH_RUNS sets the pages per view and build (default 5),
 * SCALEPLAN_BENCH_VIEWS=limits,run the views measured. Chromium runs without the omnibox popup's WebUI renderer that
 * it starts in every new window (test/e2e/harness.ts); SCALEPLAN_BENCH_BROWSER_UI=1 keeps it, as before, and
 * SCALEPLAN_BENCH_TABS=1 opens the pages as tabs of one window (pageOpener).
 */
async function firstResults(site: Site, log: (line: string) => void): Promise<void> {
  const runs = Number(process.env["SCALEPLAN_BENCH_RUNS"] ?? 5);
  const baselineDirs = process.env["SCALEPLAN_BENCH_BASELINE"]?.split(",").filter((d) => d !== "") ?? [];
  // Every build, this one included, is served by the same small static server: `vite preview` (site.url) answers
  // more slowly under load, which showed as ~80 ms more before the first request in an A/B of one build against itself.
  const servers = await Promise.all([join(REPO, "web-dist"), ...baselineDirs].map(serveStatic));
  const open = await pageOpener(site);
  const builds = servers.map((server, i) => ({ label: i === 0 ? (baselineDirs.length > 0 ? " (this build)" : "") : ` (baseline ${baselineDirs[i - 1]})`, url: server.url }));
  try {
    const only = process.env["SCALEPLAN_BENCH_VIEWS"]?.split(",");
    for (const [view, tasks] of VIEWS.filter(([v]) => only === undefined || only.includes(v))) {
      const results: FirstResult[][] = builds.map(() => []);
      for (let i = 0; i < runs; i++) {
        // Rotate which build goes first, so none always follows another's page teardown.
        for (let k = 0; k < builds.length; k++) {
          const b = (i + k) % builds.length;
          results[b]!.push(await firstResult(open, builds[b]!.url, view, tasks));
        }
      }
      builds.forEach((build, b) => {
        log(summary(view, build.label, results[b]!));
        if (process.env["SCALEPLAN_BENCH_RAW"]) log(`  raw: ${results[b]!.map((r) => r.time.toFixed(0)).join(" ")}`);
      });
    }
  } finally {
    for (const server of servers) server.close();
  }
}

/** A tab switch: from the click to the frame after the view is shown (web/src/app.tsx's `scaleplan:tab-switch` measure). */
async function tabSwitches(site: Site, log: (line: string) => void, rounds = 3): Promise<void> {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(new URL("./?view=limits", site.url).href);
  const labels = ["Limits", "Scaling laws", "Schedules", "Run", "Plan"];
  const first: number[] = [];
  const again: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const label of [...labels.slice(1), labels[0]!]) {
      const before = await page.evaluate(() => performance.getEntriesByType("measure").length);
      await page.getByRole("tab", { name: label }).click();
      await page.waitForFunction((n) => performance.getEntriesByType("measure").length > n, before);
      const d = await page.evaluate(() => performance.getEntriesByType("measure").at(-1)!.duration);
      (round === 0 && label !== "Limits" ? first : again).push(d);
      // Let the view's first computation finish before the next switch (a switch is measured, not the work).
      await page.waitForFunction(() => Array.from(document.querySelectorAll(".status")).every((s) => s.getAttribute("data-running") === "false"), null, { timeout: 60_000 });
    }
  }
  log(`tab switch (click to next frame): first visit of a view median ${median(first).toFixed(0)} ms (it is built then), revisits median ${median(again).toFixed(0)} ms, max ${Math.max(...again).toFixed(0)} ms over ${again.length}`);
  await page.close();
}

export default async function (log: (line: string) => void): Promise<void> {
  const site = await startSite({ browserUi: process.env["SCALEPLAN_BENCH_BROWSER_UI"] === "1" });
  try {
    const assets = join(REPO, "web-dist/assets");
    for (const f of readdirSync(assets).sort()) {
      const bytes = statSync(join(assets, f)).size;
      log(`bundle ${f.replace(/-[A-Za-z0-9_-]{8}\./, ".")}: ${(bytes / 1024).toFixed(1)} KiB, ${(gzipSync(readFileSync(join(assets, f))).length / 1024).toFixed(1)} KiB gzipped`);
    }
    await firstResults(site, log);
    await tabSwitches(site, log);
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(new URL("./?view=limits", site.url).href);
    await page.waitForSelector("#panel-limits .timing");
    const first = Number(await page.locator("#panel-limits .timing").getAttribute("data-elapsed-ms"));
    const times = await limitsRuns(page, 6);
    log(`limits, H100 SXM dense default grid, in chromium's worker: first ${first.toFixed(0)} ms (cold), then median ${median(times).toFixed(0)} ms, min ${Math.min(...times).toFixed(0)} ms over ${times.length} recomputations`);
    const node: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      runSweep({ gpu: findDataMovementGpu("h100-sxm")! });
      node.push(performance.now() - t);
    }
    log(`limits, same sweep in Node ${process.version}: median ${median(node).toFixed(0)} ms, min ${Math.min(...node).toFixed(0)} ms over ${node.length} runs`);
    await page.goto(new URL("./?view=scaling", site.url).href);
    await page.waitForSelector("#fit-params", { timeout: 60_000 });
    // The fit's own status line (the law panels below it have theirs).
    const fitText = (await page.locator("section[aria-labelledby=fit-heading] .timing").textContent()) ?? "";
    log(`scaling laws, Approach-3 fit of the 245 Chinchilla runs with 200 bootstrap refits, in chromium's worker: ${fitText.replace(/^Fitted in the browser in /, "").replace(/\.$/, "")}`);
    await page.close();
  } finally {
    await site.close();
  }
}
