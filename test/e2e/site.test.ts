// The static web app in a real browser (Debian's chromium): each view loads, reacts to input, keeps its whole
// state in the URL, and matches the core's own output. Screenshots go to test-artifacts/.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.ts";
import { formatExp, formatFixed } from "../../src/core/format.ts";
import { findGpuPreset, runSweep } from "../../src/core/limits/index.ts";
import { ARTIFACTS, startSite, type Site } from "./harness.ts";

let site: Site;

beforeAll(async () => {
  site = await startSite();
});

afterAll(async () => {
  await site?.close();
});

async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await site.browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(new URL(path, site.url).href);
  await page.waitForSelector("#main");
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}

function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

describe("the site shell", () => {
  it("shows the available views as keyboard-operable tabs and names the views still to come", async () => {
    const page = await open("./");
    expect(await page.title()).toBe("scaleplan");
    const tabs = page.getByRole("tab");
    expect(await tabs.allTextContents()).toContain("Limits");
    expect(await page.getByRole("tab", { name: "Limits" }).getAttribute("aria-selected")).toBe("true");
    const coming = await page.locator("#coming-views").textContent();
    for (const view of ["Scaling laws", "Schedules", "Run"]) {
      // A view either has a tab or is named as coming: never both, never neither.
      const hasTab = (await page.getByRole("tab", { name: view }).count()) > 0;
      expect(hasTab !== (coming ?? "").includes(view)).toBe(true);
    }
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});

const FLOOR_LABEL = "Utilization floor for maximum feasible compute (fraction of the GPU's ceiling)";

/** Waits until a computation has finished and results (not a spinner) are on screen. */
async function results(page: Page): Promise<void> {
  await page.waitForSelector("#max-feasible");
  await page.waitForFunction(() => !document.querySelector(".status progress"));
}

async function maxFeasibleValues(page: Page): Promise<string[]> {
  return page.locator("#max-feasible tbody td[data-value]").evaluateAll((cells) => cells.map((c) => c.getAttribute("data-value") ?? ""));
}

describe("the Limits view", () => {
  const h100 = findGpuPreset("h100-sxm")!;
  const a100 = findGpuPreset("a100-sxm")!;

  it("shows the engine's sweep: maximum feasible compute, hover layout, downloads", async () => {
    const core = runSweep({ gpu: h100 });
    const page = await open("./");
    await results(page);
    expect(await maxFeasibleValues(page)).toEqual([String(core.summary.maxFeasibleFlopAtFloor)]);
    const row = page.locator("#max-feasible tbody tr").first();
    expect(await row.textContent()).toContain(formatExp(core.summary.maxFeasibleFlopAtFloor!));
    expect(await row.textContent()).toContain(formatExp(core.summary.linearScalingEnd!));
    expect(await row.textContent()).toContain(formatExp(core.summary.lastFeasibleFlop!));

    // Pointing at the last dot shows that point's full layout.
    const dots = page.locator(".chart g[aria-label='dot'] circle");
    expect(await dots.count()).toBe(core.points.length);
    await dots.last().scrollIntoViewIfNeeded();
    const box = (await dots.last().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const last = core.points[core.points.length - 1]!;
    await page.waitForSelector("[data-testid=hover-utilization]");
    expect(await page.locator("[data-testid=hover-utilization]").textContent()).toBe(formatFixed(last.utilization));
    expect(await page.locator("#point-details").textContent()).toContain(`DP ${last.parallelism.dp} × TP ${last.parallelism.tpModel}×${last.parallelism.tpFf}`);

    // The keyboard reaches the same details.
    await page.locator(".chart[tabindex='0']").focus();
    await page.keyboard.press("Home");
    expect(await page.locator("[data-testid=hover-utilization]").textContent()).toBe(formatFixed(core.points[0]!.utilization));

    const csv = await page.evaluate(async () => (await fetch((document.querySelector("#download-csv") as HTMLAnchorElement).href)).text());
    expect(csv.trim().split("\n")).toHaveLength(core.points.length + 1);
    const json = JSON.parse(await page.evaluate(async () => (await fetch((document.querySelector("#download-json") as HTMLAnchorElement).href)).text())) as {
      scenarios: Array<{ points: Array<{ flop: number; utilization: number; gpus: number }> }>;
    };
    expect(json.scenarios[0]!.points.map((p) => [p.flop, p.utilization, p.gpus])).toEqual(core.points.map((p) => [p.flop, p.utilization, p.gpus]));
    expect(Number(await page.locator(".timing").getAttribute("data-elapsed-ms"))).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, "limits.png"), fullPage: true });
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it("recomputes on input, keeps it all in the URL, and restores it on reload", async () => {
    const page = await open("./");
    await results(page);
    await page.getByLabel("Training time limit (months)").fill("6");
    await page.getByLabel("Model type").selectOption("sparse");
    await page.getByLabel(FLOOR_LABEL).fill("0.7");
    const core = runSweep({ gpu: h100, months: 6, sparse: true, utilizationFloor: 0.7 });
    const expected = [String(core.summary.maxFeasibleFlopAtFloor)];
    await page.waitForFunction((v) => document.querySelector("#max-feasible td[data-value]")?.getAttribute("data-value") === v, expected[0]);
    await page.waitForFunction(() => window.location.search.includes("l.floor=0.7"));
    const url = page.url();
    expect(url).toContain("l.scenarios=~");
    expect(url.length).toBeLessThan(400);

    const again = await open(url);
    await results(again);
    expect(await again.getByLabel("Training time limit (months)").inputValue()).toBe("6");
    expect(await again.getByLabel("Model type").inputValue()).toBe("sparse");
    expect(await again.getByLabel(FLOOR_LABEL).inputValue()).toBe("0.7");
    expect(await maxFeasibleValues(again)).toEqual(expected);
    expect(again.url()).toBe(url);
    expect(pageErrors(page)).toEqual([]);
    expect(pageErrors(again)).toEqual([]);
    await page.close();
    await again.close();
  });

  it("compares scenarios side by side and draws the parallelism strategy", async () => {
    const page = await open("./");
    await results(page);
    await page.getByRole("button", { name: "+ Add scenario" }).click();
    await page.getByLabel("GPU", { exact: true }).selectOption("a100-sxm");
    const expected = [runSweep({ gpu: h100 }), runSweep({ gpu: a100 })].map((r) => String(r.summary.maxFeasibleFlopAtFloor));
    await page.waitForFunction((n) => document.querySelectorAll("#max-feasible tbody tr").length === n, 2);
    await results(page);
    await page.waitForFunction((v) => document.querySelectorAll("#max-feasible td[data-value]")[1]?.getAttribute("data-value") === v, expected[1]);
    expect(await maxFeasibleValues(page)).toEqual(expected);
    await page.screenshot({ path: join(ARTIFACTS, "limits-compare.png"), fullPage: true });
    await page.getByLabel("Parallelism strategy (scenario 2)").check();
    await page.waitForSelector(".chart svg[aria-label^='Parallelism strategy']");
    await page.screenshot({ path: join(ARTIFACTS, "limits-parallelism.png"), fullPage: true });
    // Reloading the link gives back both scenarios and the chart choice.
    const again = await open(page.url());
    await results(again);
    expect(await maxFeasibleValues(again)).toEqual(expected);
    expect(await again.getByLabel("Parallelism strategy (scenario 2)").isChecked()).toBe(true);
    await page.close();
    await again.close();
  });

  it("shows the core's InputError message next to the field, also after a reload", async () => {
    const page = await open("./");
    await results(page);
    await page.getByLabel("Training time limit (months)").fill("abc");
    await page.getByLabel(FLOOR_LABEL).fill("1.5");
    const months = page.locator("#s0-months-error");
    await months.waitFor();
    expect(await months.textContent()).toBe(new InputError("months", "abc", "a finite number > 0").message);
    expect(await page.locator("#floor-error").textContent()).toBe(new InputError("floor", 1.5, "a number in (0, 1]").message);
    expect(await page.getByLabel("Training time limit (months)").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#max-feasible").count()).toBe(0);
    await page.waitForFunction(() => window.location.search.includes("l.floor=1.5"));
    await page.screenshot({ path: join(ARTIFACTS, "limits-invalid.png"), fullPage: true });
    const again = await open(page.url());
    await again.locator("#s0-months-error").waitFor();
    expect(await again.getByLabel("Training time limit (months)").inputValue()).toBe("abc");
    await page.close();
    await again.close();
  });

  it("fits a phone-width screen without horizontal scrolling", async () => {
    const page = await open("./", { width: 390, height: 844 });
    await results(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, "limits-phone.png"), fullPage: true });
    await page.close();
  });
});
