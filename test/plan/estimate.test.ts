// makePlan's first estimate (PlanOptions.onEstimate, shown by the web app while the full plan is computed): a real
// plan of the same core over a coarse grid, labelled as such, never better than the full plan.
import { describe, expect, it } from "vitest";
import { denseGrid } from "../../src/core/plan/dense-template.ts";
import { COARSE_STRIDE, makePlan, type Plan } from "../../src/core/plan/make-plan.ts";

describe("plan: first estimate on a coarse grid", () => {
  it("is computed once, from the coarse widths, without the data-movement verdict, and the full plan is unchanged", () => {
    const input = { gpu: "h100-sxm", gpus: 256, days: 14 };
    const estimates: Plan[] = [];
    const full = makePlan(input, { onEstimate: (e) => estimates.push(e) });
    expect(estimates).toHaveLength(1);
    const estimate = estimates[0]!;
    expect(estimate.warnings[0]).toMatch(/^first estimate from a coarse grid \(every 3rd template width/);
    expect(estimate.limits).toBeNull();
    expect(full.limits).not.toBeNull();
    // Only template-depth models of every COARSE_STRIDE-th width, screened at micro-batch 1.
    const grid = denseGrid(8192);
    const widths = [...new Set(grid.map((t) => t.model.hidden))].sort((a, b) => a - b);
    const coarse = grid.filter((t) => t.depthFactor === 1 && widths.indexOf(t.model.hidden) % COARSE_STRIDE === 0).map((t) => t.name);
    expect(estimate.candidates.length).toBeGreaterThan(0);
    for (const c of estimate.candidates) {
      expect(coarse).toContain(c.name);
      expect(c.search).toBe("screen");
    }
    // The full search sees a superset and refines its finalists: its loss is never worse.
    expect(full.loss.predicted).toBeLessThanOrEqual(estimate.loss.predicted);
    // Same core numbers: a candidate screened in both passes has the same row.
    const shared = estimate.candidates.filter((c) => full.candidates.some((f) => f.name === c.name && f.search === "screen"));
    expect(shared.length).toBeGreaterThan(0);
    for (const c of shared) expect(full.candidates.find((f) => f.name === c.name)).toEqual(c);
    // Asking for the estimate does not change the plan.
    expect(makePlan(input)).toEqual(full);
  });
});
