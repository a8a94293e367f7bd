// The issue-14 laws in chromium: the Scaling view's MoE, precision and DiLoCo panels and the Schedules view's
// schedule study show the core's numbers, keep their inputs in the URL (a reload shows the same), refuse
// out-of-bounds fields under the field, mark extrapolation, and start only after their view's first result.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dilocoReport } from "../../src/core/diloco/report.ts";
import { findCurveLawPreset } from "../../src/core/curves/presets.ts";
import { runScheduleStudy } from "../../src/core/curves/study.ts";
import { allocateJointMoe, jointMoeExtrapolations } from "../../src/core/scaling/moe-allocation.ts";
import { routedEffectiveParams } from "../../src/core/scaling/moe-laws.ts";
import { CLARK_SBASE, JOINT_MOE_2025 } from "../../src/core/scaling/moe-presets.ts";
import { allocateAtPrecision, jointPrecisionOptimum, KUMAR_PRECISION, PRECISION_PRESETS, precisionTradeoff } from "../../src/core/scaling/precision-law.ts";
import { EPOCH_REPLICATION } from "../../src/core/scaling/presets.ts";
import { join } from "node:path";
import { ARTIFACTS, startSite, type Site } from "./harness.ts";
import { download, nextResult, openPage, pageErrors, runCount } from "./pages.ts";

let site: Site;

beforeAll(async () => {
  site = await startSite();
}, 180_000);

afterAll(async () => {
  await site?.close();
});

/** The status lines of the Scaling view, in page order: the fit, then the precision, MoE and DiLoCo panels. */
const SCALING = { fit: 0, precision: 1, moe: 2, diloco: 3 } as const;

const values = (page: Page, selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-value"))));
const attr = (page: Page, selector: string, name: string) => page.locator(selector).getAttribute(name).then(Number);
const rel = (a: number, b: number) => Math.abs(a / b - 1);
/** Equal to the core's numbers up to the last digits (chromium's V8 and Node's may round a power differently). */
const expectClose = (shown: readonly number[], core: readonly number[]) => {
  expect(shown.length).toBe(core.length);
  shown.forEach((v, i) => expect(rel(v, core[i]!)).toBeLessThan(1e-12));
};

/** Waits for every panel of the Scaling view to have a result. */
async function scalingPanels(page: Page): Promise<void> {
  for (const which of Object.values(SCALING)) await nextResult(page, "scaling", 0, which, 120_000);
}

/** Marks a User Timing entry's start time (ms), or NaN when the page never set it. */
const markTime = (page: Page, name: string) => page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? Number.NaN, name);

