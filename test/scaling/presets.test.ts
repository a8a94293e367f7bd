import { describe, expect, it } from "vitest";
import {
  allocate,
  chinchillaFrontier,
  evaluateHyperparameters,
  evaluateLoss,
  findPreset,
  type HyperparameterLaw,
  type LossLaw,
} from "../../src/core/scaling/index.ts";

const loss = (id: string): LossLaw => findPreset(id) as LossLaw;
const hp = (id: string): HyperparameterLaw => findPreset(id) as HyperparameterLaw;
/** Relative closeness to the printed digits of a reference value. */
const rel = (actual: number, expected: number, tol: number) => expect(Math.abs(actual / expected - 1)).toBeLessThan(tol);

describe("Chinchilla-form presets reproduce spec B.9", () => {
  // [id, C, N_opt, D_opt, D/N, L at optimum, L(70e9, 1.4e12), L(1e9, 20e9), G]
  const rows: Array<[string, number, number, number, number, number, number | undefined, number | undefined, number]> = [
    ["chinchilla", 1e21, 1.824e9, 9.136e10, 50.1, 2.3289, 1.9366, 2.58, 1.345],
    ["chinchilla", 5.76e23, 3.219e10, 2.982e12, 92.7, 1.9307, undefined, undefined, 1.345],
    ["chinchilla-unrounded", 1e21, 2.217e9, 7.518e10, 33.9, 2.2955, 1.9208, 2.5307, 1.3],
    ["chinchilla-unrounded", 5.76e23, 4.036e10, 2.379e12, 58.9, 1.9184, undefined, undefined, 1.3],
    ["epoch", 1e21, 2.778e9, 5.999e10, 21.6, 2.3055, 1.9739, 2.5301, 0.1196],
    ["epoch", 5.76e23, 7.225e10, 1.329e12, 18.4, 1.9744, undefined, undefined, 0.1196],
  ];
  for (const [id, c, n, d, ratio, lOpt, l70, l1, G] of rows) {
    it(`${id} at C = ${c}`, () => {
      const law = loss(id);
      const a = allocate(law, c);
      rel(a.n, n, 6e-4);
      rel(a.d, d, 6e-4);
      rel(a.tokensPerParam, ratio, 1.5e-3);
      expect(a.loss).toBeCloseTo(lOpt, 4);
      if (l70 !== undefined) expect(evaluateLoss(law, { n: 70e9, d: 1.4e12 })).toBeCloseTo(l70, 4);
      if (l1 !== undefined) expect(evaluateLoss(law, { n: 1e9, d: 20e9 })).toBeCloseTo(l1, 4);
      if (law.form === "chinchilla") expect(chinchillaFrontier(law).G).toBeCloseTo(G, 3);
    });
  }

  it("rounded Chinchilla frontier exponent 0.4516, unrounded 0.4565 (spec B.1 note)", () => {
    expect(chinchillaFrontier(loss("chinchilla") as never).a).toBeCloseTo(0.4516, 4);
    expect(chinchillaFrontier(loss("chinchilla-unrounded") as never).a).toBeCloseTo(0.4565, 4);
  });
});

describe("data-constrained and over-training presets (spec B.8, B.9)", () => {
  it("datablations C4: L(6.34e9, 242e9, U=25e9) = 2.22564, L(8.67e9, 178e9, 25e9) = 2.22696", () => {
    const law = loss("datablations-c4");
    expect(evaluateLoss(law, { n: 6.34e9, d: 242e9, unique: 25e9 })).toBeCloseTo(2.22564, 5);
    expect(evaluateLoss(law, { n: 8.67e9, d: 178e9, unique: 25e9 })).toBeCloseTo(2.22696, 5);
  });

  it("datablations C4 without repetition: B.9 row (19.6 tokens/param, N 7.00e10, D 1.37e12 at 5.76e23)", () => {
    const law = loss("datablations-c4");
    expect(evaluateLoss(law, { n: 70e9, d: 1.4e12 })).toBeCloseTo(2.0246, 4);
    expect(evaluateLoss(law, { n: 1e9, d: 20e9 })).toBeCloseTo(2.5646, 4);
    const a = allocate(law, 5.76e23);
    rel(a.n, 7.0e10, 3e-3);
    rel(a.d, 1.37e12, 3e-3);
    rel(a.tokensPerParam, 19.6, 3e-3);
    expect(chinchillaFrontier(law as never).G).toBeCloseTo(0.2258, 4);
  });

  it("the over-training form with the C4 constants gives the same losses as the Chinchilla form", () => {
    const law = loss("overtraining-c4");
    expect(evaluateLoss(law, { n: 70e9, d: 1.4e12 })).toBeCloseTo(2.0246, 4);
    expect(evaluateLoss(law, { n: 1e9, d: 20e9 })).toBeCloseTo(2.5646, 4);
  });

  it("limited unique data: the constrained optimum beats the unconstrained allocation under repetition", () => {
    const law = loss("datablations-c4");
    const free = allocate(law, 5.76e23);
    const constrained = allocate(law, 5.76e23, { constraint: { kind: "unique-data", unique: 1e11 } });
    const freeUnderRepetition = evaluateLoss(law, { n: free.n, d: free.d, unique: 1e11 });
    expect(constrained.loss).toBeGreaterThan(free.loss);
    expect(constrained.loss).toBeLessThan(freeUnderRepetition);
    expect(constrained.n * constrained.d * 6).toBeCloseTo(5.76e23, -19);
  });
});

