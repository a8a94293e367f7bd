// The Plan view (the landing page) in chromium: it shows the core's plan, opens the Run view with the plan's run
// (Back returns to the plan), and a shared link reproduces the plan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePlan } from "../../src/core/plan/make-plan.ts";
import { startSite, type Site } from "./harness.ts";
import { nextResult, openPage, pageErrors } from "./pages.ts";

let site: Site;

beforeAll(async () => {
  site = await startSite();
}, 180_000);

afterAll(async () => {
  await site?.close();
});

const value = (page: import("playwright-core").Page, id: string) => page.locator(id).getAttribute("data-value").then(Number);

describe("the Plan view", () => {
  it("is the landing page, and Plan → Run → Back keeps the plan", async () => {
    const page = await openPage(site, "./?p.gpus=256&p.days=14");
    await nextResult(page, "plan", 0, 0, 120_000);
    expect(await page.locator("[role=tab][aria-selected=true]").textContent()).toBe("Plan");
    const expected = makePlan({ gpu: "h100-sxm", gpus: 256, days: 14 });
    expect(await value(page, "#plan-params")).toBe(expected.model.params);
    // The first estimate (coarse grid) is gone once the full plan is shown.
    expect(await page.locator("#plan-estimate").count()).toBe(0);

    await page.locator("#plan-open-run").click();
    await page.waitForFunction(() => new URLSearchParams(window.location.search).get("view") === "run");
    await nextResult(page, "run", 0, 0, 120_000);
    // The Run view runs the plan's configuration: the same step time (one step model, one layout).
    expect(await page.locator("#run-config").inputValue()).toContain(`hidden: ${expected.model.config.hidden}`);
    expect(Math.abs((await page.locator("#run-headline dd").first().getAttribute("data-value").then(Number)) / expected.step!.stepTimeSeconds - 1)).toBeLessThan(0.01);

    await page.goBack();
    await page.waitForFunction(() => new URLSearchParams(window.location.search).get("view") === null);
    expect(await page.locator("[role=tab][aria-selected=true]").textContent()).toBe("Plan");
    expect(await page.locator("#panel-plan").isVisible()).toBe(true);
    expect(await value(page, "#plan-params")).toBe(expected.model.params);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it("reproduces the plan from a shared link", async () => {
    const link = "./?p.gpus=512&p.days=30&p.law=chinchilla&p.goodput=0.95";
    const page = await openPage(site, link);
    await nextResult(page, "plan", 0, 0, 120_000);
    const expected = makePlan({ gpu: "h100-sxm", gpus: 512, days: 30, law: "chinchilla", goodput: 0.95 });
    expect(await value(page, "#plan-params")).toBe(expected.model.params);
    expect(await value(page, "#plan-tokens")).toBeCloseTo(expected.tokens, 0);
    expect(await value(page, "#plan-loss")).toBeCloseTo(expected.loss.predicted, 12);
    expect(await page.getByLabel("Goodput").inputValue()).toBe("0.95");
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
