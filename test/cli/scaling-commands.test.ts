import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";

const FIXTURE = new URL("../fixtures/chinchilla/svg_extracted_data.csv", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "scaleplan-scaling-"));

async function run(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

describe("scaleplan laws", () => {
  it("lists every preset with its formula", async () => {
    const r = await run("laws");
    expect(r.code).toBe(0);
    for (const id of ["chinchilla", "chinchilla-unrounded", "epoch", "datablations-c4", "overtraining-c4", "kaplan-nd", "kaplan-n", "kaplan-d", "kaplan-cmin", "deepseek", "step-law", "kaplan-bcrit", "zhang-cbs"]) {
      expect(r.out).toContain(id);
    }
    expect(r.out).toContain("L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28");
    const json = JSON.parse((await run("laws", "epoch", "--json")).out) as { laws: Array<{ A: number }> };
    expect(json.laws[0]!.A).toBe(482.01);
  });

  it("validates a law file", async () => {
    const file = join(dir, "bad-law.json");
    writeFileSync(file, JSON.stringify({ id: "x", name: "x", source: "x", form: "chinchilla", conventions: { params: "", data: "", loss: "", compute: "" }, E: 1.7, A: 400, B: 400, alpha: -0.3, beta: 0.3 }));
    const r = await run("laws", "--file", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad-law\.json:\d+:\d+: alpha: -0\.3 is not allowed; expected a number > 0/);
  });
});

describe("scaleplan fit and optimal on the Chinchilla fixture", () => {
  it("fits, saves JSON with the documented shape, and feeds it to optimal --fit", async () => {
    const plot = join(dir, "fit.svg");
    const r = await run("fit", FIXTURE, "--drop-highest", "5", "--bootstrap", "100", "--json", "--plot", plot);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      law: Record<string, number>;
      intervals: Record<string, [number, number]>;
      frontier: { a: number; b: number };
      objective: number;
      points: number;
    };
    expect(Object.keys(doc.law).sort()).toEqual(["A", "B", "E", "alpha", "beta"]);
    for (const k of ["E", "A", "B", "alpha", "beta", "a"]) expect(doc.intervals[k]).toHaveLength(2);
    expect(doc.points).toBe(240);
    expect(doc.law.E).toBeCloseTo(1.817, 2);
    expect(doc.frontier.a).toBeCloseTo(0.513, 2);
    expect(readFileSync(plot, "utf8")).toContain("<svg");

    const saved = join(dir, "fit.json");
    writeFileSync(saved, r.out);
    const opt = await run("optimal", "--flops", "5.76e23", "--fit", saved, "--json");
    expect(opt.code).toBe(0);
    const a = JSON.parse(opt.out) as { allocation: { n: number; tokensPerParam: number; lossInterval: [number, number]; nInterval: [number, number] } };
    // Besiroglu et al.: ≈ 18 tokens/param at Chinchilla's compute (spec B.2).
    expect(a.allocation.tokensPerParam).toBeGreaterThan(16);
    expect(a.allocation.tokensPerParam).toBeLessThan(20);
    expect(a.allocation.lossInterval[0]).toBeLessThan(a.allocation.lossInterval[1]);
    expect(a.allocation.nInterval[0]).toBeLessThan(a.allocation.n);
  });

  it("prints the human table by default", async () => {
    const r = await run("fit", FIXTURE, "--drop-highest", "5", "--bootstrap", "20");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Approach 3");
    expect(r.out).toContain("a = beta/(alpha+beta)");
    expect(r.out).toContain("Compute-optimal frontier");
    expect(r.out).not.toContain("NaN");
  });
});