describe("Kaplan presets reproduce spec B.3", () => {
  it("L(N), L(D), L(N, D) joint, L(C_min)", () => {
    expect(evaluateLoss(loss("kaplan-n"), { n: 1e9 })).toBeCloseTo(2.3756, 4);
    expect(evaluateLoss(loss("kaplan-d"), { d: 1e10 })).toBeCloseTo(2.2624, 4);
    expect(evaluateLoss(loss("kaplan-nd"), { n: 1e9, d: 2e10 })).toBeCloseTo(2.3739, 4);
    expect(evaluateLoss(loss("kaplan-cmin"), { flops: 8.64e19 })).toBeCloseTo(2.6581, 4);
  });

  it("L(N, D) with the separate L(N), L(D) constants gives 2.4354", () => {
    const separate = { ...(loss("kaplan-nd") as Extract<LossLaw, { form: "kaplan-nd" }>), nc: 8.8e13, alphaN: 0.076, dc: 5.4e13, alphaD: 0.095 };
    expect(evaluateLoss(separate, { n: 1e9, d: 2e10 })).toBeCloseTo(2.4354, 4);
  });

  it("B_crit(3) = 1.07e6 tokens, B_crit(2.5) = 2.55e6 tokens", () => {
    rel(evaluateHyperparameters(hp("kaplan-bcrit"), { loss: 3 }).batchTokens!, 1.07e6, 5e-3);
    rel(evaluateHyperparameters(hp("kaplan-bcrit"), { loss: 2.5 }).batchTokens!, 2.55e6, 5e-3);
  });
});

describe("hyperparameter laws (spec B.6, B.7, B.8)", () => {
  it("DeepSeek batch and LR at four budgets", () => {
    const cases: Array<[number, number, number]> = [
      [1e17, 1.06e5, 2.34e-3],
      [1e20, 1.02e6, 9.86e-4],
      [1e21, 2.16e6, 7.39e-4],
      [1e24, 2.07e7, 3.12e-4],
    ];
    for (const [c, b, lr] of cases) {
      const r = evaluateHyperparameters(hp("deepseek"), { flops: c });
      rel(r.batchTokens!, b, 5e-3);
      rel(r.peakLearningRate!, lr, 5e-3);
    }
  });

  it("Step Law at N = 1e9, D = 2e10: η 9.96e-4, B 4.42e5 tokens", () => {
    const r = evaluateHyperparameters(hp("step-law"), { n: 1e9, d: 2e10 });
    rel(r.peakLearningRate!, 9.96e-4, 5e-3);
    rel(r.batchTokens!, 4.42e5, 5e-3);
  });

  it("Zhang et al. CBS ≈ 93.20·N_M^0.4683 sequences of 512 tokens", () => {
    // At N = 1e6 the law is its coefficient: 93.2 sequences × 512 tokens.
    expect(evaluateHyperparameters(hp("zhang-cbs"), { n: 1e6 }).batchTokens).toBeCloseTo(93.2 * 512, 6);
    // Doubling N multiplies the batch by 2^0.4683.
    const r1 = evaluateHyperparameters(hp("zhang-cbs"), { n: 3e8 }).batchTokens!;
    const r2 = evaluateHyperparameters(hp("zhang-cbs"), { n: 6e8 }).batchTokens!;
    expect(r2 / r1).toBeCloseTo(2 ** 0.4683, 10);
  });
});