describe("the Scaling view's law panels", () => {
  const link = "./?view=scaling&f.bootstrap=0&f.moeBudget=1e22&f.precisionSpeedup=1.5&f.dilocoReplicas=4&f.dilocoSyncEvery=100&f.dilocoBandwidth=100";

  async function expectCoreNumbers(page: Page): Promise<void> {
    const moe = allocateJointMoe(JOINT_MOE_2025, 1e22);
    const cells = await values(page, "#moe-table tbody td[data-value]");
    // Per row: N_act, N_total, D, loss.
    moe.configurations.forEach((c, i) => {
      expect(rel(cells[4 * i]!, c.activeParams)).toBeLessThan(1e-12);
      expect(rel(cells[4 * i + 3]!, c.loss)).toBeLessThan(1e-12);
    });
    expect(await page.locator("#moe-table tr.best th").textContent()).toBe(String(moe.best.experts));

    const fp8 = precisionTradeoff(EPOCH_REPLICATION, KUMAR_PRECISION, PRECISION_PRESETS["fp8"]!, 5.76e23, 1.5);
    expectClose(await values(page, "#precision-table td[data-value]"), [fp8.baselineLoss, fp8.lowPrecisionLoss]);
    expectClose([await attr(page, "#precision-summary", "data-break-even")], [fp8.breakEvenSpeedup]);
    // The paper's own law: the compute-optimal precision (7–8 bits, their §4.3), then 16, 8 and 4 bits.
    const paper = [jointPrecisionOptimum(KUMAR_PRECISION, 5.76e23), ...[16, 8, 4].map((b) => allocateAtPrecision(KUMAR_PRECISION, 5.76e23, b))];
    expectClose(await values(page, "#precision-optimal td[data-value]"), paper.flatMap((a) => [a.bits, a.loss]));

    const report = dilocoReport({ params: 10e9, replicas: 4, syncEvery: 100, nodes: 1024, batchTokens: 4194304, nodeFlops: 300e12, bandwidthGbps: 100, latencyS: 0.01, withinBandwidthGbps: 400, withinLatencyS: 0.0001, outerBits: 16, fragments: 1, overlap: false });
    expectClose([await attr(page, "#diloco-loss", "data-diloco"), await attr(page, "#diloco-loss", "data-equivalence")], [report.loss.diloco, report.loss.computeEquivalence]);
    // The crossover is a bisection: the same to its convergence, not to the last digit.
    expect(rel(await attr(page, "#diloco-crossover", "data-bandwidth"), report.crossover.bandwidthGbps)).toBeLessThan(1e-9);
    expectClose(await values(page, "#diloco-steps td[data-value]"), [report.dataParallel.stepS, report.dataParallel.utilization, report.diloco.stepS, report.diloco.utilization]);
    // H = 100 is not the H = 30 the loss law holds at: said so.
    expect(await page.locator("#diloco-caveats").textContent()).toContain("H = 30");
  }

  it("shows the core's MoE allocation, FP8 trade-off and DiLoCo report, after the fit, and again after a reload", async () => {
    const page = await openPage(site, link);
    await scalingPanels(page);
    await expectCoreNumbers(page);
    // The panels asked their workers only once the fit was on screen.
    const fitShown = await markTime(page, "scaleplan:first-result:scaling");
    for (const task of ["moe", "precision", "diloco"]) expect(await markTime(page, `scaleplan:first-request:${task}`)).toBeGreaterThan(fitShown);
    expect(await page.locator("#panel-scaling .law-panel .chart svg").count()).toBe(3);
    await page.screenshot({ path: join(ARTIFACTS, "scaling-law-panels.png"), fullPage: true });
    const csv = await download(page, "#moe-download-csv");
    expect(csv.name).toBe("scaleplan-moe.csv");
    // The file holds the full-precision numbers (chromium's V8 and Node's may differ in the last digit of a power).
    const [header, first] = csv.bytes.toString().split("\n");
    expect(header!.split(",")[2]).toBe("active_params");
    expect(rel(Number(first!.split(",")[2]), allocateJointMoe(JOINT_MOE_2025, 1e22).configurations[0]!.activeParams)).toBeLessThan(1e-12);

    await page.reload();
    await page.waitForSelector("#main");
    await scalingPanels(page);
    expect(await page.getByLabel("Compute budget (FLOP, 6·N_act·D)").inputValue()).toBe("1e22");
    await expectCoreNumbers(page);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it("refuses out-of-bounds fields under the field, keeps them in the URL, marks extrapolation and switches laws", async () => {
    const page = await openPage(site, "./?view=scaling&f.bootstrap=0");
    await scalingPanels(page);
    const fits = await runCount(page, "scaling", SCALING.fit);
    let moeRuns = await runCount(page, "scaling", SCALING.moe);
    await page.locator("#moe-budget").fill("1e40");
    moeRuns = await nextResult(page, "scaling", moeRuns, SCALING.moe);
    expect(await page.locator("#moe-budget-error").textContent()).toBe("budget: 1e40 is not allowed; expected a number in [1e12, 1e35]");
    await page.waitForFunction(() => new URLSearchParams(window.location.search).get("f.moeBudget") === "1e40");

    // 1e24 FLOP puts the compute-optimal models past the 2.7B active parameters the joint law was fitted on.
    await page.locator("#moe-budget").fill("1e24");
    moeRuns = await nextResult(page, "scaling", moeRuns, SCALING.moe);
    const outside = allocateJointMoe(JOINT_MOE_2025, 1e24).configurations.filter((c) => jointMoeExtrapolations(c).length > 0);
    expect(outside.length).toBeGreaterThan(0);
    expect(await page.locator("#moe-extrapolation li").count()).toBe(outside.length);

    await page.getByLabel("MoE law").selectOption("moe-clark-sbase");
    moeRuns = await nextResult(page, "scaling", moeRuns, SCALING.moe);
    const epc = await values(page, "#moe-table td[data-value]");
    [1, 2, 4, 8, 16, 32].forEach((e, i) => expect(rel(epc[2 * i]!, routedEffectiveParams(CLARK_SBASE, 1e9, e))).toBeLessThan(1e-12));

    const dilocoRuns = await runCount(page, "scaling", SCALING.diloco);
    await page.locator("#diloco-nodes").fill("1023");
    await nextResult(page, "scaling", dilocoRuns, SCALING.diloco);
    expect(await page.locator("#diloco-nodes-error").textContent()).toBe("nodes: 1023 is not allowed; expected a multiple of the replicas (2)");

    // The panels' fields are not the fit's: editing them never refitted the runs.
    expect(await runCount(page, "scaling", SCALING.fit)).toBe(fits);

    const again = await openPage(site, page.url());
    await scalingPanels(again);
    expect(await again.locator("#diloco-nodes-error").textContent()).toBe("nodes: 1023 is not allowed; expected a multiple of the replicas (2)");
    expect(await again.getByLabel("MoE law").inputValue()).toBe("moe-clark-sbase");
    expect(pageErrors(page)).toEqual([]);
    await page.close();
    await again.close();
  });
});

describe("the Schedules view's schedule study", () => {
  const setupOf = (law: string) => {
    const preset = findCurveLawPreset(law)!;
    return { fit: { ...preset.fit, domain: preset.domain }, steps: 24000, peak: 3e-4, warmup: { steps: 2160, from: 0, shape: "linspace" as const }, swaWindows: [500, 1000, 2500] };
  };
  /** Status lines of the Schedules view: the schedules, then the study (the sweep planner has none). */
  const STUDY = 1;

  it("shows the core's study, with its chart, the paper's runs beside it, and the extrapolation warning; a reload keeps it", async () => {
    const page = await openPage(site, "./?view=schedules&s.studyKind=length&s.studyLaw=mpl-100m");
    await nextResult(page, "schedules", 0, STUDY, 120_000);
    const expected = runScheduleStudy(setupOf("mpl-100m"), ["length"]);
    expectClose(await values(page, "#study-table td:nth-child(3)"), expected.rows.map((r) => r.finalLoss));
    // 8T is 8× past the fitted 24,000 steps: warned, as `curve study` does.
    expect(await page.locator("#study-extrapolation").textContent()).toContain("the fitted horizon (24000 steps)");
    expect(await page.locator("#panel-schedules .study .chart svg").count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, "schedule-study.png"), fullPage: true });
    expect(await markTime(page, "scaleplan:first-request:study")).toBeGreaterThan(await markTime(page, "scaleplan:first-result:schedules"));

    await page.reload();
    await page.waitForSelector("#main");
    await nextResult(page, "schedules", 0, STUDY, 120_000);
    expect(await page.getByLabel("Study", { exact: true }).inputValue()).toBe("length");
    expectClose(await values(page, "#study-table td:nth-child(3)"), expected.rows.map((r) => r.finalLoss));
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it("prices SWA as a cooldown, and refuses a run shorter than its warmup under the field", async () => {
    const page = await openPage(site, "./?view=schedules&s.studyKind=swa");
    let runs = await nextResult(page, "schedules", 0, STUDY, 120_000);
    const expected = runScheduleStudy(setupOf("mpl-25m"), ["swa"]);
    // Deltas are differences of losses: compared to 1e-12 nats (the reference row's is 0).
    (await values(page, "#study-table td:nth-child(4)")).forEach((v, i) => expect(Math.abs(v - expected.rows[i]!.delta)).toBeLessThan(1e-12));
    await page.locator("#study-steps").fill("2000");
    runs = await nextResult(page, "schedules", runs, STUDY);
    expect(await page.locator("#study-steps-error").textContent()).toBe("steps: 2000 is not allowed; expected a whole number of steps > warmup + 10 (2170)");
    await page.locator("#study-steps").fill("5000000");
    await nextResult(page, "schedules", runs, STUDY);
    expect(await page.locator("#study-steps-error").textContent()).toBe("steps: 5000000 is not allowed; expected a whole number in [2, 625,000]");
    await page.waitForFunction(() => new URLSearchParams(window.location.search).get("s.studySteps") === "5000000");
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });
});
