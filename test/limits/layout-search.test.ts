// The pruned search against a plain exhaustive search written from the spec (§2.9) and the reference's
// replacement rule, with no bounds at all: same time, same layout, on several networks and model types.
import { describe, expect, it } from "vitest";
import { divisors, gcd, isqrt } from "../../src/core/limits/divisors.ts";
import { findDataMovementGpu, type DataMovementGpu } from "../../src/core/hardware/index.ts";
import { deriveGpu } from "../../src/core/limits/gpus.ts";
import { withDatacenterLevel } from "../../src/core/limits/network.ts";
import { clippedLevelSizes, createLayoutSearch, SECONDS_PER_YEAR, type NetworkLayoutSearchOptions } from "../../src/core/limits/layout-search.ts";
import { scaledModel, type ScaledModel } from "../../src/core/limits/scaling-rules.ts";
import { evaluateNetworkLayout, fitsInMemory, type NetworkLayout } from "../../src/core/limits/step-time.ts";

const options: NetworkLayoutSearchOptions = { overlap: { tp: true, pp: true, dp: false }, zeroBubbleLatency: "reference", considerZeroBubble: true };

function factorizations(n: number, count: number): number[][] {
  if (count === 0) return n === 1 ? [[]] : [];
  return [...divisors(n)].flatMap((d) => factorizations(n / d, count - 1).map((rest) => [d, ...rest]));
}

/** Exhaustive search in the reference's order; returns the winner's layout and time. */
function bruteForce(spec: DataMovementGpu, model: ScaledModel, n: number): { layout: NetworkLayout; trainingS: number } | null {
  const gpu = deriveGpu(spec);
  const { dModel, dFf, layers, experts, batchTokens, params } = model;
  const clipped = clippedLevelSizes(spec.network.levelSizes, n);
  if (!clipped) return null;
  const perLevel = clipped.map((s) => factorizations(s, 5));
  let combos: number[][][] = [[]];
  for (const opts of perLevel) combos = combos.flatMap((prefix) => opts.map((f) => [...prefix, f]));
  const nEp = gcd(n, experts);
  let best: { layout: NetworkLayout; trainingS: number; comm: number } | null = null;
  for (const nTp of divisors(gcd(n / nEp, dModel * dFf))) {
    for (const nDp of divisors(gcd(n / nEp / nTp, batchTokens))) {
      const nPp = n / nEp / nTp / nDp;
      if (layers % nPp !== 0) continue;
      const root = isqrt(nTp);
      for (const nTpFf of divisors(nTp)) {
        if (nTpFf < root || nTpFf > 4 * root) continue;
        const nTpModel = nTp / nTpFf;
        if (dModel % nTpModel !== 0 || dFf % nTpFf !== 0) continue;
        for (const zb of [false, true]) {
          const perReplica = Math.floor(batchTokens / (experts * nDp));
          const ms = perReplica < 1 ? [] : [...divisors(perReplica)].filter((m) => m >= (zb ? 2 * nPp : nPp)).slice(0, zb ? 1 : 4);
          for (const m of ms) {
            if (!fitsInMemory(gpu, params, nDp, n)) continue;
            const degrees = [nDp, nTpModel, nTpFf, nPp, nEp];
            for (const combo of combos) {
              const lower = degrees.map((_, i) => combo.reduce((p, f) => p * f[i]!, 1));
              if (degrees.some((deg, i) => deg % lower[i]! !== 0)) continue;
              const splits = degrees.map((deg, i) => [...combo.map((f) => f[i]!), deg / lower[i]!]);
              const layout: NetworkLayout = {
                dp: splits[0]!, tpModel: splits[1]!, tpFf: splits[2]!, pp: splits[3]!, ep: splits[4]!,
                microbatches: m, interleave: !zb && nPp > 1 ? layers / nPp : 1, schedule: zb ? "zero-bubble" : "1f1b",
              };
              const r = evaluateNetworkLayout(gpu, model, layout);
              const s = r.steps;
              if (best === null || r.trainingS < best.trainingS) {
                best = { layout, trainingS: r.trainingS, comm: r.tpBandwidthS * s + r.ppEpBandwidthS * s + r.dpBandwidthS * s };
              } else if (r.trainingS === best.trainingS && r.tpBandwidthS * s + r.dpBandwidthS * s + r.ppEpBandwidthS * s < best.comm) {
                best = { layout, trainingS: r.trainingS, comm: r.tpBandwidthS * s + r.ppEpBandwidthS * s + r.dpBandwidthS * s };
              }
            }
          }
        }
      }
    }
  }
  return best;
}

const h100 = findDataMovementGpu("h100-sxm")!;
const cases: Array<[string, DataMovementGpu, boolean, number, number]> = [
  ["H100, dense", h100, false, 12288, 2048],
  ["H100, dense, 4× the needed cluster", h100, false, 12288, 8192],
  ["H100, sparse", h100, true, 12288, 8 * 256],
  ["H100 Superpod (three levels, small pods)", { ...h100, network: { levelSizes: [4, 4], bandwidthsBps: [9e11, 4.5e11, 1e11], latenciesS: [1.125e-6, 1.125e-6, 1.125e-6] } }, false, 12288, 1024],
  ["H100 + 64-GPU datacenters", { ...h100, network: withDatacenterLevel(h100.network, { gpus: 64, bandwidthBps: 1e9, latencyS: 1e-3 }) }, false, 12288, 1024],
  ["H100 Global NVLink, low latency", findDataMovementGpu("h100-sxm-global-nvlink-low-latency")!, false, 16384, 4096],
  ["V100 (no DSMEM), dense", findDataMovementGpu("v100-sxm")!, false, 12288, 4096],
];

describe("layout search = plain exhaustive search (same winner, same time)", () => {
  for (const [name, spec, sparse, d, n] of cases) {
    it(`${name}, d_model ${d}, ${n} GPUs`, () => {
      const model = scaledModel(d, { sparse, batchRule: "critical", depthScale: 1, tokensPerParam: 20, sequenceLength: 2048 });
      const expected = bruteForce(spec, model, n);
      const got = createLayoutSearch(deriveGpu(spec), model, options).best(n);
      expect(expected).not.toBeNull();
      expect(got).not.toBeNull();
      expect(got!.trainingS).toBe(expected!.trainingS);
      expect(got!.layout).toEqual(expected!.layout);
    });
  }
});

describe("layout search with a deadline = the exhaustive search's time against it", () => {
  // The bounds prune on the deadline too: just above the optimum's time the winner is found, at it nothing is
  // (the reference's test is training years < deadline, strictly).
  for (const [name, spec, sparse, d, n] of cases.slice(0, 3)) {
    it(`${name}, d_model ${d}, ${n} GPUs`, () => {
      const model = scaledModel(d, { sparse, batchRule: "critical", depthScale: 1, tokensPerParam: 20, sequenceLength: 2048 });
      const expected = bruteForce(spec, model, n)!;
      const years = expected.trainingS / SECONDS_PER_YEAR;
      const within = createLayoutSearch(deriveGpu(spec), model, options).best(n, years * (1 + 1e-12));
      expect(within?.trainingS).toBe(expected.trainingS);
      expect(within?.layout).toEqual(expected.layout);
      expect(createLayoutSearch(deriveGpu(spec), model, options).best(n, years)).toBeNull();
    });
  }
});
