import { startSite } from "./test/e2e/harness.ts";
const site = await startSite();
const views = (process.argv[2] ?? "limits,scaling,schedules,run").split(",");
try {
  for (let rep = 0; rep < 3; rep++) for (const view of views) {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(new URL(`./?view=${view}`, site.url).href);
    await page.waitForFunction(() => performance.getEntriesByType("mark").some((m) => m.name.startsWith("scaleplan:first-result")), null, { timeout: 60000 });
    await page.waitForTimeout(300);
    const marks = await page.evaluate(() => performance.getEntriesByType("mark").map((m) => `${m.name.replace("scaleplan:", "")}@${m.startTime.toFixed(0)}`).join(" "));
    const el = await page.evaluate(() => document.querySelector(".timing")?.getAttribute("data-elapsed-ms"));
    console.log(view, marks, "compute", el);
    await page.close();
  }
} finally { await site.close(); }
