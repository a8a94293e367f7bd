// The app shell in chromium: Back/Forward between views, views kept alive across tab switches, the URL restoring
// the view and its state, and the User Timing marks the page-load benchmark reads.
import { describe, expect, it } from "vitest";
import type { Site } from "./harness.ts";
import { nextResult, openPage, pageErrors, PHONE, runCount } from "./pages.ts";

const selected = (page: import("playwright-core").Page) => page.locator("[role=tab][aria-selected=true]").textContent();
const viewParam = (page: import("playwright-core").Page) => page.evaluate(() => new URLSearchParams(window.location.search).get("view"));

export function shellCases(site: () => Site): void {
  describe("the app shell", () => {
    it("makes each tab switch a history entry: Back and Forward move between views, edits are kept", async () => {
      const page = await openPage(site(), "./?view=limits");
      await nextResult(page, "limits", 0);
      const entries = await page.evaluate(() => history.length);

      await page.getByRole("tab", { name: "Schedules" }).click();
      await page.waitForFunction(() => new URLSearchParams(window.location.search).get("view") === "schedules");
      await nextResult(page, "schedules", 0);
      expect(await page.evaluate(() => history.length)).toBe(entries + 1);
      // Typing replaces the current entry instead of adding one per keystroke.
      await page.getByLabel("Loss-curve law").selectOption("mpl-100m");
      await page.waitForFunction(() => new URLSearchParams(window.location.search).get("s.law") === "mpl-100m");
      await page.getByRole("tab", { name: "Run" }).click();
      await page.waitForFunction(() => new URLSearchParams(window.location.search).get("view") === "run");
      expect(await page.evaluate(() => history.length)).toBe(entries + 2);

      await page.goBack();
      await page.waitForFunction(() => new URLSearchParams(window.location.search).get("view") === "schedules");
      expect(await selected(page)).toBe("Schedules");
      expect(await page.locator("#panel-schedules").isVisible()).toBe(true);
      expect(await page.locator("#panel-run").isVisible()).toBe(false);
      expect(await page.getByLabel("Loss-curve law").inputValue()).toBe("mpl-100m");
      expect(new URL(page.url()).searchParams.get("s.law")).toBe("mpl-100m");

      await page.goBack();
      // Limits: `?view=limits`, or no view at all while it is the landing page.
      await page.waitForFunction(() => ["limits", null].includes(new URLSearchParams(window.location.search).get("view")) && document.querySelector("[role=tab][aria-selected=true]")?.textContent === "Limits");
      expect(await page.locator("#panel-limits").isVisible()).toBe(true);

      await page.goForward();
      await page.waitForFunction(() => new URLSearchParams(window.location.search).get("view") === "schedules");
      expect(await selected(page)).toBe("Schedules");
      expect(await page.getByLabel("Loss-curve law").inputValue()).toBe("mpl-100m");
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });

    it("keeps every visited view alive: switching back neither rebuilds it nor recomputes, and is timed", async () => {
      const page = await openPage(site(), "./?view=limits");
      const limitsRuns = await nextResult(page, "limits", 0);
      // Mark the DOM of the Limits view: a rebuilt view would come back without the mark.
      await page.evaluate(() => {
        (document.querySelector("#panel-limits .limits") as HTMLElement & { keptAlive?: boolean }).keptAlive = true;
      });
      await page.getByRole("tab", { name: "Run" }).click();
      await nextResult(page, "run", 0);
      await page.getByRole("tab", { name: "Limits" }).click();
      await page.waitForFunction(() => performance.getEntriesByName("scaleplan:tab-switch:limits", "measure").length === 1);
      expect(await page.evaluate(() => (document.querySelector("#panel-limits .limits") as HTMLElement & { keptAlive?: boolean }).keptAlive)).toBe(true);
      // Same result count: no recomputation, hence no new worker for this view.
      expect(await runCount(page, "limits")).toBe(limitsRuns);
      expect(await page.locator("#panel-limits .status").getAttribute("data-running")).toBe("false");
      expect(await page.locator("#max-feasible").isVisible()).toBe(true);
      // The Run view stays mounted (hidden) with its result.
      expect(await page.locator("#panel-run").isHidden()).toBe(true);
      expect(await page.locator("#panel-run #run-headline").count()).toBe(1);
      const switches = await page.evaluate(() => performance.getEntriesByType("measure").filter((m) => m.name.startsWith("scaleplan:tab-switch")).map((m) => m.duration));
      expect(switches.length).toBe(2);
      for (const d of switches) expect(d).toBeGreaterThan(0);
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });

    it("restores the view and its state from a link, and marks each view's first result", async () => {
      const page = await openPage(site(), "./?view=scaling&f.seed=3&f.bootstrap=0", PHONE);
      await nextResult(page, "scaling", 0);
      expect(await selected(page)).toBe("Scaling laws");
      expect(await page.title()).toBe("Scaling laws · scaleplan");
      expect(await page.getByLabel("Seed").inputValue()).toBe("3");
      expect(await page.getByLabel("Bootstrap resamples").inputValue()).toBe("0");
      const marks = await page.evaluate(() => performance.getEntriesByType("mark").map((m) => m.name));
      expect(marks).toContain("scaleplan:first-result:scaling");
      // The first request left before the app's code ran (main.tsx), and the view took it over instead of sending
      // its own: one request mark (useTask marks again only when it sends the first request itself).
      const timing = await page.evaluate(() => ({
        requests: performance.getEntriesByName("scaleplan:first-request:scaling", "mark").map((m) => m.startTime),
        appStart: performance.getEntriesByName("scaleplan:app-start", "mark")[0]!.startTime,
      }));
      expect(timing.requests).toHaveLength(1);
      expect(timing.requests[0]!).toBeLessThan(timing.appStart);
      // Only the opened view is built: the others are mounted on their first visit.
      expect(await page.locator("[role=tabpanel]").count()).toBe(1);
      expect(await viewParam(page)).toBe("scaling");
      await page.close();
    });
  });
}
