// Helpers shared by the browser tests: open a page that records its errors, and wait for a view's *next* result
// (never for an element that may already be on screen from the previous one).
import type { Page } from "playwright-core";
import type { Site } from "./harness.ts";

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

const errorsOf = new WeakMap<Page, string[]>();

/** Opens `path` (relative to the site) with console errors and uncaught exceptions recorded. */
export async function openPage(site: Site, path: string, viewport = DESKTOP, options: { hasTouch?: boolean } = {}): Promise<Page> {
  const page = await site.browser.newPage({ viewport, ...(options.hasTouch ? { hasTouch: true, isMobile: true } : {}) });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  errorsOf.set(page, errors);
  await page.goto(new URL(path, site.url).href);
  await page.waitForSelector("#main");
  return page;
}

export function pageErrors(page: Page): string[] {
  return errorsOf.get(page) ?? [];
}

/** The number of results (or errors) a view's status line has received so far (`data-run`). */
export async function runCount(page: Page, view: string, which = 0): Promise<number> {
  return page.evaluate(
    ([v, i]) => Number(document.querySelectorAll(`#panel-${v} .status`)[i as number]?.getAttribute("data-run") ?? "0"),
    [view, which] as const,
  );
}

/** Waits until the view's status line has received a result after `previous` and is no longer running. */
export async function nextResult(page: Page, view: string, previous: number, which = 0, timeout = 60_000): Promise<number> {
  await page.waitForFunction(
    ([v, prev, i]) => {
      const status = document.querySelectorAll(`#panel-${v} .status`)[i as number];
      return status !== undefined && Number(status.getAttribute("data-run")) > (prev as number) && status.getAttribute("data-running") === "false";
    },
    [view, previous, which] as const,
    { timeout },
  );
  return runCount(page, view, which);
}

/** Waits for the address bar to satisfy `test` (the URL is written after each render). */
export async function waitForUrl(page: Page, test: (search: URLSearchParams) => boolean): Promise<void> {
  await page.waitForFunction(`(${test.toString()})(new URLSearchParams(window.location.search))`);
}

/** Clicks a download button and returns the file the page saved (its suggested name and bytes). */
export async function download(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.locator(selector).click()]);
  const path = await file.path();
  const { readFileSync } = await import("node:fs");
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}
