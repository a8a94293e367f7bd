// dilocoReport (what `scaleplan diloco` and the web app show) against the core's parts and docs/diloco.md's example.
import { describe, expect, it } from "vitest";
import { dataParallelStep, dilocoStep } from "../../src/core/diloco/communication.ts";
import { dilocoComputeEquivalence, dilocoLoss } from "../../src/core/diloco/loss-law.ts";
import { dilocoReport, dilocoSetup, GBIT, type DilocoInputs } from "../../src/core/diloco/report.ts";

// docs/diloco.md: 10B parameters, M = 2, H = 100, 1024 nodes, 10 Gbit/s and 10 ms between sites.
const inputs: DilocoInputs = { params: 10e9, replicas: 2, syncEvery: 100, nodes: 1024, batchTokens: 4 * 2 ** 20, nodeFlops: 300e12, bandwidthGbps: 10, latencyS: 0.01, withinBandwidthGbps: 400, withinLatencyS: 1e-4, outerBits: 16, fragments: 1, overlap: false };

describe("dilocoReport", () => {
  it("is the core's step times and loss law for the setup", () => {
    const r = dilocoReport(inputs);
    const setup = dilocoSetup(inputs);
    expect(setup.across.bandwidthBps).toBe(10 * GBIT);
    expect(r.dataParallel).toEqual(dataParallelStep(setup));
    expect(r.diloco.stepS).toBe(dilocoStep(setup).stepS);
    expect(r.loss.diloco).toBe(dilocoLoss(10e9, 2).loss);
    expect(r.loss.computeEquivalence).toBe(dilocoComputeEquivalence(10e9, 2));
    // docs/diloco.md: the 10B, M = 2 loss is already lower (equivalence 1.05×), so DiLoCo wins at any cluster size
    // until the inter-site link is about as fast as the intra-site one (≈ 440 Gbit/s).
    expect(r.loss.computeEquivalence).toBeCloseTo(1.047, 3);
    expect(r.crossover.nodes).toBe(0);
    expect(r.crossover.bandwidthGbps).toBeGreaterThan(400);
    expect(r.crossover.bandwidthGbps).toBeLessThan(480);
    expect(r.bandwidthForUtilization.rows.map((x) => x.method)).toEqual(["data parallel", "DiLoCo H=1", "DiLoCo H=10", "DiLoCo H=50", "DiLoCo H=100", "DiLoCo H=300"]);
  });
});