describe("scaleplan optimal", () => {
  it("reproduces the B.9 Epoch row and names the batch/LR law", async () => {
    const r = await run("optimal", "--flops", "1e21", "--law", "epoch", "--json");
    const doc = JSON.parse(r.out) as { allocation: { n: number; d: number; loss: number }; hyperparameters: { law: string; batchTokens: number; peakLearningRate: number } };
    expect(doc.allocation.n / 2.778e9).toBeCloseTo(1, 3);
    expect(doc.allocation.loss).toBeCloseTo(2.3055, 4);
    expect(doc.hyperparameters.law).toBe("deepseek");
    expect(doc.hyperparameters.batchTokens / 2.16e6).toBeCloseTo(1, 2);
  });

  it("converts a GPU budget and supports the constrained variants", async () => {
    // 1000 GPUs × 10 days × 86,400 s × 0.5 × 1e15 FLOP/s = 4.32e23 FLOP.
    const r = await run("optimal", "--gpus", "1000", "--days", "10", "--utilization", "0.5", "--peak", "1e15", "--law", "chinchilla", "--params", "1e10", "--json");
    const doc = JSON.parse(r.out) as { budgetFlops: number; allocation: { n: number; d: number } };
    expect(doc.budgetFlops).toBeCloseTo(4.32e23, -18);
    expect(doc.allocation.n).toBe(1e10);
    expect(doc.allocation.d).toBeCloseTo(4.32e23 / 6e10, -3);
    const inf = JSON.parse((await run("optimal", "--flops", "1e23", "--law", "epoch", "--inference-tokens", "1e13", "--json")).out) as {
      allocation: { n: number; inference: { totalFlops: number; computeOptimalTotalFlops: number } };
    };
    expect(inf.allocation.inference.totalFlops).toBeLessThan(inf.allocation.inference.computeOptimalTotalFlops);
  });

  it("takes the peak from a GPU preset: 1,024 H100 × 30 days × 0.4 × 989 TFLOP/s", async () => {
    const r = await run("optimal", "--gpus", "1024", "--days", "30", "--gpu", "h100-sxm", "--json");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { budgetFlops: number }).budgetFlops / (1024 * 30 * 86400 * 0.4 * 989e12)).toBeCloseTo(1, 12);
    const bad = await run("optimal", "--gpus", "8", "--days", "1", "--gpu", "h100");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--gpu.*h100.*h100-sxm/);
    expect((await run("optimal", "--gpus", "8", "--days", "1", "--gpu", "h100-sxm", "--peak", "1e15")).code).toBe(2);
  });
});

describe("law files", () => {
  it("optimal accepts a law document and gives the same answer as the equivalent preset", async () => {
    const file = join(dir, "my-law.json");
    const preset = JSON.parse((await run("laws", "epoch", "--json")).out) as { laws: unknown[] };
    writeFileSync(file, JSON.stringify({ ...(preset.laws[0] as object), id: "mine" }));
    const mine = JSON.parse((await run("optimal", "--flops", "1e21", "--law", file, "--json")).out) as { allocation: { n: number } };
    const ref = JSON.parse((await run("optimal", "--flops", "1e21", "--law", "epoch", "--json")).out) as { allocation: { n: number } };
    expect(mine.allocation.n).toBe(ref.allocation.n);
  });

  it("optimal --fit names the bad path of a file that is not a saved fit", async () => {
    const file = join(dir, "not-a-fit.json");
    writeFileSync(file, JSON.stringify({ law: { E: 1.8, A: 400, B: 400, alpha: 0.3 } }));
    const r = await run("optimal", "--flops", "1e21", "--fit", file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not-a-fit\.json:\d+:\d+: law\.beta: a missing value is not allowed/);
  });
});

describe("bad input", () => {
  it("exits 2 with one line naming the field", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["optimal", "--flops", "-1"], /--flops: "-1" is not allowed/],
      [["optimal", "--flops", "1e21", "--law", "kaplan-n"], /one-variable law/],
      [["optimal", "--flops", "1e21", "--law", "nope"], /--law: "nope" is not allowed/],
      [["optimal"], /a budget is required/],
      [["optimal", "--flops", "1e21", "--params", "1e9", "--tokens", "1e10"], /at most one/],
      [["fit", FIXTURE, "--approach", "4"], /--approach: "4" is not allowed/],
      [["fit", join(dir, "missing.csv")], /cannot read/],
    ];
    for (const [args, pattern] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toMatch(pattern);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
  });

  it("rejects bad run files: missing columns, non-positive values, too few points, one N", async () => {
    const write = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const cases: Array<[string, RegExp]> = [
      [write("a.csv", "N,loss\n1e8,3\n"), /missing column/],
      [write("b.csv", "N,D,loss\n1e8,1e9,3\n2e8,1e9,-3\n"), /b\.csv:3: column "loss"/],
      [write("c.csv", "N,D,loss\n1e8,1e9,3\n2e8,1e9,2.9\n"), /too few/],
      [write("d.csv", "N,D,loss\n" + [1, 2, 3, 4, 5, 6, 7].map((k) => `1e8,${k}e9,${3 - k / 100}`).join("\n")), /same N/],
      [write("e.csv", "N,D,loss\n1e8,1e9,NaN\n"), /e\.csv:2/],
    ];
    for (const [file, pattern] of cases) {
      const r = await run("fit", file, "--bootstrap", "0");
      expect(r.code, file).toBe(2);
      expect(r.err).toMatch(pattern);
    }
    expect(existsSync(join(dir, "never.svg"))).toBe(false);
  });

  it("exits 1 when the fit fails (loss rising with N)", async () => {
    const p = join(dir, "rising.csv");
    writeFileSync(p, "N,D,loss\n1e8,1e9,3\n2e8,1e9,3.5\n4e8,2e9,4\n1e8,4e9,3.2\n3e8,3e9,4.4\n5e8,1e10,5\n");
    const r = await run("fit", p, "--bootstrap", "0", "--plot", join(dir, "never.svg"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/fit failed/);
    expect(existsSync(join(dir, "never.svg"))).toBe(false);
  });
});
