import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { MPL_SPECS } from "../fixtures/loss-curves/mpl-specs.ts";
import { InputError } from "../../src/core/errors.ts";
import { parseScheduleSpec, scheduleFactor, scheduleLr, formatScheduleSpec, referenceTrainerFlags, pytorchLambdaSnippet } from "../../src/core/schedule/index.ts";
import { scheduleFactorArray, scheduleLrArray } from "../../src/core/schedule/generators.ts";

// Spec §A.2 test vectors: n = 1000, w = 100, f = 0.2, φ = 0 (λ values, printed to ≤ 6 decimals).
const A2: Record<string, Record<number, number>> = {
  linear: { 0: 0.01, 50: 0.505, 99: 0.9901, 850: 0.75, 900: 0.5, 950: 0.25, 999: 0.005 },
  sqrt: { 0: 0.01, 50: 0.505, 99: 0.9901, 850: 0.5, 900: 0.292893, 950: 0.133975, 999: 0.002503 },
  cosine: { 0: 0.01, 50: 0.505, 99: 0.9901, 850: 0.853553, 900: 0.5, 950: 0.146447, 999: 0.000062 },
  square: { 0: 0.01, 50: 0.505, 99: 0.9901, 850: 0.9375, 900: 0.75, 950: 0.4375, 999: 0.009975 },
  "mirror-cosine": { 0: 0.01, 50: 0.505, 99: 0.9901, 850: 0.646447, 900: 0.5, 950: 0.353553, 999: 0.009938 },
};

describe("schedule generators (spec §A.2 test vectors)", () => {
  for (const [shape, vec] of Object.entries(A2)) {
    it(`WSD ${shape} cooldown`, () => {
      const s = parseScheduleSpec(`wsd:steps=1000,warmup=100,cooldown=0.2,shape=${shape},final=0`);
      for (const [step, want] of Object.entries(vec)) expect(scheduleFactor(s, Number(step))).toBeCloseTo(want, 6);
      for (let step = 100; step <= 800; step++) expect(scheduleFactor(s, step)).toBe(1);
      for (const step of [1000, 1001, 5000]) expect(scheduleFactor(s, step)).toBe(0);
    });
  }

  it("OneCycle cosine baseline", () => {
    const s = parseScheduleSpec("onecycle:steps=1000,warmup=100");
    const want: Record<number, number> = { 0: 0.01, 50: 0.512854, 99: 1.0, 549: 0.55, 999: 0.1 };
    for (const [step, v] of Object.entries(want)) expect(scheduleFactor(s, Number(step))).toBeCloseTo(v, 6);
  });

  it("uses int(f·n) cooldown steps of the TOTAL run", () => {
    const s = parseScheduleSpec("wsd:steps=1001,warmup=10,cooldown=0.2");
    expect(s.kind === "wsd" && s.cooldownSteps).toBe(200);
    expect(scheduleFactor(s, 800)).toBe(1);
    expect(scheduleFactor(s, 801)).toBe(1);
  });

  it("exp cooldown is φ^t", () => {
    const s = parseScheduleSpec("wsd:steps=1000,warmup=100,cooldown=0.2,shape=exp,final=0.1");
    expect(scheduleFactor(s, 900)).toBeCloseTo(Math.sqrt(0.1), 12);
  });

  it("cos-inf and multistep (DeepSeek-style 80/10/10)", () => {
    const ci = parseScheduleSpec("cos-inf:steps=1000,warmup=100,constant-steps=200,final=0.1");
    expect(scheduleFactor(ci, 100)).toBe(1);
    expect(scheduleFactor(ci, 450)).toBeCloseTo(0.55, 12);
    expect(scheduleFactor(ci, 800)).toBe(0.1);
    const ms = parseScheduleSpec("multistep:steps=1000,warmup=20,at=0.8/0.9,factors=0.316/0.1");
    expect([scheduleFactor(ms, 799), scheduleFactor(ms, 800), scheduleFactor(ms, 899), scheduleFactor(ms, 900)]).toEqual([1, 0.316, 0.316, 0.1]);
  });

  it("table schedules interpolate linearly", () => {
    const s = parseScheduleSpec("table:x", "--schedule", () => "step,lr\n0,1e-4\n10,2e-4\n20,1e-5\n");
    expect(scheduleLr(s, 5)).toBeCloseTo(1.5e-4, 15);
    expect(scheduleLr(s, 20)).toBeCloseTo(1e-5, 15);
    expect(s.steps).toBe(21);
  });

  it("spec text round-trips", () => {
    for (const t of ["wsd:steps=1000,warmup=100,cooldown=0.2,shape=sqrt", "cosine:steps=500,warmup=10,final=0", "multistep:steps=100,at-steps=50/70,factors=0.5/0.1", "cos-inf:steps=100,warmup=5,constant-steps=20"]) {
      const s = parseScheduleSpec(t);
      expect(parseScheduleSpec(formatScheduleSpec(s))).toEqual(s);
    }
  });

  it("rejects bad input with the field named", () => {
    const bad: Array<[string, RegExp]> = [
      ["wsd:steps=1000,warmup=100,cooldown=0", /cooldown.*\(0, 1\]/],
      ["wsd:steps=1000,warmup=100,cooldown=1.5", /cooldown/],
      ["wsd:steps=100,warmup=200", /warmup.*fewer warmup steps/],
      ["wsd:steps=100,color=red", /key one of/],
      ["spiral:steps=10", /KIND/],
      ["wsd:steps=1000,shape=zigzag", /shape/],
      ["constant:steps=abc", /steps/],
    ];
    for (const [text, msg] of bad) {
      expect(() => parseScheduleSpec(text, "--schedule")).toThrow(InputError);
      expect(() => parseScheduleSpec(text, "--schedule")).toThrow(msg);
    }
    expect(() => parseScheduleSpec("table:x", "--schedule", () => "0,1e-4\n0,2e-4\n")).toThrow(/steps must increase/);
    expect(() => parseScheduleSpec("table:x", "--schedule", () => "0,1e-4\n5,0\n")).toThrow(/an LR in \(0, 10\]/);
  });

  it("emits reference-trainer flags and a LambdaLR snippet", () => {
    const s = parseScheduleSpec("wsd:steps=1000,warmup=100,cooldown=0.2,shape=sqrt,peak=1e-3");
    expect(referenceTrainerFlags(s).flags).toBe("--scheduler wsd --iterations 1000 --warmup_steps 100 --lr 0.001 --wsd_fract_decay 0.2 --decay_type sqrt --wsd_final_lr_scale 0");
    expect(pytorchLambdaSnippet(s)).toContain("LambdaLR(optimizer, lr_lambda)");
    expect(referenceTrainerFlags(parseScheduleSpec("cosine:steps=10")).flags).toBeUndefined();
  });
});

