// The rescaling that communication-floors.ts relies on: a TP aspect's (DP degree's) least communication time over
// its level splits, measured on one cluster size and width, rescaled to another, stays at or below the exact least
// time there (and within 1e-8 of it), on the H100 network and on one with a datacenter level.
import { describe, expect, it } from "vitest";
import { findDataMovementGpu } from "../../src/core/hardware/lookup.ts";
import { CommunicationFloors } from "../../src/core/limits/communication-floors.ts";
import { divisors } from "../../src/core/limits/divisors.ts";
import { clippedLevelSizes } from "../../src/core/limits/layout-search.ts";
import { dataParallelCost, networkArrays, tensorParallelCost, withDatacenterLevel, type CommCost, type NetworkSpec } from "../../src/core/limits/network.ts";
import { scaledModel, type ScaledModel } from "../../src/core/limits/scaling-rules.ts";

const model = (d: number) => scaledModel(d, { sparse: false, batchRule: "critical", depthScale: 1, tokensPerParam: 20, sequenceLength: 2048 });

/** Every split of `degree` over the clipped levels (the top level takes what is left), as per-level factor lists. */
function splits(levelSizes: readonly number[], degree: number): number[][] {
  let result: number[][] = [[]];
  for (const size of levelSizes) result = result.flatMap((prefix) => [...divisors(size)].map((f) => [...prefix, f]));
  return result.filter((s) => degree % s.reduce((a, b) => a * b, 1) === 0).map((s) => [...s, degree / s.reduce((a, b) => a * b, 1)]);
}

/** Least TP bandwidth and latency of aspect (a, c) over every split, by brute force. */
function leastTp(network: NetworkSpec, m: ScaledModel, n: number, a: number, c: number): CommCost {
  const net = networkArrays(network);
  const levels = clippedLevelSizes(network.levelSizes, n)!;
  const traffic = { ...m, bytesPerWord: 2, clusterSize: n };
  const out = { bandwidthS: 0, latencyS: 0 };
  const least = { bandwidthS: Infinity, latencyS: Infinity };
  for (const tpModel of splits(levels, a)) {
    for (const tpFf of splits(levels, c)) {
      // Both degrees share each level: their factors' product must fit it.
      if (tpModel.slice(0, -1).some((f, i) => levels[i]! % (f * tpFf[i]!) !== 0)) continue;
      tensorParallelCost(out, net, traffic, { tpModel, tpFf });
      least.bandwidthS = Math.min(least.bandwidthS, out.bandwidthS);
      least.latencyS = Math.min(least.latencyS, out.latencyS);
    }
  }
  return least;
}

function leastDp(network: NetworkSpec, m: ScaledModel, n: number, dp: number): CommCost {
  const net = networkArrays(network);
  const traffic = { ...m, bytesPerWord: 2, clusterSize: n };
  const out = { bandwidthS: 0, latencyS: 0 };
  const least = { bandwidthS: Infinity, latencyS: Infinity };
  for (const split of splits(clippedLevelSizes(network.levelSizes, n)!, dp)) {
    dataParallelCost(out, net, traffic, { dp: split });
    least.bandwidthS = Math.min(least.bandwidthS, out.bandwidthS);
    least.latencyS = Math.min(least.latencyS, out.latencyS);
  }
  return least;
}

const h100 = findDataMovementGpu("h100-sxm")!.network;
const networks: Array<[string, NetworkSpec]> = [
  ["H100 (8-GPU NVLink nodes)", h100],
  ["H100 + 64-GPU datacenters at 1 GB/s", withDatacenterLevel(h100, { gpus: 64, bandwidthBps: 1e9, latencyS: 1e-3 })],
];
// (width, cluster size) pairs on the same clipped levels: the floor is measured on the first, rescaled to the rest.
const places: Array<[number, number]> = [
  [12288, 2 ** 12],
  [12288, 2 ** 20],
  [65536, 2 ** 16],
  [196608, 2 ** 36],
];

describe("communication floors rescale exactly enough across cluster sizes and widths", () => {
  for (const [name, network] of networks) {
    it(`TP aspects on ${name}`, () => {
      for (const [a, c] of [[1, 1], [2, 4], [8, 8], [16, 64], [64, 128]] as const) {
        const floors = new CommunicationFloors();
        const [d0, n0] = places[0]!;
        const m0 = model(d0);
        const measured = leastTp(network, m0, n0, a, c);
        floors.recordTensorParallel(network, a, c, { ...measured, bandwidthScale: (m0.layers * m0.batchTokens * m0.dModel) / n0, latencyScale: m0.layers, ratio: 4 });
        for (const [d, n] of places.slice(1)) {
          const m = model(d);
          const exact = leastTp(network, m, n, a, c);
          expect(floors.findTensorParallel(network, a, c, 4, (m.layers * m.batchTokens * m.dModel) / n, m.layers)).toBe(true);
          expect(floors.bandwidthS).toBeLessThanOrEqual(exact.bandwidthS);
          expect(floors.bandwidthS).toBeGreaterThanOrEqual(exact.bandwidthS * (1 - 1e-8));
          expect(floors.latencyS).toBeLessThanOrEqual(exact.latencyS);
          expect(floors.latencyS).toBeGreaterThanOrEqual(exact.latencyS * (1 - 1e-8));
          expect(floors.findTensorParallel(network, a, c, 2, 1, 1)).toBe(false);
        }
      }
    });
    it(`DP degrees on ${name}`, () => {
      for (const dp of [1, 2, 16, 1024]) {
        const floors = new CommunicationFloors();
        const [d0, n0] = places[0]!;
        const m0 = model(d0);
        floors.recordDataParallel(network, dp, { ...leastDp(network, m0, n0, dp), bandwidthScale: m0.params / n0, latencyScale: 1, ratio: 0 });
        for (const [d, n] of places.slice(1)) {
          const m = model(d);
          const exact = leastDp(network, m, n, dp);
          expect(floors.findDataParallel(network, dp, m.params / n)).toBe(true);
          expect(floors.bandwidthS).toBeLessThanOrEqual(exact.bandwidthS);
          expect(floors.bandwidthS).toBeGreaterThanOrEqual(exact.bandwidthS * (1 - 1e-8));
          expect(floors.latencyS).toBe(exact.latencyS);
        }
      }
    });
  }
});
