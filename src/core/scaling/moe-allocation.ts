// Compute-optimal (and memory-capped) MoE configurations: total parameters, active parameters, experts, tokens.
// Joint law: Ludziejewski et al. 2025 §4.1 eq. 7 per expert count, then the best expert count; a cap on total
// parameters (their §4.2 "model memory optimality") clamps N_act on the IsoFLOP curve. Granular law: Ludziejewski
// et al. 2024 eq. 9 at a given granularity with their parameter relations (§6.1), routing FLOPs left out.
import { InputError } from "../errors.ts";
import { chinchillaOptimum } from "./chinchilla-law.ts";
import { granularMoeLoss, jointMoeLoss, jointMoeSlice } from "./moe-laws.ts";
import type { GranularMoeLaw, JointMoeLaw } from "./moe-law-types.ts";

/** Vocabulary of the 2025 runs (App. A.1): N_act and N_total include 2·d_model·d_vocab embedding parameters. */
export const JOINT_MOE_VOCAB = 50257;
/** Expert counts the 2025 law was fitted on (App. E); larger ones extrapolate. */
export const JOINT_MOE_FITTED_EXPERTS: readonly number[] = [1, 2, 4, 8, 16, 32];

export interface MoeConfiguration {
  readonly experts: number;
  readonly activeParams: number;
  readonly totalParams: number;
  readonly tokens: number;
  readonly flops: number;
  readonly loss: number;
  readonly tokensPerActiveParam: number;
  /** True when the total-parameter cap, not compute, set the size. */
  readonly memoryBound: boolean;
}

/**
 * Where the 2025 joint law was fitted (their App. C; the preset's notes): E ≤ 32, up to 2.7B active parameters,
 * D/N_act up to ~400. A configuration outside it is read off the law where no run constrains it. (Total parameters
 * are not checked: a memory-matched comparison needs E·N_act well past any one run's size, and the paper's own
 * Table 1 allocates there.)
 */
export const JOINT_MOE_FITTED_RANGE = { maxExperts: 32, maxActiveParams: 2.7e9, maxTokensPerActiveParam: 400 } as const;

/** How a configuration of the joint law leaves its fitted range (empty when it does not). */
export function jointMoeExtrapolations(c: MoeConfiguration): string[] {
  const r = JOINT_MOE_FITTED_RANGE;
  const out: string[] = [];
  if (!JOINT_MOE_FITTED_EXPERTS.includes(c.experts)) out.push(`E = ${c.experts} is not a fitted expert count (1–${r.maxExperts})`);
  if (c.activeParams > r.maxActiveParams) out.push(`N_act ${(c.activeParams / 1e9).toPrecision(3)}B is above the fitted ${r.maxActiveParams / 1e9}B`);
  if (c.tokensPerActiveParam > r.maxTokensPerActiveParam) out.push(`D/N_act ${c.tokensPerActiveParam.toFixed(0)} is above the fitted ~${r.maxTokensPerActiveParam}`);
  return out;
}


/**
 * Ludziejewski et al. 2025 App. A.1 eq. 9–10 with N_blocks = d_model/64 (App. A.3):
 * N_act = 2·d·V + 13·d³/64, N_total = 2·d·V + (4 + 9E)·d³/64. Returns d_model for an active count (bisection).
 */
export function jointMoeWidth(activeParams: number, vocab = JOINT_MOE_VOCAB): number {
  const active = (d: number) => 2 * d * vocab + (13 * d ** 3) / 64;
  let lo = 0;
  let hi = Math.cbrt((64 * activeParams) / 13) + 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (active(mid) < activeParams) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function jointMoeTotalParams(activeParams: number, experts: number, vocab = JOINT_MOE_VOCAB): number {
  const d = jointMoeWidth(activeParams, vocab);
  return 2 * d * vocab + ((4 + 9 * experts) * d ** 3) / 64;
}

/** The largest N_act whose N_total fits `maxTotal` (monotone in N_act; bisection in log space). */
function maxActiveForTotal(maxTotal: number, experts: number, vocab: number): number {
  let lo = Math.log(1);
  let hi = Math.log(maxTotal);
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (jointMoeTotalParams(Math.exp(mid), experts, vocab) <= maxTotal) lo = mid;
    else hi = mid;
  }
  return Math.exp(lo);
}