describe("schedule specs reproduce the logged LRs of the 25M MultiPowerLaw curves", () => {
  for (const [name, spec] of Object.entries(MPL_SPECS)) {
    it(name, () => {
      const s = parseScheduleSpec(spec);
      const rows = readFileSync(new URL(`../fixtures/loss-curves/25M/${name}.csv`, import.meta.url), "utf8").trim().split("\n").slice(1);
      expect(rows.length).toBeGreaterThan(90);
      for (const row of rows) {
        const [step, lr] = row.split(",").map(Number) as [number, number];
        expect(Math.abs(scheduleLr(s, step) - lr) / lr).toBeLessThan(1e-9);
      }
    });
  }
});

describe("per-step arrays = the step functions, bit for bit (the arrays fill one phase per loop)", () => {
  const specs = [
    ...["linear", "sqrt", "cosine", "square", "mirror-cosine", "exp"].flatMap((shape) => [
      `wsd:steps=1000,warmup=100,cooldown=0.2,shape=${shape},final=0.1`,
      `wsd:steps=1001,peak=3e-4,warmup=7,warmup-shape=linspace,warmup-from=0,cooldown-steps=333,shape=${shape},final=0.5`,
    ]),
    "cosine:steps=1000,peak=3e-4,warmup=100,final=0.1",
    "cosine:steps=999,peak=2e-3,warmup=7,warmup-shape=linspace,warmup-from=0,final=0",
    "cos-inf:steps=1000,peak=1e-3,warmup=50,final=0.2,constant-steps=300",
    "constant:steps=500,peak=2e-3,warmup=50,warmup-from=0.3",
    "constant:steps=500,peak=1",
    "onecycle:steps=1000,warmup=100",
    "multistep:steps=1000,warmup=20,at-steps=800/900,factors=0.316/0.1",
    "two-stage:steps=1000,warmup=20,switch=600,factor=0.5",
  ];
  for (const spec of specs) {
    it(spec, () => {
      const s = parseScheduleSpec(spec);
      // Shorter than, equal to and past the schedule's own length (past it: the final factor).
      for (const length of [Math.floor(s.steps / 3), s.steps, s.steps + 37]) {
        const lr = scheduleLrArray(s, length);
        const factors = scheduleFactorArray(s, length);
        expect(lr.length).toBe(length);
        for (let step = 0; step < length; step++) {
          if (!Object.is(lr[step], scheduleLr(s, step)) || !Object.is(factors[step], scheduleFactor(s, step))) {
            expect.fail(`${spec}: step ${step} of ${length}: array ${lr[step]} / ${factors[step]}, step function ${scheduleLr(s, step)} / ${scheduleFactor(s, step)}`);
          }
        }
      }
    });
  }
});
