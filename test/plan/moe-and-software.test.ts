// Issue 10's `--architecture moe` and `--software`: an MoE plan is a real MoE run (experts, top-k, EP in the layout) judged by an MoE
// law, and it passes the same consistency checks as a dense plan.
import { describe, expect, it } from "vitest";
import { makePlan } from "../../src/core/plan/make-plan.ts";
import { expectRunReproducesStep, expectTokensFromThroughput } from "./plan-checks.ts";

describe("MoE plan", () => {
  const p = makePlan({ gpu: "h100-sxm", gpus: 256, days: 14, architecture: "moe" });

  it("chooses an MoE model with fewer active than total parameters, under an MoE law", () => {
    expect(p.architecture).toBe("moe");
    expect(p.model.config.moe).toBeDefined();
    expect(p.model.config.moe!.experts).toBeGreaterThan(1);
    expect(p.model.activeParams).toBeLessThan(p.model.params);
    expect(p.law.id).toMatch(/moe/);
  });

  it("its run, fed to the step model, gives the same step time (within 1 %) and fits in memory", () => {
    expectRunReproducesStep(p);
  });

  it("tokens = tokens/s/GPU × GPUs × seconds × goodput (within 2 %), alternatives within 0.5 % of the loss", () => {
    expectTokensFromThroughput(p);
    for (const a of p.alternatives) expect(a.loss).toBeLessThanOrEqual(p.loss.predicted * 1.005 + 1e-12);
    expect(Number.isFinite(p.loss.predicted)).toBe(true);
  });

  it("a longer deadline never predicts a higher loss", () => {
    const longer = makePlan({ gpu: "h100-sxm", gpus: 256, days: 28, architecture: "moe" });
    expect(longer.loss.predicted).toBeLessThanOrEqual(p.loss.predicted + 1e-12);
  });
});

describe("plan --software", () => {
  it("carries the training stack into the run, and the stack changes the predicted speed", () => {
    const megatron = makePlan({ gpu: "h100-sxm", gpus: 64, days: 7 });
    const titan = makePlan({ gpu: "h100-sxm", gpus: 64, days: 7, software: { framework: "torchtitan", compile: false } });
    expect((titan.run as { software?: { framework?: string } }).software?.framework).toBe("torchtitan");
    expectRunReproducesStep(titan);
    expect(titan.step!.tokensPerSecondPerGpu * titan.model.params).not.toBeCloseTo(megatron.step!.tokensPerSecondPerGpu * megatron.model.params, 0);
  });

  it("rejects an unknown framework with one line naming the field", () => {
    expect(() => makePlan({ gpu: "h100-sxm", gpus: 64, days: 7, software: { framework: "nope" } })).toThrow(/software\.framework/);
  });
});
