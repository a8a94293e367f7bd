import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkGradient } from "../../src/core/optimize/index.ts";
import {
  approach3Objective,
  CHINCHILLA_GRID,
  chinchillaLoss,
  fitApproach3,
  predictWithInterval,
  toLogData,
  type RunPoint,
} from "../../src/core/scaling/index.ts";
import { seededRandom } from "../../src/core/util/random.ts";

// Chinchilla Figure-4 points (Besiroglu et al. 2024), D = C/(6N); their fit drops the 5 highest losses (spec B.2).
function chinchillaPoints(): RunPoint[] {
  const text = readFileSync(new URL("../fixtures/chinchilla/svg_extracted_data.csv", import.meta.url), "utf8");
  const rows = text.trim().split("\n").slice(1).map((line) => line.split(","));
  const points = rows.map((c) => {
    const n = Number(c[3]);
    return { n, d: Number(c[4]) / (6 * n), loss: Number(c[6]) };
  });
  return points.sort((p, q) => p.loss - q.loss).slice(0, 240);
}

describe("Approach 3 objective", () => {
  it("has an analytic gradient matching central differences (quadratic and linear Huber zones)", () => {
    const data = toLogData(chinchillaPoints().slice(0, 40));
    for (const delta of [1e-3, 10]) {
      const fg = approach3Objective(data, delta);
      for (const x of [[6, 7.6, 0.6, 0.35, 0.37], [2, 12, -0.5, 0.1, 0.9], [20, 3, 1, 1.5, 0.2]]) {
        expect(checkGradient(fg, x, 1e-6, 1e-10).maxRelError).toBeLessThan(1e-5);
      }
    }
  });
});

describe("Approach 3 on the Chinchilla data (Besiroglu et al. 2024, spec B.2)", () => {
  const points = chinchillaPoints();
  const fit = fitApproach3(points, { bootstrap: 200, seed: 11 });

  it("uses 240 points and lands on the published optimum", () => {
    expect(fit.points).toBe(240);
    // Published point estimate E 1.8172, α 0.3478, β 0.3658 (BFGS) and the L-BFGS-B grid variant
    // E 1.8172, A 477.8, B 2143.9, α 0.3473, β 0.3672 (spec B.2).
    expect(fit.law.E).toBeCloseTo(1.8172, 3);
    expect(fit.law.alpha).toBeCloseTo(0.3473, 3);
    expect(fit.law.beta).toBeCloseTo(0.3672, 3);
    expect(fit.law.A / 477.8 - 1).toBeLessThan(0.01);
    expect(Math.abs(fit.law.B / 2143.9 - 1)).toBeLessThan(0.01);
    expect(fit.frontier.a).toBeCloseTo(0.513, 2);
  });

  it("has the published values inside its bootstrap intervals, and predicts like the published fit", () => {
    const iv = fit.intervals!;
    const inside = (v: number, [lo, hi]: [number, number]) => expect(v >= lo && v <= hi).toBe(true);
    inside(1.8169, iv.E);
    inside(0.3478, iv.alpha);
    inside(0.3659, iv.beta);
    inside(482.01, iv.A);
    inside(2085.43, iv.B);
    inside(0.513, iv.a);
    // Interval widths of the same order as the published 95% CIs (E 1.769–1.871, α 0.317–0.373).
    expect(iv.E[1] - iv.E[0]).toBeGreaterThan(0.05);
    expect(iv.E[1] - iv.E[0]).toBeLessThan(0.2);
    const published = { E: 1.8169, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3659 };
    for (const [n, d] of [[70e9, 1.4e12], [1e9, 20e9], [1e8, 2e9]] as const) {
      const p = predictWithInterval(fit, n, d);
      expect(Math.abs(p.loss - chinchillaLoss(published, n, d))).toBeLessThan(0.005);
      expect(p.interval![0]).toBeLessThan(p.loss);
      expect(p.interval![1]).toBeGreaterThan(p.loss);
    }
  });

  it("the default 243-start grid reaches the same optimum as Chinchilla's full 4,500-start grid", () => {
    // The one heavy reproduction in the suite (a few seconds): timed in bench/scaling.bench.ts.
    const full = fitApproach3(points, { grid: CHINCHILLA_GRID });
    expect(full.optimizer.starts).toBe(4500);
    expect(full.objective).toBeCloseTo(fit.objective, 12);
    expect(full.law.alpha).toBeCloseTo(fit.law.alpha, 6);
    expect(full.law.beta).toBeCloseTo(fit.law.beta, 6);
    // Hoffmann et al. (App. D.2): the best start was not on the boundary of the grid.
    expect(full.optimizer.bestStartOnBoundary).toBe(false);
  }, 30_000);

  it("is reproducible from its seed", () => {
    const again = fitApproach3(points, { bootstrap: 20, seed: 5 });
    const same = fitApproach3(points, { bootstrap: 20, seed: 5 });
    expect(again.intervals).toEqual(same.intervals);
  });
});

describe("Approach 3 recovers a known law from synthetic runs", () => {
  it("recovers E, A, B, α, β from noiseless data", () => {
    const truth = { E: 1.7, A: 400, B: 1500, alpha: 0.33, beta: 0.31 };
    const rand = seededRandom(3);
    const pts: RunPoint[] = [];
    for (let i = 0; i < 60; i++) {
      const n = 10 ** (7 + 3 * rand());
      const d = 10 ** (9 + 3 * rand());
      pts.push({ n, d, loss: chinchillaLoss(truth, n, d) });
    }
    const fit = fitApproach3(pts);
    expect(fit.law.E).toBeCloseTo(truth.E, 4);
    expect(fit.law.alpha).toBeCloseTo(truth.alpha, 4);
    expect(fit.law.beta).toBeCloseTo(truth.beta, 4);
    expect(fit.law.A / truth.A).toBeCloseTo(1, 3);
    expect(fit.law.B / truth.B).toBeCloseTo(1, 3);
  });

  it("rejects too few points and a single model size", () => {
    expect(() => fitApproach3([{ n: 1e8, d: 1e9, loss: 3 }])).toThrow("too few");
    const oneN = Array.from({ length: 10 }, (_, i) => ({ n: 1e8, d: 1e9 * (i + 1), loss: 3 - 0.01 * i }));
    expect(() => fitApproach3(oneN)).toThrow("same N");
    expect(() => fitApproach3([...oneN.slice(0, 6), { n: 2e8, d: 1e9, loss: -1 }])).toThrow("points[6].loss");
  });
});

describe("Approach 3 point estimate before the bootstrap (onPointEstimate)", () => {
  it("hands over the fit without bootstrap once, then bootstraps from it: the same results as two separate fits", () => {
    const points = chinchillaPoints();
    const estimates: unknown[] = [];
    const withBootstrap = fitApproach3(points, { bootstrap: 30, seed: 5, onPointEstimate: (fit) => estimates.push(fit) });
    expect(estimates).toEqual([fitApproach3(points, { bootstrap: 0, seed: 5 })]);
    expect(withBootstrap).toEqual(fitApproach3(points, { bootstrap: 30, seed: 5 }));
    // Without a bootstrap the result is the point estimate itself: nothing is handed over first.
    let called = false;
    fitApproach3(points, { bootstrap: 0, onPointEstimate: () => (called = true) });
    expect(called).toBe(false);
  });
});
