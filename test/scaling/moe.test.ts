// MoE laws (issue 14) against the papers' own tables: Ludziejewski et al. 2025 Tables 1, 3, 4 and §4.2–4.4;
// Ludziejewski et al. 2024 Tables 1–2; Clark et al. 2022 effective parameter counts (as tabulated by a write-up).
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brentMinimize } from "../../src/core/optimize/brent.ts";
import { fitJointMoe } from "../../src/core/scaling/fit-moe.ts";
import { allocateJointMoe, jointMoeOptimum, granularMoeOptimum } from "../../src/core/scaling/moe-allocation.ts";
import { evaluateMoeLoss, granularMoeLoss, jointMoeLoss, jointMoeSlice, routedEffectiveParams, saturatedExperts } from "../../src/core/scaling/moe-laws.ts";
import { CLARK_SBASE, GRANULAR_MOE_2024, JOINT_MOE_2025 } from "../../src/core/scaling/moe-presets.ts";
import type { MoeRun } from "../../src/core/scaling/moe-runs.ts";
import { runCli } from "../../src/cli/program.ts";
import { memoryIO } from "../../src/cli/io.ts";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

async function run(args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

describe("Ludziejewski et al. 2025 joint dense/MoE law (arXiv 2502.05172)", () => {
  it("Ê saturates from E_start to E_max", () => {
    expect(saturatedExperts(1, 2.0732, 290.4521)).toBeCloseTo(2.0732, 10);
    expect(saturatedExperts(1e12, 2.0732, 290.4521)).toBeCloseTo(290.4521, 3);
  });

  it("reduces to the per-E Chinchilla constants of Table 4 (to the rounding of Table 3)", () => {
    // Table 4: E, m, µ, n, ν.
    const table4: Array<[number, number, number, number, number]> = [
      [1, 30.364, -0.1817, 53.9838, -0.1965],
      [2, 27.7982, -0.178, 66.8401, -0.2065],
      [4, 24.8462, -0.1731, 87.7022, -0.2192],
      [8, 21.833, -0.1676, 119.9126, -0.2338],
      [16, 19.0159, -0.1617, 167.5073, -0.2494],
      [32, 16.5424, -0.1557, 234.6726, -0.2652],
    ];
    for (const [e, m, mu, n, nu] of table4) {
      const s = jointMoeSlice(JOINT_MOE_2025, e);
      expect(rel(s.m, m)).toBeLessThan(0.003);
      expect(rel(s.n, n)).toBeLessThan(0.003);
      expect(s.mu).toBeCloseTo(mu, 3);
      expect(s.nu).toBeCloseTo(nu, 3);
    }
  });

  it("reproduces the compute-optimal configurations of Table 1 (N_act, D within 3 %)", () => {
    const table1: Array<[number, number, number, number]> = [
      [1e20, 1, 1.7e9, 9.7e9], [1e20, 2, 1.5e9, 11.4e9], [1e20, 4, 1.2e9, 13.9e9], [1e20, 8, 990e6, 17e9], [1e20, 16, 810e6, 20.7e9], [1e20, 32, 669e6, 24.9e9],
      [1e21, 1, 5.7e9, 29.3e9], [1e21, 2, 5e9, 33e9], [1e21, 4, 4.4e9, 38e9], [1e21, 8, 3.8e9, 44.3e9], [1e21, 16, 3.3e9, 51.2e9], [1e21, 32, 2.85e9, 58.4e9],
      [1e22, 1, 18.8e9, 88.6e9], [1e22, 2, 17.4e9, 96e9], [1e22, 4, 15.8e9, 105.4e9], [1e22, 8, 14.4e9, 115.8e9], [1e22, 16, 13.2e9, 126.5e9], [1e22, 32, 12.2e9, 136.9e9],
    ];
    for (const [flops, e, nAct, d] of table1) {
      const c = jointMoeOptimum(JOINT_MOE_2025, flops, e);
      expect(rel(c.activeParams, nAct)).toBeLessThan(0.03);
      expect(rel(c.tokens, d)).toBeLessThan(0.03);
    }
  });

  it("Findings 1–2: more experts → fewer active parameters, more tokens, lower loss at a fixed budget", () => {
    const r = allocateJointMoe(JOINT_MOE_2025, 1e21);
    for (let i = 1; i < r.configurations.length; i++) {
      expect(r.configurations[i]!.activeParams).toBeLessThan(r.configurations[i - 1]!.activeParams);
      expect(r.configurations[i]!.tokens).toBeGreaterThan(r.configurations[i - 1]!.tokens);
      expect(r.configurations[i]!.loss).toBeLessThan(r.configurations[i - 1]!.loss);
    }
    expect(r.best.experts).toBe(32);
  });

  it("Finding 3 / §4.4: at the budget where a 1.1B dense model is compute-optimal, 1.1B-total E = 2 and 4 models win and use 36 % and 61 % fewer FLOP per token", () => {
    const lf = brentMinimize((x) => Math.abs(Math.log(jointMoeOptimum(JOINT_MOE_2025, Math.exp(x), 1).activeParams / 1.1e9)), Math.log(1e18), Math.log(1e21)).x;
    const r = allocateJointMoe(JOINT_MOE_2025, Math.exp(lf), { maxTotalParams: 1.1e9, experts: [1, 2, 4] });
    const [dense, e2, e4] = r.configurations;
    expect(e2!.loss).toBeLessThan(dense!.loss);
    expect(e4!.loss).toBeLessThan(e2!.loss);
    expect(e2!.totalParams).toBeCloseTo(1.1e9, -6);
    expect(1 - e2!.activeParams / dense!.activeParams).toBeCloseTo(0.36, 2);
    expect(1 - e4!.activeParams / dense!.activeParams).toBeCloseTo(0.61, 1);
  });
});

describe("Ludziejewski (Krajewski) et al. 2024 granularity law (arXiv 2402.07871)", () => {
  it("reproduces the losses of Table 2 within 1.2 % (N_total = (8E + 4)/12 · N_act, §6.1; ours 0.7–0.9 % lower)", () => {
    // Table 2: N_act (the '64 x N_act' label), D, G, loss.
    const table2: Array<[number, number, number, number]> = [
      [100e6, 4.37e9, 8, 3.133], [1e9, 28.94e9, 16, 2.491], [3e9, 72.9e9, 16, 2.245], [7e9, 137.6e9, 32, 2.076],
      [70e9, 941.07e9, 32, 1.694], [300e9, 2.96e12, 64, 1.503], [1e12, 7.94e12, 64, 1.367],
    ];
    for (const [nAct, d, g, loss] of table2) {
      const ours = granularMoeLoss(GRANULAR_MOE_2024, ((8 * 64 + 4) / 12) * nAct, d, g);
      expect(rel(ours, loss)).toBeLessThan(0.012);
      expect(ours).toBeLessThan(loss);
    }
  });

  it("finer experts lower the loss with diminishing returns (§5.1), and the optimum shifts toward more tokens", () => {
    const g1 = granularMoeOptimum(GRANULAR_MOE_2024, 1e21, 1);
    const g8 = granularMoeOptimum(GRANULAR_MOE_2024, 1e21, 8);
    const g16 = granularMoeOptimum(GRANULAR_MOE_2024, 1e21, 16);
    expect(g8.loss).toBeLessThan(g1.loss);
    expect(g1.loss - g8.loss).toBeGreaterThan(g8.loss - g16.loss);
    expect(g8.tokens).toBeGreaterThan(g1.tokens);
  });
});

describe("Clark et al. 2022 routed law (arXiv 2202.01169), S-BASE constants", () => {
  it("effective parameter counts as the write-up tabulates them from the paper's formula", () => {
    const table: Array<[number, number, number]> = [[1e9, 64, 3.14e9], [100e6, 8, 200.66e6], [10e6, 128, 90.77e6], [200e9, 8, 225.88e9], [1e9, 8, 1.69e9]];
    for (const [n, e, epc] of table) expect(rel(routedEffectiveParams(CLARK_SBASE, n, e), epc)).toBeLessThan(0.003);
    expect(routedEffectiveParams(CLARK_SBASE, 1e9, 1)).toBeCloseTo(1e9, -3);
  });
});

describe("evaluateMoeLoss (the planner's entry point)", () => {
  it("reads the fields each law needs and names a missing one", () => {
    expect(evaluateMoeLoss(JOINT_MOE_2025, { activeParams: 1e9, tokens: 2e10, experts: 8 })).toBeCloseTo(jointMoeLoss(JOINT_MOE_2025, 1e9, 2e10, 8), 12);
    expect(evaluateMoeLoss(GRANULAR_MOE_2024, { totalParams: 43e9, tokens: 2.894e10, granularity: 16 })).toBeCloseTo(granularMoeLoss(GRANULAR_MOE_2024, 43e9, 2.894e10, 16), 12);
    expect(() => evaluateMoeLoss(JOINT_MOE_2025, { activeParams: 1e9 })).toThrow(/tokens/);
    expect(() => evaluateMoeLoss(JOINT_MOE_2025, { activeParams: -1, tokens: 1e9 })).toThrow(/activeParams/);
  });
});

function synthetic(noise: number): MoeRun[] {
  const runs: MoeRun[] = [];
  let line = 2;
  for (const e of [1, 2, 4, 8, 16, 32]) {
    for (const n of [1e8, 3e8, 1e9, 3e9]) {
      for (const tpp of [5, 20, 80]) {
        const wobble = 1 + noise * (line % 2 === 0 ? 1 : -1);
        runs.push({ line: line++, activeParams: n, experts: e, tokens: n * tpp, loss: jointMoeLoss(JOINT_MOE_2025, n, n * tpp, e) * wobble });
      }
    }
  }
  return runs;
}

describe("fitting a user's MoE runs (fit --form moe)", () => {
  it("recovers the published constants from runs generated by them", () => {
    const fit = fitJointMoe(synthetic(0));
    expect(fit.law.alpha).toBeCloseTo(JOINT_MOE_2025.alpha, 4);
    expect(fit.law.zeta).toBeCloseTo(JOINT_MOE_2025.zeta, 4);
    expect(fit.law.c).toBeCloseTo(JOINT_MOE_2025.c, 3);
  });

  it("with ±0.3 % noise, still predicts the compute-optimal loss at 1e22 FLOP within 1 %", () => {
    const fit = fitJointMoe(synthetic(0.003));
    for (const e of [1, 8, 32]) {
      expect(rel(jointMoeOptimum(fit.law, 1e22, e).loss, jointMoeOptimum(JOINT_MOE_2025, 1e22, e).loss)).toBeLessThan(0.01);
    }
  });

  it("the CLI fits a CSV and optimal --fit uses the result", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-moe-"));
    const csv = join(dir, "runs.csv");
    writeFileSync(csv, `active_params,experts,tokens,loss\n${synthetic(0).map((r) => `${r.activeParams},${r.experts},${r.tokens},${r.loss}`).join("\n")}\n`);
    const fit = await run(["fit", csv, "--form", "moe", "--json"]);
    expect(fit.code).toBe(0);
    const fitPath = join(dir, "moe-fit.json");
    writeFileSync(fitPath, fit.out);
    const opt = await run(["optimal", "--fit", fitPath, "--flops", "1e21", "--experts", "1,8", "--json"]);
    expect(opt.code).toBe(0);
    const doc = JSON.parse(opt.out);
    expect(doc.configurations).toHaveLength(2);
    expect(rel(doc.configurations[0].activeParams, 5.7e9)).toBeLessThan(0.03);
  });

  it("a run file without an experts column is a one-line error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-moe-"));
    const csv = join(dir, "bad.csv");
    writeFileSync(csv, "active,tokens,loss\n1e9,2e10,2.5\n");
    const r = await run(["fit", csv, "--form", "moe"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing column\(s\) experts/);
  });
});

describe("scaleplan optimal / laws with MoE presets", () => {
  it("optimal --law moe-joint-2025 --max-total-params marks memory-bound configurations", async () => {
    const r = await run(["optimal", "--law", "moe-joint-2025", "--flops", "5e22", "--max-total-params", "2e9", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.configurations.every((c: { memoryBound: boolean; totalParams: number }) => c.memoryBound && c.totalParams <= 2e9 * (1 + 1e-9))).toBe(true);
  });

  it("--experts with a dense law, and a budget-less Clark query, are one-line errors", async () => {
    expect((await run(["optimal", "--law", "epoch", "--flops", "1e21", "--experts", "8"])).code).toBe(2);
    const clark = await run(["optimal", "--law", "moe-clark-sbase"]);
    expect(clark.code).toBe(2);
    expect(clark.err.trim().split("\n")).toHaveLength(1);
  });

  it("laws lists the MoE presets with their sources", async () => {
    const r = await run(["laws", "--json"]);
    const ids = JSON.parse(r.out).laws.map((l: { id: string }) => l.id);
    expect(ids).toEqual(expect.arrayContaining(["moe-clark-sbase", "moe-granular-2024", "moe-joint-2025", "dense-ludziejewski-2024"]));
  });
});
