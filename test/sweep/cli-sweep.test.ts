import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.ts";
import { memoryIO } from "../../src/cli/io.ts";

async function run(args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

describe("scaleplan sweep", () => {
  it("--preset hagele2024 --json gives the A.1 ratios", async () => {
    const r = await run(["sweep", "--preset", "hagele2024", "--json"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan.sizes.map((s: { costRatio: number }) => Number(s.costRatio.toFixed(3)))).toEqual([0.6, 0.6, 0.573, 0.581, 0.573, 0.556, 0.556, 0.533, 0.556]);
  });

  it("warns on stderr about un-annealed checkpoints and prints GPU-hours", async () => {
    const r = await run(["sweep", "--models", "1B,d2048:l24:h16", "--tokens-per-param", "10,15,20,25", "--cooldown", "0.1", "--gpu", "h100-sxm", "--fit-on-checkpoints"]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: fitting scaling laws on un-annealed checkpoints/);
    expect(r.out).toMatch(/ratio 0\.4214/);
    expect(r.out).toMatch(/GPU-hours/);
  });

  it("bad input: one line, exit 2", async () => {
    for (const args of [["sweep", "--models", "1B", "--tokens", "1e10", "--cooldown", "0"], ["sweep", "--models", "1B", "--tokens", "1e10", "--cooldown", "1.2"], ["sweep", "--models", "huge", "--tokens", "1e10"], ["sweep", "--preset", "x"], ["sweep", "--models", "1B", "--tokens", "1e10", "--gpu", "tpu"]]) {
      const r = await run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.out).toBe("");
    }
  });
});
