// The web app in Debian's chromium: bundle sizes, and how long the Limits sweep and the Scaling-laws fit take in
// the browser's worker (the page's own worker-side timer, read from the DOM), next to the same call in Node.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { findGpuPreset, runSweep } from "../src/core/limits/index.ts";
import { REPO, startSite } from "../test/e2e/harness.ts";

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

export default async function (log: (line: string) => void): Promise<void> {
  const site = await startSite();
  try {
    const assets = join(REPO, "web-dist/assets");
    for (const f of readdirSync(assets).sort()) {
      const bytes = statSync(join(assets, f)).size;
      log(`bundle ${f.replace(/-[A-Za-z0-9_-]{8}\./, ".")}: ${(bytes / 1024).toFixed(1)} KiB, ${(gzipSync(readFileSync(join(assets, f))).length / 1024).toFixed(1)} KiB gzipped`);
    }
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(site.url);
    await page.waitForSelector(".timing");
    const first = Number(await page.locator(".timing").getAttribute("data-elapsed-ms"));
    const times = await limitsRuns(page, 6);
    log(`limits, H100 SXM dense default grid, in chromium's worker: first ${first.toFixed(0)} ms (cold), then median ${median(times).toFixed(0)} ms, min ${Math.min(...times).toFixed(0)} ms over ${times.length} recomputations`);
    const node: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      runSweep({ gpu: findGpuPreset("h100-sxm")! });
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
