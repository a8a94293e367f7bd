// The static web app in a real browser (Debian's chromium): each view loads, reacts to input, keeps its whole
// state in the URL, and matches the core's own output. Screenshots go to test-artifacts/.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

describe("the Limits view", () => {
  it("keeps what was typed in the URL and restores it on reload", async () => {
    const page = await open("./");
    const months = page.getByLabel("Training time limit (months)");
    await months.fill("6");
    await page.getByLabel("Model type").selectOption("sparse");
    await page.getByLabel("Utilization floor for maximum feasible compute (fraction of the GPU's ceiling)").fill("0.7");
    await page.waitForFunction(() => window.location.search.includes("l.floor=0.7"));
    const url = page.url();
    expect(url).toContain("l.scenarios=~");
    expect(url.length).toBeLessThan(400);

    const again = await open(url);
    expect(await again.getByLabel("Training time limit (months)").inputValue()).toBe("6");
    expect(await again.getByLabel("Model type").inputValue()).toBe("sparse");
    expect(await again.getByLabel("Utilization floor for maximum feasible compute (fraction of the GPU's ceiling)").inputValue()).toBe("0.7");
    expect(again.url()).toBe(url);
    await again.screenshot({ path: join(ARTIFACTS, "limits.png"), fullPage: true });
    expect(pageErrors(page)).toEqual([]);
    expect(pageErrors(again)).toEqual([]);
    await page.close();
    await again.close();
  });

  it("fits a phone-width screen without horizontal scrolling", async () => {
    const page = await open("./", { width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, "limits-phone.png"), fullPage: true });
    await page.close();
  });
});
