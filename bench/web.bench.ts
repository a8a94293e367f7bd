// The web app in Debian's chromium: bundle sizes, and how long the Limits sweep and the Scaling-laws fit take in
// the browser's worker (the page's own worker-side timer, read from the DOM), next to the same call in Node.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { findDataMovementGpu } from "../src/core/hardware/lookup.ts";
import { runSweep } from "../src/core/limits/index.ts";
import { REPO, startSite, type Site } from "../test/e2e/harness.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function limitsRuns(page: Page, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    // "3" and "3.0" are the same sweep but different input text: each edit triggers one recomputation.
    await page.getByLabel("Training time limit (months)").fill(i % 2 === 0 ? "3.0" : "3");
    await page.waitForFunction((want) => document.querySelector(".timing") !== null && (document.querySelector("#s0-months") as HTMLInputElement).value === want && !document.querySelector(".status progress"), i % 2 === 0 ? "3.0" : "3");
    await page.waitForFunction((prev) => {
      const v = document.querySelector(".timing")?.getAttribute("data-elapsed-ms");
      return v !== undefined && v !== null && v !== prev;
    }, String(times[times.length - 1]?.toFixed(1) ?? ""));
    times.push(Number(await page.locator(".timing").getAttribute("data-elapsed-ms")));
  }
  return times;
}

/** The views and the tasks whose first result each shows (User Timing marks set by web/src/worker/use-task.ts). */
const VIEWS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["plan", ["plan"]],
  ["limits", ["limits"]],
  ["scaling", ["scaling"]],
  ["schedules", ["schedules", "sweep"]],
  ["run", ["run"]],
];

/**
 * Time from navigation start to each view's first result on screen (every task of the view), in fresh pages, and
 * to the first chart drawn. Issue 13's target: ≤ 300 ms for every view.
 */
async function firstResults(site: Site, log: (line: string) => void, runs = 5): Promise<void> {
  for (const [view, tasks] of VIEWS) {
    const times: number[] = [];
    const charts: number[] = [];
    const parts = { appStart: [] as number[], request: [] as number[], computeStart: [] as number[], compute: [] as number[], response: [] as number[] };
    for (let i = 0; i < runs; i++) {
      const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(new URL(`./?view=${view}`, site.url).href);
      const names = tasks.map((t) => `scaleplan:first-result:${t}`);
      await page.waitForFunction((n) => n.every((name) => performance.getEntriesByName(name, "mark").length > 0), names, { timeout: 60_000 });
      times.push(await page.evaluate((n) => Math.max(...n.map((name) => performance.getEntriesByName(name, "mark")[0]!.startTime)), names));
      const chart = await page.evaluate(() => performance.getEntriesByName("scaleplan:first-chart", "mark")[0]?.startTime ?? Number.NaN);
      // Where the time goes, for the view's first task: the app's code started, the request sent, the worker's compute.
      // (No helper function inside evaluate: tsx's name-keeping wrapper does not exist in the page.)
      const split = await page.evaluate((task) => ({
        appStart: performance.getEntriesByName("scaleplan:app-start", "mark")[0]?.startTime ?? Number.NaN,
        request: performance.getEntriesByName(`scaleplan:first-request:${task}`, "mark")[0]?.startTime ?? Number.NaN,
        compute: Number(((performance.getEntriesByName(`scaleplan:first-result:${task}`, "mark")[0] as PerformanceMark | undefined)?.detail as { computeMs?: number } | undefined)?.computeMs ?? Number.NaN),
        computeStart: Number(((performance.getEntriesByName(`scaleplan:first-response:${task}`, "mark")[0] as PerformanceMark | undefined)?.detail as { computeStartMs?: number } | undefined)?.computeStartMs ?? Number.NaN),
        response: performance.getEntriesByName(`scaleplan:first-response:${task}`, "mark")[0]?.startTime ?? Number.NaN,
      }), tasks[0]!);
      for (const k of Object.keys(parts) as Array<keyof typeof parts>) parts[k].push(split[k]);
      if (Number.isFinite(chart)) charts.push(chart);
      await page.close();
    }
    log(
      `first result after page load, ${view}: median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms over ${runs} fresh pages` +
        (charts.length > 0 ? `; first chart median ${median(charts).toFixed(0)} ms` : "") +
        `; medians (first task): first request sent ${median(parts.request).toFixed(0)} ms, app code started ${median(parts.appStart).toFixed(0)} ms, ` +
        `worker compute started ${median(parts.computeStart).toFixed(0)} ms and took ${median(parts.compute).toFixed(0)} ms, answer received ${median(parts.response).toFixed(0)} ms`,
    );
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
  const site = await startSite();
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
    await page.waitForSelector(".timing");
    const first = Number(await page.locator(".timing").getAttribute("data-elapsed-ms"));
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
    const fitText = (await page.locator(".timing").textContent()) ?? "";
    log(`scaling laws, Approach-3 fit of the 245 Chinchilla runs with 200 bootstrap refits, in chromium's worker: ${fitText.replace(/^Fitted in the browser in /, "").replace(/\.$/, "")}`);
    await page.close();
  } finally {
    await site.close();
  }
}
