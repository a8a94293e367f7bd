// `plan --sites S [--diloco H]` (issue 14): step time across sites from the layout search on the multi-site run,
// DiLoCo's loss cost from Charles et al. 2025 (Table 7), and which method reaches the lower loss by the deadline.
// Small clusters and short deadlines keep each plan (made twice with --diloco) well under a second.
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { dataParallelLoss, dilocoLoss } from "../../src/core/diloco/loss-law.ts";
import { makePlan } from "../../src/core/plan/make-plan.ts";
import { lossOf } from "../../src/core/scaling/allocation.ts";
import { findPreset } from "../../src/core/scaling/presets.ts";
import type { LossLaw } from "../../src/core/scaling/law-types.ts";
import { expectRunReproducesStep, expectTokensFromThroughput } from "../plan/plan-checks.ts";

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

/** 32 H100 in 8 sites of 4, 400 Gbit/s per GPU and 1 ms between them, 12 hours. */
const fastLink = { gpu: "h100-sxm", gpus: 32, days: 0.5, sites: 8, interSiteGbit: 400, interSiteMs: 1 } as const;

describe("plan across sites", () => {
  const diloco = makePlan({ ...fastLink, diloco: 30 });
  const sync = makePlan(fastLink);

  it("its run carries the sites, and `step` on it gives the plan's step time; tokens follow from the throughput", () => {
    expect(diloco.run!.hardware).toMatchObject({ sites: 8, interSite: { gbitPerGpu: 400, latencyMs: 1 } });
    expect(diloco.run!.training).toMatchObject({ diloco: { syncEvery: 30, outerBits: 16 } });
    expect(sync.run!.training).not.toHaveProperty("diloco");
    for (const p of [diloco, sync]) {
      expectRunReproducesStep(p);
      expectTokensFromThroughput(p);
      expect(p.run!.training.globalBatch % 8).toBe(0);
    }
  });

  it("DiLoCo's loss is the plan law's × Charles et al. Table 7's L_M(N)/L_DP(N), M = sites", () => {
    const n = diloco.model.params;
    const law = findPreset("epoch") as LossLaw;
    const factor = dilocoLoss(n, 8).loss / dataParallelLoss(n);
    expect(diloco.sites!.diloco!.lossFactor).toBeCloseTo(factor, 12);
    expect(diloco.loss.predicted).toBeCloseTo(lossOf(law, n, diloco.tokens) * factor, 10);
    // Synchronous data parallelism: the law's loss as it is.
    expect(sync.loss.predicted).toBeCloseTo(lossOf(law, sync.model.params, sync.tokens), 10);
    // Table 7 at these sizes: 8 replicas cost loss (the M = 8 fit crosses data parallelism only at 9.7B).
    expect(factor).toBeGreaterThan(1);
  });

  it("compares with synchronous data parallelism over the same sites and says which reaches the lower loss", () => {
    const c = diloco.sites!.comparison!;
    expect(c.synchronous).toMatchObject({ model: sync.model.name, loss: sync.loss.predicted, tokens: sync.tokens });
    expect(c.diloco.loss).toBe(diloco.loss.predicted);
    // A fast link (400 Gbit/s per GPU) and a small model: DiLoCo's speed-up does not pay for M = 8's loss cost.
    expect(c.lowerLoss).toBe("synchronous-data-parallel");
    expect(diloco.warnings.some((w) => /synchronous data parallelism across the 8 sites reaches a lower loss/.test(w))).toBe(true);
    expect(sync.sites!.comparison).toBeNull();
  });

  it("a slow link (1 Gbit/s per GPU) turns it around: DiLoCo trains more tokens and reaches the lower loss", () => {
    const slow = makePlan({ ...fastLink, gpus: 16, days: 3, sites: 2, interSiteGbit: 1, interSiteMs: 10, diloco: 30 });
    const c = slow.sites!.comparison!;
    expect(c.lowerLoss).toBe("diloco");
    expect(c.diloco.tokens).toBeGreaterThan(c.synchronous.tokens);
    expect(c.diloco.stepTimeSeconds!).toBeLessThan(c.synchronous.stepTimeSeconds!);
  });

  it("one site changes nothing; H ≠ 30 warns that the loss law was fitted at H = 30", () => {
    const tiny = { gpu: "h100-sxm", gpus: 16, days: 0.5 } as const;
    expect(makePlan({ ...tiny, sites: 1 })).toEqual(makePlan(tiny));
    const h100 = makePlan({ ...fastLink, diloco: 100 });
    expect(h100.warnings.some((w) => /fitted at H = 30; at H = 100/.test(w))).toBe(true);
    expect(diloco.warnings.some((w) => /fitted at H = 30/.test(w))).toBe(false);
  });

  it("the CLI prints the sites and the comparison; bad site inputs are one line naming the field, exit 2", async () => {
    const ok = await cli(["plan", "--gpu", "h100-sxm", "--gpus", "32", "--days", "0.5", "--sites", "8", "--inter-site-gbit", "400", "--inter-site-ms", "1", "--diloco", "30"]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/sites\s+8 × 4 GPUs, 400 Gbit\/s per GPU and 1 ms between sites; DiLoCo H = 30/);
    expect(ok.out).toMatch(/DiLoCo vs synchronous DP\s+synchronous DP reaches the lower loss/);
    const base = ["plan", "--gpu", "h100-sxm", "--gpus", "32", "--days", "0.5"];
    for (const [extra, message] of [
      [["--sites", "3"], /^scaleplan: sites: 3 .*divisor of gpus \(32\)/],
      [["--diloco", "30"], /^scaleplan: sites: 1 .*at least 2 with diloco/],
      [["--sites", "2", "--diloco", "0"], /^scaleplan: --diloco: "?0"? /],
      [["--sites", "2", "--diloco", "30", "--architecture", "moe"], /^scaleplan: diloco: 30 .*dense models/],
      [["--sites", "2", "--diloco", "30", "--outer-bits", "64"], /^scaleplan: --outer-bits: "?64"? /],
      [["--inter-site-gbit", "10"], /^scaleplan: interSiteGbit: 10 .*sites >= 2/],
      [["--sites", "2", "--mfu", "0.4"], /^scaleplan: mfu: 0.4 /],
    ] as const) {
      const r = await cli([...base, ...extra]);
      expect(r.code, extra.join(" ")).toBe(2);
      expect(r.err.trim().split("\n"), extra.join(" ")).toHaveLength(1);
      expect(r.err).toMatch(message);
    }
  });
});
