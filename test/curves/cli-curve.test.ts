import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, readdirSync, readFileSync } from "node:fs";
import { parseScheduleSpec } from "../../src/core/schedule/spec.ts";
import { scheduleLrArray } from "../../src/core/schedule/generators.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/program.ts";
import { memoryIO } from "../../src/cli/io.ts";
import { curvePath } from "../fixtures/loss-curves/load.ts";
import { MPL_SPECS } from "../fixtures/loss-curves/mpl-specs.ts";

const PUBLISHED = { L0: 3.04045406, A: 0.52468604, alpha: 0.50786857, B: 363.78751622, C: 2.06560812, beta: 0.58279013, gamma: 0.64142257 };

async function run(args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

describe("scaleplan curve", () => {
  const dir = mkdtempSync(join(tmpdir(), "scaleplan-curve-"));
  const fitPath = join(dir, "fit.json");
  writeFileSync(fitPath, JSON.stringify({ law: "mpl", params: PUBLISHED }));

  it("fit --json writes a fit that predict reads", async () => {
    const r = await run(["curve", "fit", "--law", "momentum", curvePath("cosine_24000"), curvePath("constant_24000"), curvePath("wsdcon_9"),
      "--schedule", MPL_SPECS["cosine_24000"]!, "--schedule", MPL_SPECS["constant_24000"]!, "--schedule", MPL_SPECS["wsdcon_9"]!, "--json"]);
    expect(r.code).toBe(0);
    const fit = JSON.parse(r.out);
    expect(fit.law).toBe("momentum");
    expect(fit.params.L0).toBeCloseTo(3.068, 3);
    writeFileSync(join(dir, "momentum.json"), r.out);
    const p = await run(["curve", "predict", "--fit", join(dir, "momentum.json"), curvePath("wsdcon_18"), "--schedule", MPL_SPECS["wsdcon_18"]!, "--json"]);
    expect(p.code).toBe(0);
    expect(JSON.parse(p.out).metrics.r2).toBeGreaterThan(0.99);
  });

  it("takes the LR from rows that list every step (--schedule - in a per-file list)", async () => {
    const lr = scheduleLrArray(parseScheduleSpec(MPL_SPECS["wsdcon_9"]!), 14145);
    const losses = new Map(readFileSync(curvePath("wsdcon_9"), "utf8").trim().split("\n").slice(1).map((l) => [Number(l.split(",")[0]), l.split(",")[2]!]));
    const perStep = join(dir, "wsdcon_9_perstep.csv");
    writeFileSync(perStep, `step,lr,loss\n${Array.from(lr, (v, s) => `${s},${v},${losses.get(s) ?? ""}`).join("\n")}\n`);
    const args = (first: string) => ["curve", "fit", "--law", "momentum", perStep, curvePath("constant_24000"), "--schedule", first, "--schedule", MPL_SPECS["constant_24000"]!, "--json"];
    const fromRows = JSON.parse((await run(args("-"))).out);
    const fromSpec = JSON.parse((await run(args(MPL_SPECS["wsdcon_9"]!))).out);
    expect(fromRows.params.L0).toBeCloseTo(fromSpec.params.L0, 10);
    expect(fromRows.points).toBe(95 + 171);
  });

  it("predict --json prints predictions and metrics (published 25M fit on wsd_20000_24000)", async () => {
    const r = await run(["curve", "predict", "--fit", fitPath, curvePath("wsd_20000_24000"), "--schedule", MPL_SPECS["wsd_20000_24000"]!, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.predictions).toHaveLength(170);
    expect(out.predictions[169]).toEqual({ step: 23904, loss: expect.closeTo(3.2669, 4) });
    expect(out.metrics.r2).toBeCloseTo(0.99922, 4);
    expect(Object.keys(out.metrics)).toEqual(expect.arrayContaining(["r2", "meanRelError", "worstRelError"]));
  });

  it("predict accepts empty losses and --every", async () => {
    const csv = join(dir, "future.csv");
    writeFileSync(csv, "step,lr,loss\n1000,,\n99999,,\n");
    const r = await run(["curve", "predict", "--fit", fitPath, csv, "--schedule", "wsd:steps=100000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,cooldown=0.2,shape=sqrt", "--every", "1000", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.predictions).toHaveLength(100);
    expect(out.metrics).toBeNull();
  });

  it("optimize beats cosine and matches or beats WSD under a non-increasing constraint", async () => {
    const r = await run(["curve", "optimize", "--fit", fitPath, "--steps", "24000", "--peak", "3e-4", "--warmup", "2160", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    for (const b of out.baselines) expect(out.finalLoss).toBeLessThanOrEqual(b.finalLoss);
    const lrs = out.schedule.map((p: { lr: number }) => p.lr).filter((_: number, i: number) => out.schedule[i].step >= 2160);
    for (let i = 1; i < lrs.length; i++) expect(lrs[i]).toBeLessThanOrEqual(lrs[i - 1] * (1 + 1e-12));
  });

  it("bad input: one line, exit 2, nothing written", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "step,lr,loss\n0,1e-4,3\n2,1e-4,3\n1,1e-4,3\n");
    const before = readdirSync(dir).length;
    const cases = [
      ["curve", "fit", bad],
      ["curve", "fit", curvePath("cosine_24000")],
      ["curve", "predict", "--fit", bad, curvePath("cosine_24000"), "--schedule", MPL_SPECS["cosine_24000"]!],
      ["curve", "predict", "--fit", fitPath, curvePath("cosine_24000"), "--schedule", MPL_SPECS["constant_24000"]!, "--plot", join(dir, "p.svg")],
      ["curve", "optimize", "--fit", fitPath, "--steps", "100", "--peak", "3e-4", "--warmup", "200"],
    ];
    for (const args of cases) {
      const r = await run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.out).toBe("");
    }
    expect(readdirSync(dir).length).toBe(before);
  });
});
