import { describe, expect, it } from "vitest";
import {
  brentMinimize,
  brentRoot,
  checkGradient,
  finiteDifferenceGradient,
  minimizeLbfgs,
  minimizeNelderMead,
  type ObjectiveWithGradient,
} from "../../src/core/optimize/index.ts";
import { seededRandom } from "../../src/core/util/random.ts";

// Extended Rosenbrock: Σ 100(x_{2i} − x_{2i−1}²)² + (1 − x_{2i−1})², minimum 0 at (1, …, 1).
const rosenbrock: ObjectiveWithGradient = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i += 2) {
    const a = x[i]!;
    const b = x[i + 1]!;
    const t = b - a * a;
    f += 100 * t * t + (1 - a) * (1 - a);
    g[i] = -400 * a * t - 2 * (1 - a);
    g[i + 1] = 200 * t;
  }
  return f;
};

describe("L-BFGS with strong-Wolfe line search", () => {
  it("solves Rosenbrock from the classic start (−1.2, 1)", () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.f).toBeLessThan(1e-12);
    expect(r.iterations).toBeLessThan(60);
  });

  it("solves a 20-dimensional Rosenbrock", () => {
    const x0 = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const r = minimizeLbfgs(rosenbrock, x0);
    expect(r.converged).toBe(true);
    for (const v of r.x) expect(v).toBeCloseTo(1, 5);
  });

  it("minimises an ill-conditioned quadratic exactly", () => {
    // f = ½ Σ λ_i (x_i − c_i)², λ from 1 to 1e4: minimum at c.
    const n = 8;
    const lambda = Array.from({ length: n }, (_, i) => 10 ** ((4 * i) / (n - 1)));
    const c = Array.from({ length: n }, (_, i) => i - 3.5);
    const fg: ObjectiveWithGradient = (x, g) => {
      let f = 0;
      for (let i = 0; i < n; i++) {
        const r = x[i]! - c[i]!;
        f += 0.5 * lambda[i]! * r * r;
        g[i] = lambda[i]! * r;
      }
      return f;
    };
    const r = minimizeLbfgs(fg, new Float64Array(n));
    expect(r.converged).toBe(true);
    for (let i = 0; i < n; i++) expect(r.x[i]).toBeCloseTo(c[i]!, 7);
  });

  it("shrinks the step instead of failing when the objective is non-finite outside its domain", () => {
    // f = x − log x on x > 0 (NaN for x ≤ 0), minimum at x = 1; the first steepest step overshoots into x < 0.
    const fg: ObjectiveWithGradient = (x, g) => {
      const v = x[0]!;
      g[0] = 1 - 1 / v;
      return v > 0 ? v - Math.log(v) : Number.NaN;
    };
    const r = minimizeLbfgs(fg, [0.05]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 8);
  });

  it("reports non-convergence instead of throwing", () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.reason).toBe("max iterations");
    expect(r.iterations).toBe(3);
    const bad = minimizeLbfgs(() => Number.NaN, [0]);
    expect(bad.converged).toBe(false);
    expect(bad.reason).toBe("non-finite objective at start");
    // Unbounded below: stops without throwing.
    const unbounded = minimizeLbfgs((x, g) => {
      g[0] = -1;
      return -x[0]!;
    }, [0], { maxEvaluations: 200 });
    expect(unbounded.converged).toBe(false);
  });
});

describe("Nelder–Mead", () => {
  it("solves Rosenbrock without derivatives", () => {
    const g = new Float64Array(2);
    const r = minimizeNelderMead((x) => rosenbrock(x, g), [-1.2, 1], { maxEvaluations: 5000, maxIterations: 5000 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
    expect(Number.isNaN(r.gradNorm)).toBe(true);
  });

  it("agrees with L-BFGS on a 4-D quadratic with cross terms", () => {
    // f = (x−c)ᵀ Q (x−c) with Q = [[4,1,0,0],[1,3,0.5,0],[0,0.5,2,0.2],[0,0,0.2,1]].
    const Q = [4, 1, 0, 0, 1, 3, 0.5, 0, 0, 0.5, 2, 0.2, 0, 0, 0.2, 1];
    const c = [1, -2, 0.5, 3];
    const fg: ObjectiveWithGradient = (x, g) => {
      let f = 0;
      for (let i = 0; i < 4; i++) {
        let qi = 0;
        for (let j = 0; j < 4; j++) qi += Q[4 * i + j]! * (x[j]! - c[j]!);
        f += (x[i]! - c[i]!) * qi;
        g[i] = 2 * qi;
      }
      return f;
    };
    const g = new Float64Array(4);
    const nm = minimizeNelderMead((x) => fg(x, g), [0, 0, 0, 0], { maxEvaluations: 20000, maxIterations: 20000 });
    const lb = minimizeLbfgs(fg, [0, 0, 0, 0]);
    for (let i = 0; i < 4; i++) {
      expect(nm.x[i]).toBeCloseTo(c[i]!, 4);
      expect(lb.x[i]).toBeCloseTo(c[i]!, 8);
    }
  });
});

describe("Brent", () => {
  it("minimises a 1-D function to tolerance", () => {
    // (x − 2)⁴ + x: derivative 4(x−2)³ + 1 = 0 → x = 2 − (1/4)^(1/3).
    const r = brentMinimize((x) => (x - 2) ** 4 + x, 0, 5, { tolerance: 1e-12 });
    expect(r.converged).toBe(true);
    expect(r.x).toBeCloseTo(2 - 0.25 ** (1 / 3), 5);
    const c = brentMinimize(Math.cos, 0, 2 * Math.PI);
    expect(c.x).toBeCloseTo(Math.PI, 7);
  });

  it("finds a bracketed root and reports a missing sign change", () => {
    const r = brentRoot((x) => x * x * x - 2 * x - 5, 2, 3); // Wallis's cubic, root 2.0945514815423265
    expect(r.converged).toBe(true);
    expect(r.x).toBeCloseTo(2.0945514815423265, 12);
    const none = brentRoot((x) => x * x + 1, -1, 1);
    expect(none.converged).toBe(false);
    expect(none.reason).toBe("no sign change");
  });
});

describe("finite-difference gradient check", () => {
  it("accepts a correct gradient and flags a wrong one", () => {
    const rand = seededRandom(7);
    for (let k = 0; k < 5; k++) {
      const x = [rand() * 4 - 2, rand() * 4 - 2, rand() * 4 - 2, rand() * 4 - 2];
      expect(checkGradient(rosenbrock, x).maxRelError).toBeLessThan(1e-6);
    }
    const wrong: ObjectiveWithGradient = (x, g) => {
      const f = rosenbrock(x, g);
      g[1] = g[1]! * 1.01;
      return f;
    };
    expect(checkGradient(wrong, [0.3, -0.7]).maxRelError).toBeGreaterThan(1e-3);
  });

  it("differentiates exp exactly enough", () => {
    const g = finiteDifferenceGradient((x) => Math.exp(x[0]!), [1]);
    expect(g[0]).toBeCloseTo(Math.E, 8);
  });
});