export interface JointMoeAllocationOptions {
  /** Expert counts to compare (default 1, 2, …, 32: the fitted range). */
  readonly experts?: readonly number[];
  /** Cap on total parameters (memory), §4.2. */
  readonly maxTotalParams?: number;
  readonly vocab?: number;
}

/** The compute-optimal configuration for one expert count (eq. 7), clamped by the total-parameter cap. */
export function jointMoeOptimum(law: JointMoeLaw, flops: number, experts: number, options: { maxTotalParams?: number; vocab?: number } = {}): MoeConfiguration {
  const vocab = options.vocab ?? JOINT_MOE_VOCAB;
  const s = jointMoeSlice(law, experts);
  // For a fixed E the law is Chinchilla-form with A = m, α = −µ, B = n, β = −ν (their Table 4, eq. 7).
  const opt = chinchillaOptimum({ E: s.c, A: s.m, alpha: -s.mu, B: s.n, beta: -s.nu }, flops);
  let active = opt.n;
  let memoryBound = false;
  if (options.maxTotalParams !== undefined && jointMoeTotalParams(active, experts, vocab) > options.maxTotalParams) {
    active = maxActiveForTotal(options.maxTotalParams, experts, vocab);
    memoryBound = true;
  }
  const tokens = flops / (6 * active);
  return {
    experts,
    activeParams: active,
    totalParams: jointMoeTotalParams(active, experts, vocab),
    tokens,
    flops,
    loss: jointMoeLoss(law, active, tokens, experts),
    tokensPerActiveParam: tokens / active,
    memoryBound,
  };
}

/** One configuration per expert count, and the best (lowest loss). */
export function allocateJointMoe(law: JointMoeLaw, flops: number, options: JointMoeAllocationOptions = {}): { configurations: MoeConfiguration[]; best: MoeConfiguration } {
  if (!(flops > 0) || !Number.isFinite(flops)) throw new InputError("flops", flops, "a finite number > 0");
  const experts = options.experts ?? JOINT_MOE_FITTED_EXPERTS;
  for (const e of experts) if (!(Number.isInteger(e) && e >= 1)) throw new InputError("experts", e, "whole numbers >= 1");
  if (options.maxTotalParams !== undefined && !(options.maxTotalParams > 0)) throw new InputError("max total params", options.maxTotalParams, "a number > 0");
  const configurations = experts.map((e) => jointMoeOptimum(law, flops, e, options));
  const best = configurations.reduce((a, b) => (b.loss < a.loss ? b : a));
  return { configurations, best };
}

/**
 * Ludziejewski et al. 2024 at granularity G and the law's expansion rate E: N_total = d²(8E + 4)·n_blocks and
 * N_act = 12·d²·n_blocks (§6.1), so N_act = 12/(8E + 4)·N_total and F = 6·N_act·D. The law is Chinchilla-form in
 * (N_total, D) with A = g/G^γ + a, hence the closed form at C' = F·(8E + 4)/12. Routing FLOPs (their c_r) are left
 * out, so this does not choose G (the loss falls with G for ever without them): G is an input.
 */
export function granularMoeOptimum(law: GranularMoeLaw, flops: number, granularity: number): MoeConfiguration {
  if (!(flops > 0) || !Number.isFinite(flops)) throw new InputError("flops", flops, "a finite number > 0");
  if (!(granularity >= 1) || !Number.isFinite(granularity)) throw new InputError("granularity", granularity, "a number >= 1");
  const activeShare = 12 / (8 * law.expansion + 4);
  const p = { E: law.c, A: law.g / granularity ** law.gamma + law.a, alpha: law.alpha, B: law.b, beta: law.beta };
  const opt = chinchillaOptimum(p, flops / activeShare);
  const active = opt.n * activeShare;
  return {
    experts: law.expansion * granularity,
    activeParams: active,
    totalParams: opt.n,
    tokens: opt.d,
    flops,
    loss: granularMoeLoss(law, opt.n, opt.d, granularity),
    tokensPerActiveParam: opt.d / active,
    memoryBound: false,
  };
}
