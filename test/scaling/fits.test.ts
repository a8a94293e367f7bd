import { describe, expect, it } from "vitest";
import {
  chinchillaFrontier,
  chinchillaLoss,
  fitApproach1,
  fitApproach2,
  fitCriticalBatch,
  fitPurePowerLaw,
  fitSaturatingPowerLaw,
  quadraticFit,
  type CurvePoint,
  type RunPoint,
} from "../../src/core/scaling/index.ts";

describe("critical batch size S(B) = S_min + E_min/B (Zhang et al. 2024, spec B.7)", () => {
  const batches = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];
  // Steps to target per batch size and the fitted (S_min, E_min, B_crit) listed in the spec.
  const cases: Array<[string, number[], number, number, number]> = [
    ["85M", [46000, 23000, 13282, 7000, 3840, 2528, 1917, 1600, 1600], 1294, 2.83e6, 2191],
    ["151M", [96000, 49000, 24000, 12000, 7128, 4350, 2940, 2400, 2300], 1752, 5.68e6, 3240],
    ["302M", [196000, 90000, 46000, 23400, 13300, 7224, 4980, 3400, 2879], 2095, 1.14e7, 5433],
    ["604M", [311000, 166000, 81000, 37440, 21320, 11400, 7199, 4700, 3800], 2460, 1.94e7, 7907],
    ["1.2B", [642000, 331000, 176000, 94000, 46500, 25000, 15360, 8900, 6500], 3897, 4.34e7, 11131],
  ];
  for (const [name, steps, sMin, eMin, bCrit] of cases) {
    it(`${name}: S_min ${sMin}, E_min ${eMin}, B_crit ${bCrit}`, () => {
      const r = fitCriticalBatch(batches, steps);
      expect(Math.round(r.sMin)).toBe(sMin);
      expect(Math.abs(r.eMin / eMin - 1)).toBeLessThan(0.005);
      expect(Math.round(r.bCrit)).toBe(bCrit);
    });
  }
});

describe("one-variable laws", () => {
  it("recovers E + A/X^α from exact data", () => {
    const xs = [1e7, 3e7, 1e8, 3e8, 1e9, 3e9, 1e10];
    const ys = xs.map((x) => 1.9 + 480 / x ** 0.34);
    const fit = fitSaturatingPowerLaw(xs, ys);
    expect(fit.law.E).toBeCloseTo(1.9, 5);
    expect(fit.law.alpha).toBeCloseTo(0.34, 5);
    expect(fit.law.A / 480).toBeCloseTo(1, 4);
  });

  it("recovers Kaplan's L(N) constants from points on the law", () => {
    const xs = [1e6, 1e7, 1e8, 1e9];
    const r = fitPurePowerLaw(xs, xs.map((n) => (8.8e13 / n) ** 0.076));
    expect(r.exponent).toBeCloseTo(0.076, 10);
    expect(r.xc / 8.8e13).toBeCloseTo(1, 8);
  });

  it("fits a parabola exactly", () => {
    const xs = [1, 2, 3, 4, 5];
    const [p0, p1, p2] = quadraticFit(xs, xs.map((x) => 3 - 2 * x + 0.5 * x * x));
    expect(p0).toBeCloseTo(3, 10);
    expect(p1).toBeCloseTo(-2, 10);
    expect(p2).toBeCloseTo(0.5, 10);
  });
});

// With α = β the IsoFLOP loss is symmetric in ln N around the optimum (cosh), so a parabola through points placed
// symmetrically about N_opt has its vertex exactly at N_opt = G·(C/6)^{1/2} (spec B.1 frontier).
describe("Approach 2 (IsoFLOP profiles)", () => {
  const law = { E: 1.8, A: 400, B: 900, alpha: 0.34, beta: 0.34 };
  const { G } = chinchillaFrontier(law);
  const points: RunPoint[] = [];
  for (const c of [1e18, 3e18, 1e19, 3e19, 1e20, 3e20]) {
    const nOpt = G * (c / 6) ** 0.5;
    for (const k of [-3, -2, -1, 0, 1, 2, 3]) {
      const n = nOpt * 2 ** (k / 2);
      points.push({ n, d: c / (6 * n), loss: chinchillaLoss(law, n, c / (6 * n)) });
    }
  }
  it("finds N_opt per budget and the exponent a = β/(α+β) = 0.5", () => {
    const fit = fitApproach2(points, { bootstrap: 50, seed: 3 });
    expect(fit.profiles).toHaveLength(6);
    for (const p of fit.profiles) expect(p.nOpt / (G * (p.flops / 6) ** 0.5)).toBeCloseTo(1, 3);
    expect(fit.a).toBeCloseTo(0.5, 4);
    expect(fit.b).toBeCloseTo(0.5, 4);
    expect(fit.intervals!.a[0]).toBeLessThanOrEqual(fit.a + 1e-9);
  });

  it("rejects data without IsoFLOP structure", () => {
    expect(() => fitApproach2(points.slice(0, 7))).toThrow("at least 2 IsoFLOP profiles");
  });
});

describe("Approach 1 (lower envelope of training curves)", () => {
  it("recovers the frontier exponent of the law that generated the curves", () => {
    // Curves L(N, D) on a law with α = 0.3, β = 0.36 (frontier a = 0.36/0.66 = 0.5455), dense in D.
    const law = { E: 1.7, A: 400, B: 1500, alpha: 0.3, beta: 0.36 };
    const pts: CurvePoint[] = [];
    for (let j = 0; j < 20; j++) {
      const n = 1e7 * 10 ** (j / 5); // 1e7 … ~6e10
      for (let i = 0; i <= 400; i++) {
        const d = 1e8 * 10 ** (i / 80); // 1e8 … 1e13
        pts.push({ run: `r${j}`, n, d, loss: chinchillaLoss(law, n, d) });
      }
    }
    const fit = fitApproach1(pts, { grid: 300 });
    // The envelope picks discrete model sizes (a staircase), so allow a small error on a.
    expect(fit.a).toBeCloseTo(0.36 / 0.66, 1);
    expect(Math.abs(fit.a - 0.36 / 0.66)).toBeLessThan(0.03);
  });
});
