// The checks of issue 10 on real plans (small clusters keep them fast: each plan takes ~0.1–0.3 s).
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { makePlan } from "../../src/core/plan/make-plan.ts";
import { DENSE_GRID_SPACING } from "../../src/core/plan/dense-template.ts";
import { DEFAULT_PUE } from "../../src/core/plan/cost.ts";
import { findGpu } from "../../src/core/hardware/lookup.ts";
import { expectRunReproducesStep, expectTokensFromThroughput } from "./plan-checks.ts";

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

describe("plan consistency", () => {
  const p = makePlan({ gpu: "h100-sxm", gpus: 256, days: 14 });

  it("its run, fed to the step model, gives the same step time (within 1 %)", () => {
    expectRunReproducesStep(p);
  });

  it("tokens = tokens/s/GPU × GPUs × seconds × goodput (within 2 %)", () => {
    expectTokensFromThroughput(p);
  });

  it("alternatives are within 0.5 % of the loss and the schedule fits the tokens", () => {
    for (const a of p.alternatives) expect(a.loss).toBeLessThanOrEqual(p.loss.predicted * 1.005 + 1e-12);
    expect(p.schedule.steps * p.globalBatch.batchTokens).toBeLessThanOrEqual(p.tokens);
    expect(p.schedule.branchPoints.at(-1)!.endStep).toBe(p.schedule.steps);
  });

  it("costs GPU-hours at the catalogue's price, energy at its board power × PUE", () => {
    const h100 = findGpu("h100-sxm")!;
    expect(p.cost.gpuHours).toBeCloseTo(256 * 14 * 24, 6);
    expect(p.cost.usd!).toBeCloseTo(p.cost.gpuHours * h100.price.usdPerGpuHour, 6);
    expect(p.cost.energyMWh!).toBeCloseTo((h100.boardPowerWatts * p.cost.gpuHours * DEFAULT_PUE) / 1e6, 9);
  });

  it("a longer deadline never predicts a higher loss", () => {
    const losses = [7, 14, 28].map((days) => makePlan({ gpu: "h100-sxm", gpus: 256, days }).loss.predicted);
    expect(losses[1]!).toBeLessThanOrEqual(losses[0]!);
    expect(losses[2]!).toBeLessThanOrEqual(losses[1]!);
  });

  it("a bigger budget never predicts a higher loss", () => {
    const losses = [2e5, 1e6].map((budgetUsd) => makePlan({ gpu: "h100-sxm", gpus: 256, budgetUsd, usdPerGpuHour: 2 }).loss.predicted);
    expect(losses[1]!).toBeLessThanOrEqual(losses[0]!);
  });
});

describe("plan --mfu with Chinchilla reproduces optimal", () => {
  it("same allocation code path: law optimum identical, chosen model within the grid spacing", async () => {
    const opt = await cli(["optimal", "--gpus", "1024", "--days", "30", "--gpu", "h100-sxm", "--utilization", "0.4", "--law", "chinchilla", "--json"]);
    expect(opt.code).toBe(0);
    const n = JSON.parse(opt.out).allocation.n as number;
    const plan = await cli(["plan", "--gpu", "h100-sxm", "--gpus", "1024", "--days", "30", "--mfu", "0.4", "--goodput", "1", "--law", "chinchilla", "--json"]);
    expect(plan.code).toBe(0);
    const p = JSON.parse(plan.out);
    // The law's own optimum at the plan's compute is optimal's N (same function, same compute up to the grid's N·D).
    expect(p.allocation.n / n).toBeCloseTo(1, 6);
    const ratio = p.model.params / n;
    expect(ratio).toBeLessThanOrEqual(DENSE_GRID_SPACING);
    expect(ratio).toBeGreaterThanOrEqual(1 / DENSE_GRID_SPACING);
  });
});

describe("plan CLI", () => {
  it("infeasible deadline: exit 1, one line saying what would make it feasible", async () => {
    const r = await cli(["plan", "--gpu", "h100-sxm", "--gpus", "8", "--days", "0.01"]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/^scaleplan: .*give at least .* days/);
  });
  it("budget below one GPU-hour: exit 1, one line", async () => {
    const r = await cli(["plan", "--gpu", "h100-sxm", "--gpus", "8", "--budget-usd", "1", "--usd-per-gpu-hour", "2"]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/at least \$2/);
  });
  it("nothing fits in memory: exit 1, one line", async () => {
    const r = await cli(["plan", "--gpu", "a100-sxm-40gb", "--gpus", "1", "--days", "30", "--seq-len", "1048576"]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/no template model fits .* use GPUs with more memory or more GPUs/);
  });
  it("bad input: exit 2, one line naming the field", async () => {
    for (const [args, field] of [
      [["--days", "-3"], "--days"],
      [["--days", "30", "--architecture", "sparse"], "architecture"],
      [["--days", "30", "--goodput", "1.5"], "--goodput"],
      [["--days", "30", "--law", "kaplan-n"], "law"],
    ] as const) {
      const r = await cli(["plan", "--gpu", "h100-sxm", "--gpus", "64", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toContain(field);
    }
  });
  it("a frontier over several GPU counts prints one row per count", async () => {
    const r = await cli(["plan", "--gpu", "h100-sxm", "--gpus", "64,128", "--days", "10", "--csv"]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toHaveLength(3);
  });
});
