// DiLoCo (issue 14): the communication model and loss laws of Charles et al. 2025 (arXiv 2503.09799) against its
// tables, the crossover, and what `limits --diloco` does to the multi-datacenter curve.
import { describe, expect, it } from "vitest";
import { allReduceSeconds, bandwidthForUtilization, dataParallelStep, dilocoStep, dilocoSyncDivisor, outerFragmentBytes, outerSyncSeconds, type DilocoSetup } from "../../src/core/diloco/communication.ts";
import { dilocoAdvantage, dilocoCrossover } from "../../src/core/diloco/crossover.ts";
import { dataParallelLoss, dilocoComputeEquivalence, dilocoLoss, lossCrossoverParams } from "../../src/core/diloco/loss-law.ts";
import { dataParallelCost, networkArrays, withDatacenterLevel } from "../../src/core/limits/network.ts";
import { runCli } from "../../src/cli/program.ts";
import { memoryIO } from "../../src/cli/io.ts";

const GBIT = 1e9 / 8;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** 10B Chinchilla model, step 0.8 s (their Table 6 row), 1024 nodes in 2 sites. */
const setup: DilocoSetup = {
  params: 10e9,
  bytesPerParam: 2,
  nodes: 1024,
  replicas: 2,
  syncEvery: 100,
  computeStepS: 0.8,
  within: { bandwidthBps: 400 * GBIT, latencyS: 1e-4 },
  across: { bandwidthBps: 10 * GBIT, latencyS: 1e-2 },
};

describe("Charles et al. 2025 loss laws", () => {
  it("Table 7 fits reproduce the measured losses of Table 4 at 2.4B within 1 %", () => {
    // Table 4, N = 2.4B: DP 2.326, M=1 2.317, M=2 2.323, M=4 2.332, M=8 2.351.
    expect(rel(dataParallelLoss(2.4e9), 2.326)).toBeLessThan(0.01);
    for (const [m, loss] of [[1, 2.317], [2, 2.323], [4, 2.332], [8, 2.351]] as const) expect(rel(dilocoLoss(2.4e9, m).loss, loss)).toBeLessThan(0.01);
  });

  it("extrapolate to the 4B and 10B runs of Table 5 'within a few percent' (pure power laws: 1 % low at 4B, 3–4 % low at 10B)", () => {
    // Table 5: DP 2.224 / 2.090; M=1 2.219 / 2.086; M=2 2.220 / 2.086; M=4 2.230 / 2.096.
    expect(rel(dataParallelLoss(4e9), 2.224)).toBeLessThan(0.015);
    expect(rel(dataParallelLoss(10e9), 2.09)).toBeLessThan(0.04);
    expect(dataParallelLoss(10e9)).toBeLessThan(2.09);
    expect(rel(dilocoLoss(10e9, 2).loss, 2.086)).toBeLessThan(0.04);
    expect(rel(dilocoLoss(10e9, 4).loss, 2.096)).toBeLessThan(0.04);
  });

  it("Finding 1: M = 2 overtakes data parallelism between 1.3B (measured +0.2 %) and 4B (−0.18 %); M = 1 almost everywhere; M = 8 needs ~10B", () => {
    const m2 = lossCrossoverParams(2)!;
    expect(m2).toBeGreaterThan(1.3e9);
    expect(m2).toBeLessThan(4e9);
    expect(lossCrossoverParams(1)!).toBeLessThan(35e6);
    expect(lossCrossoverParams(8)!).toBeGreaterThan(5e9);
    expect(dilocoComputeEquivalence(10e9, 2)).toBeGreaterThan(1);
    expect(dilocoComputeEquivalence(35e6, 8)).toBeLessThan(1);
  });

  it("M outside Table 7 uses the joint Table 10 law", () => {
    expect(dilocoLoss(1e9, 16).source).toMatch(/Table 10/);
    expect(dilocoLoss(1e9, 16).loss).toBeCloseTo(19.226 * 1e9 ** -0.0985 * 16 ** 0.0116, 10);
  });
});

