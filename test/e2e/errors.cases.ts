// Errors and bounds in chromium: an invalid value in a scenario that is not on screen is still shown, a node size
// that cannot tile the model's clusters is named (not `months`), Run's search hint leads to a valid search,
// every numeric field refuses what is out of bounds with the bound named, and a long computation can be cancelled.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.ts";
import { parseScheduleSpec } from "../../src/core/schedule/spec.ts";
import { parseRunConfig } from "../../src/core/run/run-config.ts";
import { searchLayouts } from "../../src/core/run/layout-search.ts";
import { describeBound } from "../../web/src/worker/bounds.ts";
import { LIMITS_BOUNDS } from "../../web/src/views/limits/task.ts";
import { DEFAULT_RUN_CONFIG } from "../../web/src/views/run/state.ts";
import { MAX_TOP } from "../../web/src/views/run/task.ts";
import { SCALING_BOUNDS } from "../../web/src/views/scaling/state.ts";
import { MAX_STEPS } from "../../web/src/views/schedules/task.ts";
import type { Site } from "./harness.ts";
import { nextResult, openPage, pageErrors, PHONE, runCount } from "./pages.ts";

const errorText = (page: Page, id: string) => page.locator(`#${id}-error`).textContent();

export function errorCases(site: () => Site): void {
  describe("errors and bounds", () => {
    it("names an invalid value of a scenario that is not being edited, and leads to it", async () => {
      const page = await openPage(site(), "./?view=limits");
      let runs = await nextResult(page, "limits", 0);
      await page.getByRole("button", { name: "+ Add scenario" }).click();
      runs = await nextResult(page, "limits", runs);
      await page.getByLabel("Training time limit (months)").fill("abc");
      await page.locator("#s1-months-error").waitFor();
      // Back to scenario 1: its form is valid, but Results must say why they are empty.
      await page.getByRole("button", { name: /^1: H100 SXM, dense/ }).click();
      const summary = page.locator("#invalid-scenarios");
      await summary.waitFor();
      expect(await summary.textContent()).toContain(new InputError("months", "abc", describeBound(LIMITS_BOUNDS.months)).message);
      expect(await page.locator("#max-feasible").count()).toBe(0);
      expect(await page.getByRole("button", { name: /^2: .*invalid value/ }).count()).toBe(1);
      await page.getByRole("button", { name: "Edit scenario 2" }).click();
      expect(await page.getByLabel("Training time limit (months)").inputValue()).toBe("abc");
      expect(await errorText(page, "s1-months")).toBe(new InputError("months", "abc", describeBound(LIMITS_BOUNDS.months)).message);
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });

    it("blames a 6- or 72-GPU node of a custom GPU, not the deadline (phone)", async () => {
      const page = await openPage(site(), "./?view=limits", PHONE);
      const runs = await nextResult(page, "limits", 0);
      await page.getByLabel("GPU", { exact: true }).selectOption("custom");
      await nextResult(page, "limits", runs);
      for (const size of ["6", "72"]) {
        await page.getByLabel("GPUs per node (GPUs)").fill(size);
        await page.waitForFunction((s) => document.querySelector("#s0-custom-nodeSize-error")?.textContent?.startsWith(`custom.nodeSize: ${s} is not allowed`), size);
        expect(await errorText(page, "s0-custom-nodeSize")).toContain("expected a power of two");
        expect(await page.locator("#s0-months-error").count()).toBe(0);
      }
      await page.close();
    });

    it("turns Run's search hint into a valid search: deleting tp shows the best layout, not an error", async () => {
      const page = await openPage(site(), "./?view=run");
      let runs = await nextResult(page, "run", 0);
      expect(await page.locator("#run-search-hint").textContent()).toContain("delete it to search over it");
      await page.getByLabel("Also search every layout for this model and cluster").check();
      runs = await nextResult(page, "run", runs);
      const config = DEFAULT_RUN_CONFIG.replace("  tp: 8\n", "");
      await page.getByLabel("Run configuration (YAML or JSON)").fill(config);
      await nextResult(page, "run", runs);
      await page.locator("#best-found").waitFor();
      const best = searchLayouts(parseRunConfig(config, "run.yaml"), { top: 10 }).best[0]!;
      expect(Number(await page.locator("#run-headline dd").first().getAttribute("data-value"))).toBeCloseTo(best.stepTimeSeconds, 9);
      expect(await page.locator("#panel-run .error, #step-error").count()).toBe(0);
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });

    it("refuses top 1e6, steps 1e9 and bootstrap 1e6 inline, naming the bound", async () => {
      const page = await openPage(site(), "./?view=run");
      let runs = await nextResult(page, "run", 0);
      await page.getByLabel("Also search every layout for this model and cluster").check();
      runs = await nextResult(page, "run", runs);
      await page.getByLabel("Layouts to list (best first)").fill("1e6");
      await page.locator("#run-top-error").waitFor();
      expect(await errorText(page, "run-top")).toBe(new InputError("top", 1e6, describeBound(MAX_TOP)).message);

      await page.getByRole("tab", { name: "Schedules" }).click();
      await nextResult(page, "schedules", 0);
      await page.getByLabel("Schedule 1", { exact: true }).fill("constant:steps=1e9,peak=3e-4");
      await page.locator("#schedule-0-error").waitFor();
      // The spec parser itself refuses it (the bound is core's MAX_SCHEDULE_STEPS, shared by the CLI and the app).
      let specError = "";
      try {
        parseScheduleSpec("constant:steps=1e9,peak=3e-4", "schedule");
      } catch (e) {
        specError = (e as Error).message;
      }
      expect(specError).toContain(`[1, ${MAX_STEPS.max.toLocaleString("en-US")}]`);
      expect(await errorText(page, "schedule-0")).toBe(specError);

      await page.getByRole("tab", { name: "Scaling laws" }).click();
      await nextResult(page, "scaling", 0);
      await page.getByLabel("Bootstrap resamples").fill("1e6");
      await page.locator("#bootstrap-error").waitFor();
      expect(await errorText(page, "bootstrap")).toBe(new InputError("bootstrap", 1e6, describeBound(SCALING_BOUNDS.bootstrap)).message);
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });

    it("gives every numeric field of the Limits form an inline error with its bound", async () => {
      const page = await openPage(site(), "./?view=limits");
      const runs = await nextResult(page, "limits", 0);
      await page.getByLabel("GPU", { exact: true }).selectOption("custom");
      await page.getByLabel("Add a datacenter level (multi-datacenter training)").check();
      await nextResult(page, "limits", runs);
      const ids = await page.locator("#panel-limits input[type=text][inputmode=decimal]").evaluateAll((els) => els.map((e) => e.id));
      expect(ids.length).toBeGreaterThanOrEqual(21);
      for (const id of ids) await page.locator(`#${id}`).fill("1e300");
      await page.waitForFunction((n) => document.querySelectorAll("#panel-limits .field.invalid").length === n, ids.length);
      for (const id of ids) {
        const field = id === "floor" ? "floor" : id.replace(/^s0-/, "").replace(/^custom-/, "custom.");
        const bound = LIMITS_BOUNDS[field as keyof typeof LIMITS_BOUNDS];
        expect(bound, field).toBeDefined();
        expect(await errorText(page, id)).toBe(new InputError(field, 1e300, describeBound(bound)).message);
      }
      await page.close();
    });

    it("offers Cancel on a computation over a second; cancelling stops it and the next input computes again", async () => {
      const page = await openPage(site(), "./?view=scaling");
      let runs = await nextResult(page, "scaling", 0);
      await page.getByLabel("Bootstrap resamples").fill("10000");
      // The Fit section's own button: under load a law panel below can be running over a second too, with its own.
      const cancel = page.locator('section[aria-labelledby="fit-heading"]').getByRole("button", { name: "Cancel" });
      await cancel.waitFor({ timeout: 30_000 });
      await cancel.click();
      await page.locator("#panel-scaling .cancelled").waitFor();
      expect(await page.locator("#panel-scaling .status").first().getAttribute("data-running")).toBe("false");
      // The point fit (shown before the bootstrap) stays; no intervals were computed.
      expect(await page.locator("#fit-params").count()).toBe(1);
      runs = await runCount(page, "scaling");
      await page.getByLabel("Bootstrap resamples").fill("0");
      await nextResult(page, "scaling", runs);
      expect(await page.locator("#panel-scaling .cancelled").count()).toBe(0);
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });
  });
}
