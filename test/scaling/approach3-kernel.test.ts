import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkGradient } from "../../src/core/optimize/index.ts";
import { approach3KernelModule, approach3KernelObjective } from "../../src/core/scaling/approach3-kernel.ts";
import { approach3ObjectiveScalar, toLogData, type LogData } from "../../src/core/scaling/approach3-objective.ts";
import { seededRandom } from "../../src/core/util/random.ts";

// Chinchilla Figure-4 points (Besiroglu et al. 2024), D = C/(6N), the 240 of the published fit (spec B.2).
function chinchillaData(count = 240): LogData {
  const text = readFileSync(new URL("../fixtures/chinchilla/svg_extracted_data.csv", import.meta.url), "utf8");
  const points = text.trim().split("\n").slice(1).map((line) => {
    const c = line.split(",");
    const n = Number(c[3]);
    return { n, d: Number(c[4]) / (6 * n), loss: Number(c[6]) };
  });
  return toLogData(points.sort((p, q) => p.loss - q.loss).slice(0, count));
}

/** Kernel and scalar objective on the same data, both evaluated at x. */
function both(data: LogData, delta: number, weights?: Float64Array) {
  const scalar = approach3ObjectiveScalar(data, delta, weights);
  const kernel = approach3KernelObjective(data, delta, weights, scalar);
  if (kernel === undefined) throw new Error("WebAssembly SIMD is not available");
  return (x: number[]) => {
    const gk = new Float64Array(5);
    const gs = new Float64Array(5);
    const fk = kernel(Float64Array.from(x), gk);
    const fs = scalar(Float64Array.from(x), gs);
    return { fk, fs, gk, gs };
  };
}

/** Largest gradient difference relative to the sum of the per-point gradient magnitudes' scale (‖∇f‖ + f). */
function gradientError(gk: Float64Array, gs: Float64Array, f: number): number {
  let m = 0;
  for (let i = 0; i < 5; i++) m = Math.max(m, Math.abs(gk[i]! - gs[i]!));
  return m / (Math.hypot(...gs) + f);
}

describe("Approach-3 objective as a WebAssembly SIMD kernel", () => {
  it("compiles here (Node 20 has WebAssembly SIMD), so the fast path is the one the other tests exercise", () => {
    expect(WebAssembly.validate(approach3KernelModule())).toBe(true);
  });

  it("agrees with the scalar objective across the Chinchilla start grid's box, in both Huber zones", () => {
    const random = seededRandom(3);
    for (const delta of [1e-3, 0.1, 10]) {
      const at = both(chinchillaData(), delta);
      let worstF = 0;
      let worstG = 0;
      for (let t = 0; t < 500; t++) {
        const x = [random() * 25, random() * 25, random() * 2 - 1, random() * 2, random() * 2];
        const { fk, fs, gk, gs } = at(x);
        worstF = Math.max(worstF, Math.abs(fk / fs - 1));
        worstG = Math.max(worstG, gradientError(gk, gs, fs));
      }
      expect(worstF).toBeLessThan(1e-13);
      expect(worstG).toBeLessThan(1e-12);
    }
  });

  it("agrees at the Chinchilla optimum, where the gradient almost cancels", () => {
    const { fk, fs, gk, gs } = both(chinchillaData(), 1e-3)([Math.log(477.8), Math.log(2143.4), Math.log(1.8172), 0.3473, 0.3672]);
    expect(Math.abs(fk / fs - 1)).toBeLessThan(1e-13);
    // Far below the gradient tolerance the final polish stops at (1e-11).
    for (let i = 0; i < 5; i++) expect(Math.abs(gk[i]! - gs[i]!)).toBeLessThan(1e-14);
  });

  it("honours weights read at call time (bootstrap multiplicities, zeros included) and an odd number of points", () => {
    const data = chinchillaData(239);
    const weights = new Float64Array(239);
    const at = both(data, 1e-3, weights);
    const random = seededRandom(5);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < weights.length; i++) weights[i] = Math.floor(random() * 3);
      const { fk, fs, gk, gs } = at([6.2, 7.5, 0.6, 0.35, 0.37]);
      expect(Math.abs(fk / fs - 1)).toBeLessThan(1e-13);
      expect(gradientError(gk, gs, fs)).toBeLessThan(1e-12);
    }
  });

  it("has an analytic gradient matching central differences", () => {
    const scalar = approach3ObjectiveScalar(chinchillaData(40), 1e-3);
    const kernel = approach3KernelObjective(chinchillaData(40), 1e-3, undefined, scalar)!;
    for (const x of [[6, 7.6, 0.6, 0.35, 0.37], [2, 12, -0.5, 0.1, 0.9], [20, 3, 1, 1.5, 0.2]]) {
      expect(checkGradient(kernel, x, 1e-6, 1e-10).maxRelError).toBeLessThan(1e-5);
    }
  });

  it("hands arguments outside its range to the scalar objective (same value, finite), and returns NaN for NaN", () => {
    const at = both(chinchillaData(), 1e-3);
    for (const x of [[800, 7, 0.5, 0.3, 0.3], [6, 7, 750, 0.3, 0.3], [6, 7, -750, 0.3, 0.3], [6, 7, 0.5, -40, 0.3]]) {
      const { fk, fs, gk, gs } = at(x);
      expect(Number.isFinite(fk)).toBe(true);
      expect(fk).toBe(fs);
      expect(Array.from(gk)).toEqual(Array.from(gs));
    }
    expect(at([Number.NaN, 7, 0.5, 0.3, 0.3]).fk).toBeNaN();
  });
});
