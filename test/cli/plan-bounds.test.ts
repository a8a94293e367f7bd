// A plan's deadline and goodput bounds (config/bounds.ts PLAN_DAYS, GOODPUT), issue 13: `plan --goodput 1e-300`
// ended with exit 1 ("cannot hold") instead of a bound error, `--days 1e300` and `--budget-usd 1e300` with
// "d: Infinity is not allowed", naming no input. Now the CLI, plan files, the core and the Plan view refuse the
// same values in one line naming the field, exit 2; and the goodput bound is the honest one (no plannable input
// refused), recomputed here from the catalogue and the templates it was derived from.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { GOODPUT, MAX_GPUS, MAX_PLAN_DAYS, MIN_USEFUL_FRACTION, PLAN_DAYS } from "../../src/core/config/bounds.ts";
import { InputError } from "../../src/core/errors.ts";
import { GPU_CATALOGUE } from "../../src/core/hardware/catalogue.ts";
import { candidateShape } from "../../src/core/plan/candidate.ts";
import { denseGrid } from "../../src/core/plan/dense-template.ts";
import { goodputFor } from "../../src/core/plan/goodput.ts";
import { moeGrid } from "../../src/core/plan/moe-template.ts";
import { minimumSteps } from "../../src/core/plan/schedule-plan.ts";
import { formErrors } from "./form-errors.ts";
import { DEFAULT_PLAN_STATE, type PlanState } from "../../web/src/views/plan/state.ts";
import { planTask } from "../../web/src/views/plan/task.ts";

async function cli(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

const base = ["plan", "--gpu", "h100-sxm", "--gpus", "4096"];

/** The Plan view's field errors for these inputs (only inputs refused before the search are used here). */
function webErrors(state: Partial<PlanState>): ReadonlyArray<{ field: string; message: string }> {
  return formErrors(() => planTask({ ...DEFAULT_PLAN_STATE, ...state }, () => {}));
}

describe("plan: goodput's (and a pinned MFU's) lower bound", () => {
  it("is at most the derived floor (no plannable input refused) and within a factor 10 of it", () => {
    // The cheapest token of any template (seqLen 1: the attention term only grows with it), the fastest catalogue
    // GPU (FP8 where it has it), the largest cluster and the longest deadline, at 100 % of peak, one token a step.
    const cluster = { gpu: "h100-sxm", gpus: 8, precision: "bf16" as const };
    // A pinned MFU counts 6N per token (N: active parameters for MoE, all for dense), the layout search model FLOPs.
    const perToken = (t: ReturnType<typeof denseGrid>[number]) => {
      const s = candidateShape(t, cluster);
      return Math.min(s.modelFlopsPerToken, 6 * (t.model.moe ? s.activeParams : s.totalParams));
    };
    const cheapest = Math.min(...[...denseGrid(1), ...moeGrid(1)].map(perToken));
    const fastest = Math.max(...GPU_CATALOGUE.map((g) => Math.max(g.peakTflopsBf16, g.peakTflopsFp8 ?? 0))) * 1e12;
    const floor = (minimumSteps() * cheapest) / (MAX_GPUS * fastest * MAX_PLAN_DAYS * 86_400);
    expect(MIN_USEFUL_FRACTION).toBeLessThanOrEqual(floor);
    expect(floor).toBeLessThan(10 * MIN_USEFUL_FRACTION);
    expect(GOODPUT.allowed).toContain(`${minimumSteps().toLocaleString("en-US")} steps`);
  });

  it("the CLI, a plan file and the core refuse a goodput below it in one line (exit 2)", async () => {
    for (const g of ["1e-300", "1e-19", "0", "-0.5", "1.5"]) {
      const r = await cli(...base, "--days", "90", "--goodput", g);
      expect(r.err, g).toBe(`scaleplan: --goodput: "${g}" is not allowed; expected ${GOODPUT.allowed}\n`);
      expect(r.code).toBe(2);
    }
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-plan-"));
    const file = join(dir, "plan.yaml");
    writeFileSync(file, "gpu: h100-sxm\ngpus: 4096\ndays: 90\ngoodput: 1e-300\n");
    const r = await cli("plan", "--config", file);
    expect(r.err).toBe(`scaleplan: ${file}:4:10: goodput: 1e-300 is not allowed; expected ${GOODPUT.allowed}\n`);
    expect(r.code).toBe(2);
    expect(() => goodputFor(4096, 1e-300)).toThrow(new InputError("goodput", 1e-300, GOODPUT.allowed));
  });

  it("at the bound the input passes and the plan itself says the time is too short (exit 1)", async () => {
    const r = await cli("plan", "--gpu", "h100-sxm", "--gpus", "8", "--days", "1", "--goodput", String(MIN_USEFUL_FRACTION));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot hold even the smallest model's warmup and cooldown/);
  });

  it("the Plan view's goodput field has the same bound and words", () => {
    expect(webErrors({ goodput: "1e-300" })).toEqual([{ key: "plan", field: "goodput", message: `goodput: "1e-300" is not allowed; expected ${GOODPUT.allowed}` }]);
    expect(webErrors({ goodput: "0" })).toEqual([{ key: "plan", field: "goodput", message: `goodput: "0" is not allowed; expected ${GOODPUT.allowed}` }]);
  });
});

describe("plan: the deadline's bound", () => {
  it("--days past ten years is one line naming --days, in the CLI and the Plan view", async () => {
    for (const d of ["1e300", "3651"]) {
      const r = await cli(...base, "--days", d);
      expect(r.err).toBe(`scaleplan: --days: "${d}" is not allowed; expected ${PLAN_DAYS.allowed}\n`);
      expect(r.code).toBe(2);
      expect(webErrors({ days: d })).toEqual([{ key: "plan", field: "days", message: `days: "${d}" is not allowed; expected ${PLAN_DAYS.allowed}` }]);
    }
  });

  it("a budget that buys more than ten years names the budget and the most it may be", async () => {
    const r = await cli(...base, "--budget-usd", "1e300", "--usd-per-gpu-hour", "2");
    // 3,650 days × 24 h × 4,096 GPUs × $2 = $717,619,200, cut (not rounded) to three digits.
    expect(r.err).toBe(`scaleplan: budgetUsd: 1e300 is not allowed; expected dollars buying at most 3,650 days (${PLAN_DAYS.reason}): at most 7.17e8 for 4,096 GPUs at $2/GPU-hour\n`);
    expect(r.code).toBe(2);
    const web = webErrors({ mode: "budget", budgetUsd: "1e300", usdPerGpuHour: "2" });
    expect(web.map((e) => e.field)).toEqual(["budgetUsd"]);
  });
});