describe("communication model (Charles et al. App. A.2)", () => {
  it("all-reduce lower bound 2N(1 − 1/R)/W + ε", () => {
    expect(allReduceSeconds(20e9, 1024, { bandwidthBps: 10 * GBIT, latencyS: 0.01 })).toBeCloseTo((2 * 20e9 * (1 - 1 / 1024)) / (10 * GBIT) + 0.01, 9);
    expect(allReduceSeconds(20e9, 1, { bandwidthBps: 1, latencyS: 1 })).toBe(0);
  });

  it("'as long as H ≥ W0/W1 the outer steps are at most half of the communication' (App. A.2)", () => {
    const s = { ...setup, nodes: 1e6, syncEvery: 40, within: { bandwidthBps: 400 * GBIT, latencyS: 0 }, across: { bandwidthBps: 10 * GBIT, latencyS: 0 } };
    const d = dilocoStep(s);
    const outerShare = outerSyncSeconds(s) / s.syncEvery / d.commS;
    expect(outerShare).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(outerShare).toBeGreaterThan(0.49);
  });

  it("bandwidth for a compute utilization: DiLoCo H needs ~1/H of data parallelism's; vs their Table 6 (simulator) the ratio agrees within 1.5×, absolute values are 2.5–4× higher (no overlap here)", () => {
    const dp50 = bandwidthForUtilization(setup, "data-parallel", 0.5);
    const h100 = bandwidthForUtilization(setup, "diloco", 0.5, { crossSiteOnly: true });
    expect(dp50 / h100).toBeGreaterThan(75 / 1.5);
    expect(dp50 / h100).toBeLessThan(75 * 1.5);
    // Their Table 6, 10B, 50 %: DP 104.8, H = 100 1.4 Gbit/s.
    expect(dp50 / GBIT / 104.8).toBeGreaterThan(2.5);
    expect(dp50 / GBIT / 104.8).toBeLessThan(4.5);
    const check = dataParallelStep({ ...setup, across: { ...setup.across, bandwidthBps: dp50 } });
    expect(check.utilization).toBeCloseTo(0.5, 9);
  });

  it("quantised outer gradients and streaming fragments: 4-bit outer gradients cut the outer traffic 4×; fragments cut the peak, not the total", () => {
    const q = { ...setup, outerBits: 4 };
    expect(outerFragmentBytes(q)).toBeCloseTo(outerFragmentBytes(setup) / 4, 0);
    expect(outerFragmentBytes({ ...setup, fragments: 8 })).toBeCloseTo(outerFragmentBytes(setup) / 8, 0);
    expect(dilocoStep({ ...setup, fragments: 8 }).stepS).toBe(dilocoStep(setup).stepS);
    expect(dilocoStep(q).stepS).toBeLessThan(dilocoStep(setup).stepS);
    expect(dilocoStep({ ...setup, overlap: true }).stepS).toBeLessThanOrEqual(dilocoStep(setup).stepS);
  });

  it("crossover: at 10B DiLoCo M=2 (lower loss) wins until the inter-site link is as fast as the intra-site one; at 350M with 8 replicas only below a bandwidth and above a cluster size", () => {
    const big = dilocoCrossover(setup, 6 * 10e9 * 4 * 2 ** 20, 300e12);
    expect(big.bandwidthBps / setup.within.bandwidthBps).toBeGreaterThan(0.5);
    expect(big.bandwidthBps / setup.within.bandwidthBps).toBeLessThan(2);
    const small: DilocoSetup = { ...setup, params: 350e6, replicas: 8, syncEvery: 30, computeStepS: (6 * 350e6 * 4 * 2 ** 20) / (1024 * 300e12) };
    const c = dilocoCrossover(small, 6 * 350e6 * 4 * 2 ** 20, 300e12);
    expect(Number.isFinite(c.bandwidthBps) && c.bandwidthBps > 0).toBe(true);
    expect(dilocoAdvantage({ ...small, across: { ...small.across, bandwidthBps: c.bandwidthBps * 0.5 } })).toBeGreaterThan(1);
    expect(dilocoAdvantage({ ...small, across: { ...small.across, bandwidthBps: c.bandwidthBps * 2 } })).toBeLessThan(1);
    expect(c.nodes).toBeGreaterThan(8);
  });
});

