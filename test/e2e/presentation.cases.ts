// Presentation in chromium: human units, labels that tell scenarios apart, extrapolation warnings with the fitted
// range marked, the Besiroglu drop-5 default, touch-reachable points, dashes and markers per series, 24 px touch
// targets, and SVG/PNG/CSV/JSON downloads in every view.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatCount, formatDuration } from "../../src/core/format.ts";
import { findDataMovementGpu } from "../../src/core/hardware/lookup.ts";
import { runSweep } from "../../src/core/limits/sweep.ts";
import { allocate } from "../../src/core/scaling/allocation.ts";
import { fitApproach3 } from "../../src/core/scaling/approach3.ts";
import { parseRuns, toRunPoints } from "../../src/core/scaling/runs.ts";
import type { Site } from "./harness.ts";
import { download, nextResult, openPage, pageErrors, PHONE } from "./pages.ts";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function presentationCases(site: () => Site): void {
  describe("presentation", () => {
    const h100 = findDataMovementGpu("h100-sxm")!;

    it("writes GPU counts and times in human units, and labels scenarios with the same GPU apart", async () => {
      const core = runSweep({ gpu: h100 });
      const page = await openPage(site(), "./?view=limits");
      let runs = await nextResult(page, "limits", 0);
      await page.locator("#panel-limits details.points summary").click();
      const gpus = await page.locator("#points-table tbody tr td:nth-child(8)").allTextContents();
      expect(gpus).toEqual(core.points.map((p) => formatCount(p.gpus)));
      expect(gpus.some((g) => g.includes(","))).toBe(true);
      await page.locator("#panel-limits .chart[tabindex='0']").focus();
      await page.keyboard.press("End");
      const last = core.points[core.points.length - 1]!;
      const details = (await page.locator("#point-details").textContent()) ?? "";
      expect(details).toContain(`${formatCount(last.gpus)} GPUs`);
      expect(details).toContain(`TP comm ${formatDuration(last.tpCommS)}`);
      expect(details).not.toMatch(/\d[kMBT]? s\b.*\d[kMBT] s\b/);

      await page.getByRole("button", { name: "+ Add scenario" }).click();
      runs = await nextResult(page, "limits", runs);
      await page.getByLabel("Training time limit (months)").fill("6");
      await nextResult(page, "limits", runs);
      const labels = await page.locator("#max-feasible tbody th").allTextContents();
      expect(labels).toEqual(["1: H100 SXM, dense, 3 months", "2: H100 SXM, dense, 6 months"]);
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });

    it("draws series with their own dash and marker, and a tap on a dot shows its details (phone, touch)", async () => {
      const page = await openPage(site(), "./?view=limits", PHONE, { hasTouch: true });
      let runs = await nextResult(page, "limits", 0);
      await page.getByRole("button", { name: "+ Add scenario" }).click();
      runs = await nextResult(page, "limits", runs);
      await page.getByLabel("GPU", { exact: true }).selectOption("a100-sxm-40gb");
      await nextResult(page, "limits", runs);
      await page.waitForFunction(() => document.querySelectorAll("#panel-limits .chart svg g[aria-label='dot'] > *").length > 0);
      const style = await page.evaluate(() => {
        const svg = document.querySelector("#panel-limits .chart svg")!;
        const dashes = new Set(Array.from(svg.querySelectorAll("g[aria-label='line'] path")).map((p) => p.getAttribute("stroke-dasharray") ?? p.parentElement?.getAttribute("stroke-dasharray") ?? "solid"));
        const markers = new Set(Array.from(svg.querySelectorAll("g[aria-label='dot'] > *")).map((d) => d.getAttribute("d") ?? d.tagName));
        const legendMarkers = svg.querySelectorAll("g[aria-label='legend'] path").length;
        return { dashes: dashes.size, markers: markers.size, legendMarkers };
      });
      expect(style.dashes).toBeGreaterThanOrEqual(2);
      expect(style.markers).toBeGreaterThanOrEqual(2);
      expect(style.legendMarkers).toBe(2);

      const dot = page.locator("#panel-limits .chart svg g[aria-label='dot'] > *").nth(3);
      await dot.scrollIntoViewIfNeeded();
      const box = (await dot.boundingBox())!;
      await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
      await page.locator("[data-testid=hover-utilization]").waitFor();
      const a = await page.locator("[data-testid=hover-utilization]").textContent();
      const other = page.locator("#panel-limits .chart svg g[aria-label='dot'] > *").last();
      const box2 = (await other.boundingBox())!;
      await page.touchscreen.tap(box2.x + box2.width / 2, box2.y + box2.height / 2);
      await page.waitForFunction((prev) => document.querySelector("[data-testid=hover-utilization]")?.textContent !== prev, a);
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });

    it("keeps every control of every view at least 24 × 24 px (phone)", async () => {
      for (const view of ["limits", "scaling", "schedules", "run"]) {
        const page = await openPage(site(), `./?view=${view}`, PHONE);
        await nextResult(page, view, 0);
        const small = await page.evaluate(() =>
          Array.from(document.querySelectorAll("button, select, input, textarea, summary, [role=tab], a[href]"))
            .filter((el) => (el as HTMLElement).offsetParent !== null && !el.closest(".skip"))
            .map((el) => ({ el: `${el.tagName.toLowerCase()}#${el.id}.${el.className} ${(el.textContent ?? "").trim().slice(0, 20)}`, box: el.getBoundingClientRect() }))
            .filter(({ box }) => box.width < 24 || box.height < 24)
            .map(({ el, box }) => `${el} ${box.width.toFixed(0)}×${box.height.toFixed(0)}`),
        );
        expect(small, view).toEqual([]);
        await page.close();
      }
    });

    it("fits the example like Besiroglu et al. by default and warns when the budget or a schedule extrapolates", async () => {
      const example = readFileSync(new URL("../fixtures/chinchilla/svg_extracted_data.csv", import.meta.url), "utf8");
      const points = toRunPoints(parseRuns(example, "runs.csv"), "runs.csv").sort((p, q) => p.loss - q.loss).slice(0, 240);
      const fit = fitApproach3(points, { bootstrap: 0, seed: 1 });
      const page = await openPage(site(), "./?view=scaling&f.bootstrap=0");
      let runs = await nextResult(page, "scaling", 0);
      expect(await page.getByLabel("Drop highest-loss runs").inputValue()).toBe("5");
      const values = (await page.locator("#fit-params td[data-value]").evaluateAll((tds) => tds.map((t) => Number(t.getAttribute("data-value"))))) as number[];
      expect(values[0]).toBeCloseTo(1.8172, 3);
      expect(Math.abs(values[2]! / 2143.9 - 1)).toBeLessThan(0.01);
      expect(values[4]).toBeCloseTo(0.3672, 3);
      const law = { id: "fit", name: "fit", source: "", conventions: { params: "", data: "", loss: "", compute: "" }, form: "chinchilla" as const, ...fit.law };
      const tpp = Number(await page.locator("#allocation tbody tr").first().locator("td").nth(2).textContent());
      expect(tpp).toBeCloseTo(allocate(law, 5.76e23).tokensPerParam, 1);
      expect(Math.abs(tpp - 20)).toBeLessThan(3);
      // Chinchilla's 5.76e23 FLOP lies past the largest run (1.3e22 FLOP): said, and the runs' range is drawn.
      expect(await page.locator("#scaling-extrapolation").textContent()).toContain("above the runs' compute");
      expect(await page.locator("#panel-scaling .chart svg").nth(1).textContent()).toContain("fitted runs");
      await page.getByLabel("Compute budget (FLOP)").fill("1e10");
      runs = await nextResult(page, "scaling", runs);
      expect(await page.locator("#scaling-extrapolation").textContent()).toContain("below the runs' compute");
      await page.getByLabel("Compute budget (FLOP)").fill("1e21");
      await nextResult(page, "scaling", runs);
      expect(await page.locator("#scaling-extrapolation").count()).toBe(0);

      await page.getByRole("tab", { name: "Schedules" }).click();
      runs = await nextResult(page, "schedules", 0);
      expect(await page.locator("#schedules-extrapolation").count()).toBe(0);
      await page.getByLabel("Schedule 2", { exact: true }).fill("wsd:steps=48000,peak=3e-4,warmup=2160,cooldown=0.2,shape=linear,final=0.1");
      await nextResult(page, "schedules", runs);
      expect(await page.locator("#schedules-extrapolation").textContent()).toContain("2.0× the fitted horizon (24000 steps)");
      expect(await page.locator("#panel-schedules .chart svg").nth(1).textContent()).toContain("fitted horizon");
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });

    it("offers SVG, PNG, CSV and JSON downloads in every view", async () => {
      const page = await openPage(site(), "./?view=limits");
      for (const [view, tab] of [["limits", "Limits"], ["scaling", "Scaling laws"], ["schedules", "Schedules"], ["run", "Run"]] as const) {
        if (view !== "limits") await page.getByRole("tab", { name: tab }).click();
        await nextResult(page, view, 0);
        await page.waitForFunction((v) => document.querySelector(`#panel-${v} .status`)?.getAttribute("data-running") === "false", view);
        const csv = await download(page, `#${view}-download-csv`);
        expect(csv.name).toBe(`scaleplan-${view}.csv`);
        expect(csv.bytes.toString("utf8").split("\n").length, view).toBeGreaterThan(2);
        const json = await download(page, `#${view}-download-json`);
        expect(() => JSON.parse(json.bytes.toString("utf8")), view).not.toThrow();
        const svgButton = page.locator(`#panel-${view} .chart-downloads button`).first();
        const svgId = await svgButton.getAttribute("id");
        const svg = await download(page, `#${svgId}`);
        expect(svg.name.endsWith(".svg"), view).toBe(true);
        expect(svg.bytes.toString("utf8")).toMatch(/^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        const png = await download(page, `#${svgId!.replace(/-svg$/, "-png")}`);
        expect(png.name.endsWith(".png"), view).toBe(true);
        expect(png.bytes.subarray(0, 8).equals(PNG_SIGNATURE), view).toBe(true);
        expect(png.bytes.length, view).toBeGreaterThan(2000);
      }
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });
  });
}
