// plainPlanInput (no zod) against validatePlanInput (the plan-input schema): whatever the plain check lets through
// is exactly what the schema returns, defaults included; the rest goes to makePlan, whose messages stay the same.
// And a plan from plain input equals makePlan's.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GPU_COUNT, MAX_GPUS } from "../../src/core/config/bounds.ts";
import { validatePlanInput } from "../../src/core/plan/input.ts";
import { makePlan, planFromInput } from "../../src/core/plan/make-plan.ts";
import { plainPlanInput } from "../../src/core/plan/plain-input.ts";

// Values near each rule's edges, of the wrong type, and out of the GPU count's bound.
const value = fc.oneof(
  fc.constantFrom(0, 1, -1, 0.5, 1.5, 2, 64, 90, 3650, 3651, 8192, MAX_GPUS, MAX_GPUS + 1, 2 ** 53, Number.NaN, Infinity, -Infinity, 1e-300, 1e-18, 1e-19),
  fc.double(),
  fc.integer({ min: -10, max: 100_000 }),
  fc.constantFrom("", "h100-sxm", "epoch", "dense", "moe", "sparse", "90", undefined, null, true, [64], {}),
);
const KEYS = ["gpu", "gpus", "days", "budgetUsd", "usdPerGpuHour", "law", "architecture", "seqLen", "goodput", "uniqueTokens", "inferenceTokens", "gpusPerNode", "hparams", "sites", "software", "mfu"];

function schemaResult(data: unknown): unknown {
  try {
    return validatePlanInput(data);
  } catch (error) {
    return error;
  }
}

describe("plainPlanInput", () => {
  it("passes only what the schema accepts, and returns what the schema returns (defaults filled)", () => {
    let passed = 0;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 8 }), fc.constantFrom("h100-sxm", "", 7), fc.oneof(fc.integer({ min: 1, max: 5000 }), value), (extra, gpu, gpus) => {
        const data = { gpu, gpus, ...extra };
        const plain = plainPlanInput(data);
        if (plain === undefined) return;
        passed++;
        expect(plain).toStrictEqual(schemaResult(data));
      }),
      { numRuns: 3000, seed: 10 },
    );
    expect(passed).toBeGreaterThan(20);
  });

  it("takes the Plan view's default form input, and leaves a GPU count past the GPU bound to makePlan", () => {
    const form = { gpu: "h100-sxm", gpus: 4096, days: 90, law: "epoch", architecture: "dense" as const, seqLen: 8192 };
    expect(plainPlanInput(form)).toStrictEqual(validatePlanInput(form));
    expect(plainPlanInput({ ...form, gpus: MAX_GPUS + 1 })).toBeUndefined();
    expect(() => makePlan({ ...form, gpus: MAX_GPUS + 1 })).toThrow(`gpus: ${MAX_GPUS + 1} is not allowed; expected ${GPU_COUNT.allowed}`);
    expect(plainPlanInput({ ...form, gpu: "" })).toBeUndefined();
    expect(plainPlanInput({ ...form, software: { framework: "torchtitan" } })).toBeUndefined();
  });

  it("gives the same plan (and the same first estimate) as makePlan", () => {
    const form = { gpu: "h100-sxm", gpus: 64, days: 7, law: "epoch", architecture: "dense" as const, seqLen: 4096 };
    const estimates: unknown[] = [];
    const viaSchema = makePlan(form, { onEstimate: (e) => estimates.push(e) });
    const plain = planFromInput(plainPlanInput(form)!, { onEstimate: (e) => estimates.push(e) });
    expect(plain).toStrictEqual(viaSchema);
    expect(estimates).toHaveLength(2);
    expect(estimates[1]).toStrictEqual(estimates[0]);
  });
});
