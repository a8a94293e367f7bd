// Issue 10's consistency checks on one plan, shared by the dense, MoE and --software plan tests.
import { expect } from "vitest";
import type { Plan } from "../../src/core/plan/make-plan.ts";
import { predictStep } from "../../src/core/run/step.ts";
import { validateRunConfig } from "../../src/core/run/run-config.ts";

/** The plan's run, fed to the step model, gives the same step time (within 1 %) and fits in memory. */
export function expectRunReproducesStep(p: Plan): void {
  const step = predictStep(validateRunConfig(p.run));
  expect(Math.abs(step.stepTimeSeconds / p.step!.stepTimeSeconds - 1)).toBeLessThan(0.01);
  expect(step.fitsInMemory).toBe(true);
}

/** tokens = tokens/s/GPU × GPUs × seconds × goodput (within 2 %). */
export function expectTokensFromThroughput(p: Plan): void {
  const expected = p.step!.tokensPerSecondPerGpu * p.gpus * p.days * 86_400 * p.goodput.value;
  expect(Math.abs(p.tokens / expected - 1)).toBeLessThan(0.02);
}
