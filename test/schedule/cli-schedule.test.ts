import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/program.ts";
import { memoryIO } from "../../src/cli/io.ts";

async function run(args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

describe("scaleplan schedule", () => {
  it("--csv --every thins the per-step output and keeps the last step", async () => {
    const r = await run(["schedule", "wsd:steps=1000,warmup=100,cooldown=0.2,shape=sqrt", "--csv", "--every", "250"]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toEqual(["step,factor,lr", "0,0.01,0.01", "250,1,1", "500,1,1", "750,1,1", expect.stringMatching(/^999,0\.0025031/)]);
  });

  it("--json carries the PyTorch snippet and reference flags", async () => {
    const r = await run(["schedule", "wsd:steps=1000,warmup=100,cooldown=0.2,shape=sqrt,peak=1e-3", "--json"]);
    const out = JSON.parse(r.out);
    expect(out.points).toHaveLength(1000);
    expect(out.points[900].factor).toBeCloseTo(0.292893, 6);
    expect(out.pytorch).toContain("LambdaLR");
    expect(out.referenceTrainerFlags).toContain("--decay_type sqrt");
  });

  it("table:FILE and --plot", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-sched-"));
    writeFileSync(join(dir, "t.csv"), "step,lr\n0,1e-4\n100,3e-4\n200,1e-5\n");
    const r = await run(["schedule", `table:${join(dir, "t.csv")}`, "--every", "50", "--plot", join(dir, "s.svg")]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "s.svg"), "utf8")).toContain("<svg");
  });

  it("bad input: one line, exit 2, no plot written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-sched-bad-"));
    for (const spec of ["wsd:steps=1000,cooldown=0", "wsd:steps=1000,cooldown=1.01", "constant:steps=100,warmup=100", "wsd:steps=-5", "table:/nonexistent.csv"]) {
      const r = await run(["schedule", spec, "--plot", join(dir, "x.svg")]);
      expect(r.code, spec).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.out).toBe("");
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
