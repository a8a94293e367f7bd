// The catalogue end to end through the CLI, in process: `limits` analyses the GPUs added to the data-movement
// model, and every --gpu lookup knows only its own keys (one line, exit 2).
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";

async function run(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

interface LimitsJson {
  gpu: string;
  gpuName: string;
  points: Array<{ utilization: number; gpus: number }>;
  linearScalingEnd: number | null;
  lastFeasibleFlop: number;
  firstInfeasibleDModel: number | null;
  utilizationCeiling: number;
}

async function limits(gpu: string): Promise<LimitsJson> {
  const r = await run("limits", "--gpu", gpu, "--json");
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as LimitsJson;
}

describe("scaleplan limits on the GPUs added to the data-movement model", () => {
  it("--gpu b200 runs and, against the H100, hits the same latency wall but leaves linear scaling 100× earlier", async () => {
    const [h100, b200] = [await limits("h100-sxm"), await limits("b200")];
    expect([b200.gpu, b200.gpuName]).toEqual(["b200", "B200 (HGX)"]);
    // Same MFU ceiling (the H100's long-run matmul utilization is kept for Blackwell) and every point below it.
    expect(b200.utilizationCeiling).toBeCloseTo(0.7, 12);
    for (const p of b200.points) expect(p.utilization).toBeLessThanOrEqual(0.7);
    // The latency wall is set by the fixed kernel (4.5 µs) and per-hop network (1.125 µs) latencies, which the
    // B200 shares with the H100, and by the serial steps each model needs: a faster GPU does not move it.
    expect(b200.lastFeasibleFlop).toBe(h100.lastFeasibleFlop);
    expect(b200.firstInfeasibleDModel).toBe(h100.firstInfeasibleDModel);
    // Linear scaling ends much earlier: the B200 finishes each matmul's arithmetic 2.3× sooner while those
    // latencies stay, and its shared memory (the same 32 banks × 4 B per SM per clock) feeds twice Hopper's
    // tensor rate, so utilization falls under 0.8 × ceiling at a far smaller scale (2e26 vs 2e28 FLOP).
    expect(b200.linearScalingEnd!).toBeLessThan(h100.linearScalingEnd! / 50);
    expect(b200.linearScalingEnd!).toBeGreaterThan(1e25);
    // Its smallest model still runs at well over half of peak, and on fewer GPUs than the H100 needs.
    expect(b200.points[0]!.utilization).toBeGreaterThan(0.55);
    expect(b200.points[0]!.gpus).toBeLessThan(h100.points[0]!.gpus);
  });

  it("--gpu gb200: a 64-GPU NVLink domain keeps linear scaling going longer than the 8-GPU HGX B200", async () => {
    const [b200, gb200] = [await limits("b200"), await limits("gb200")];
    expect(gb200.gpu).toBe("gb200");
    expect(gb200.linearScalingEnd!).toBeGreaterThan(10 * b200.linearScalingEnd!);
    expect(gb200.lastFeasibleFlop).toBe(b200.lastFeasibleFlop);
  });

  it("--gpu h200-sxm: the H100's silicon with faster HBM, which the big matmuls of the grid do not need", async () => {
    const [h100, h200] = [await limits("h100-sxm"), await limits("h200-sxm")];
    expect(h200.gpuName).toBe("H200 SXM");
    expect(h200.points.map((p) => p.utilization)).toEqual(h100.points.map((p) => p.utilization));
  });

  it("--gpu mi300x: its ceiling is its measured 45 % of peak, and it scales linearly to a larger compute than the H100", async () => {
    const [h100, mi] = [await limits("h100-sxm"), await limits("mi300x")];
    expect(mi.utilizationCeiling).toBeCloseTo(0.45, 12);
    expect(mi.points[0]!.utilization).toBeGreaterThan(0.44);
    // Less of its peak is sustained, so each step is longer and the same latencies weigh less.
    expect(mi.linearScalingEnd!).toBeGreaterThan(h100.linearScalingEnd!);
  });

  it("aliases of the reference still work and report the canonical id", async () => {
    expect((await limits("a100-sxm")).gpu).toBe("a100-sxm-40gb");
  });
});

describe("GPU lookups are own-key only, with a one-line error", () => {
  const cases: Array<string[]> = [
    ["sweep", "--preset", "hagele2024", "--gpu", "constructor"],
    ["sweep", "--preset", "hagele2024", "--gpu", "toString"],
    ["limits", "--gpu", "constructor"],
    ["limits", "--compare", "h100-sxm,__proto__"],
    ["optimal", "--gpus", "1024", "--days", "30", "--gpu", "hasOwnProperty"],
  ];
  for (const args of cases) {
    it(args.join(" "), async () => {
      const r = await run(...args);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      const lines = r.err.split("\n").filter((l) => l !== "");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^scaleplan: --(gpu|compare): ".*" is not allowed; expected one of /);
    });
  }

  it("sweep --gpu takes any catalogue GPU or alias: GPU-hours from its dense BF16 peak", async () => {
    const a = await run("sweep", "--preset", "hagele2024", "--gpu", "a100", "--json");
    const b = await run("sweep", "--preset", "hagele2024", "--gpu", "a100-sxm-40gb", "--json");
    const c = await run("sweep", "--preset", "hagele2024", "--gpu", "b200", "--json");
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const hours = (out: string) => (JSON.parse(out) as { gpuHours: { reuse: number } }).gpuHours.reuse;
    expect(hours(a.out) / hours(c.out)).toBeCloseTo(2250 / 312, 6);
  });
});