describe("limits --diloco (the datacenter level's DP traffic every H steps)", () => {
  it("divides the datacenter level's DP bandwidth and latency terms by H·16/b, leaving lower levels alone", () => {
    const base = { levelSizes: [8], bandwidthsBps: [450e9, 50e9], latenciesS: [1e-6, 5e-6] };
    const plain = networkArrays(withDatacenterLevel(base, { gpus: 1024, bandwidthBps: 1e9, latencyS: 1e-3 }));
    const diloco = networkArrays(withDatacenterLevel(base, { gpus: 1024, bandwidthBps: 1e9, latencyS: 1e-3, dpSyncEvery: dilocoSyncDivisor({ syncEvery: 100, outerBits: 4 }, 16) }));
    const a = { bandwidthS: 0, latencyS: 0 };
    const b = { bandwidthS: 0, latencyS: 0 };
    const dp = [8, 4, 32]; // 32 datacenters: their level dominates the DP bandwidth time
    const traffic = { bytesPerWord: 2, clusterSize: 1024, dModel: 4096, dFf: 16384, layers: 48, params: 1e10, batchTokens: 4e6 };
    dataParallelCost(a, plain, traffic, { dp });
    dataParallelCost(b, diloco, traffic, { dp });
    expect(dilocoSyncDivisor({ syncEvery: 100, outerBits: 4 }, 16)).toBe(400);
    expect(b.latencyS).toBeCloseTo(a.latencyS - 2e-3 + 2e-3 / 400, 12);
    expect(b.bandwidthS).toBeLessThan(a.bandwidthS / 10);
  });

  it("restores the single-site maximum compute at the utilization floor on 32k-GPU datacenters at 1 GB/s", async () => {
    const io = memoryIO();
    expect(await runCli(["limits", "--datacenter-size", "32768", "--diloco", "100", "--json"], io)).toBe(0);
    const withDiloco = JSON.parse(io.out);
    const plain = memoryIO();
    expect(await runCli(["limits", "--datacenter-size", "32768", "--json"], plain)).toBe(0);
    const dc = JSON.parse(plain.out);
    expect(withDiloco.maxFeasibleFlopAtFloor).toBeGreaterThan(dc.maxFeasibleFlopAtFloor);
    expect(withDiloco.linearScalingEnd).toBeGreaterThan(dc.linearScalingEnd);
    // The latency wall (largest feasible run) is set by TP/PP hops and does not move.
    expect(withDiloco.lastFeasibleFlop).toBe(dc.lastFeasibleFlop);
  }, 60_000);

  it("--diloco without --datacenter-size is one line, exit 2", async () => {
    const io = memoryIO();
    expect(await runCli(["limits", "--diloco", "100"], io)).toBe(2);
    expect(io.err.trim().split("\n")).toHaveLength(1);
  });
});

describe("scaleplan diloco", () => {
  it("prints step times, the bandwidth table, the loss cost and the crossover (JSON)", async () => {
    const io = memoryIO();
    expect(await runCli(["diloco", "--params", "10e9", "--sync-every", "100", "--json"], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.diloco.utilization).toBeGreaterThan(doc.dataParallel.utilization);
    expect(doc.loss.diloco).toBeLessThan(doc.loss.dataParallel);
    expect(doc.crossover.bandwidthGbps).toBeGreaterThan(200); // about the intra-site 400 Gbit/s
    expect(doc.bandwidthForUtilization.rows[0].method).toBe("data parallel");
  });

  it("rejects a GPU count that does not split over the replicas", async () => {
    const io = memoryIO();
    expect(await runCli(["diloco", "--params", "1e9", "--replicas", "3", "--gpus", "1024"], io)).toBe(2);
    expect(io.err).toMatch(/^scaleplan: --gpus: 1024 is not allowed; expected a multiple of --replicas \(3\)/);
  });
});
