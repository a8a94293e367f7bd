// Where the joint MoE law of Ludziejewski et al. 2025 extrapolates (JOINT_MOE_FITTED_RANGE): what the web app and
// `optimal --law moe-joint-2025` mark.
import { describe, expect, it } from "vitest";
import { allocateJointMoe, jointMoeExtrapolations } from "../../src/core/scaling/moe-allocation.ts";
import { JOINT_MOE_2025 } from "../../src/core/scaling/moe-presets.ts";

describe("jointMoeExtrapolations", () => {
  it("passes Table 1's 1e20 FLOP configurations (0.7–1.7B active) and names what leaves the fitted range", () => {
    const at1e20 = allocateJointMoe(JOINT_MOE_2025, 1e20);
    for (const c of at1e20.configurations) expect(jointMoeExtrapolations(c)).toEqual([]);
    const [e64] = allocateJointMoe(JOINT_MOE_2025, 1e20, { experts: [64] }).configurations;
    expect(jointMoeExtrapolations(e64!)).toEqual(["E = 64 is not a fitted expert count (1–32)"]);
    // 1e22 FLOP: Table 1's 12.2B active parameters at E = 32 are past the 2.7B the law was fitted up to.
    const [e32] = allocateJointMoe(JOINT_MOE_2025, 1e22, { experts: [32] }).configurations;
    expect(jointMoeExtrapolations(e32!)).toEqual([`N_act ${(e32!.activeParams / 1e9).toPrecision(3)}B is above the fitted 2.7B`]);
  });
});
