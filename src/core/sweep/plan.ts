// Reusable scaling sweeps (Hägele et al. 2024 §5; spec §A.5, §A.7): per model size, ONE long constant-LR run with
// cooldown branches that end at each token budget, instead of one cosine run per (size, budget).
// Each branch's cooldown is a fraction c of that branch's own total steps, starting from a checkpoint of the
// trunk at (1 − c)·D_i; the longest budget's branch is the trunk's own cooldown. Cost ratio vs the cosine grid:
// (D_K + c·Σ_{i<K} D_i) / Σ_i D_i (warmup shared; spec §A.5).
import { BATCH_TOKENS, PARAMETER_COUNT, requireListLength, requireWithinBound } from "../config/bounds.ts";
import { InputError } from "../errors.ts";
import type { CooldownShape } from "../schedule/types.ts";
import { detailedFlopsPerToken, type DecoderArch } from "./flops.ts";

export interface SweepModel {
  readonly name: string;
  readonly params: number;
  /** Enables the detailed FLOP count (spec §A.1); without it only 6ND is known. */
  readonly arch?: DecoderArch;
  /** Tokens per step (for step counts). */
  readonly batchTokens: number;
  /** Token budgets of this size (any order; sorted ascending in the plan). */
  readonly budgets: readonly number[];
}

export interface SweepPlanOptions {
  readonly models: readonly SweepModel[];
  /** c ∈ (0, 1]: cooldown as a fraction of each branch's total steps. */
  readonly cooldownFraction: number;
  readonly cooldownShape: CooldownShape;
  /** Peak dense FLOP/s of one GPU and the model FLOP utilization, for GPU-hours. */
  readonly gpuPeakFlops?: number;
  readonly utilization?: number;
  /** The user intends to fit scaling laws on intermediate (un-annealed) checkpoints of the constant-LR trunk. */
  readonly fitOnCheckpoints?: boolean;
  readonly warmupSteps?: number;
}

export interface SweepBranch {
  readonly tokens: number;
  readonly endStep: number;
  readonly checkpointStep: number;
  readonly cooldownSteps: number;
}

export interface FlopTotals {
  readonly sixND: number;
  readonly detailed: number | null;
}

export interface SweepSizePlan {
  readonly name: string;
  readonly params: number;
  readonly batchTokens: number;
  /** The constant-LR trunk runs to the last checkpoint; its own cooldown is the last branch. */
  readonly trunkSteps: number;
  readonly branches: readonly SweepBranch[];
  readonly reuse: FlopTotals;
  readonly cosine: FlopTotals;
  /** reuse / cosine (6ND). */
  readonly costRatio: number;
  /** detailed FLOPs per token / 6N (null without an architecture). */
  readonly detailedOver6N: number | null;
}

export interface SweepPlan {
  readonly sizes: readonly SweepSizePlan[];
  readonly total: { readonly reuse: FlopTotals; readonly cosine: FlopTotals; readonly costRatio: number };
  readonly gpuHours: { readonly reuse: number; readonly cosine: number; readonly basis: "detailed" | "6ND" } | null;
  readonly cooldownFraction: number;
  readonly cooldownShape: CooldownShape;
  readonly warnings: readonly string[];
}

export function planSweep(o: SweepPlanOptions): SweepPlan {
  const c = o.cooldownFraction;
  if (!(c > 0 && c <= 1)) throw new InputError("cooldown", c, "a fraction in (0, 1]");
  if (o.models.length === 0) throw new InputError("models", o.models.length, "at least one model size");
  requireListLength("models", o.models);
  const warnings: string[] = [];
  const sizes = o.models.map((m, mi) => {
    const f = `models[${mi}]`;
    requireWithinBound(`${f}.params`, m.params, PARAMETER_COUNT);
    requireWithinBound(`${f}.batchTokens`, m.batchTokens, BATCH_TOKENS);
    if (m.budgets.length === 0) throw new InputError(`${f}.budgets`, m.budgets, "at least one token budget");
    requireListLength(`${f}.budgets`, m.budgets);
    const budgets = [...m.budgets].sort((a, b) => a - b);
    for (const d of budgets) if (!(d > 0) || !Number.isFinite(d)) throw new InputError(`${f}.budgets`, d, "token budgets > 0");
    const branches = budgets.map((tokens) => {
      const endStep = Math.round(tokens / m.batchTokens);
      if (endStep < 1) throw new InputError(`${f}.budgets`, tokens, `at least one step of ${m.batchTokens} tokens`);
      const cooldownSteps = Math.floor(c * endStep); // as the reference: int(f·n)
      const checkpointStep = endStep - cooldownSteps;
      if (o.warmupSteps !== undefined && checkpointStep < o.warmupSteps) {
        throw new InputError(`${f}.budgets`, tokens, `a budget whose cooldown starts after the warmup (${o.warmupSteps} steps; checkpoint at step ${checkpointStep})`);
      }
      return { tokens, endStep, checkpointStep, cooldownSteps };
    });
    const last = branches[branches.length - 1]!;
    const reuseSteps = last.endStep + branches.slice(0, -1).reduce((s, b) => s + b.cooldownSteps, 0);
    const cosineSteps = branches.reduce((s, b) => s + b.endStep, 0);
    const fpt6 = 6 * m.params;
    const fptDetailed = m.arch ? detailedFlopsPerToken(m.arch) : null;
    const tok = (steps: number) => steps * m.batchTokens;
    return {
      name: m.name,
      params: m.params,
      batchTokens: m.batchTokens,
      trunkSteps: last.checkpointStep,
      branches,
      reuse: { sixND: fpt6 * tok(reuseSteps), detailed: fptDetailed === null ? null : fptDetailed * tok(reuseSteps) },
      cosine: { sixND: fpt6 * tok(cosineSteps), detailed: fptDetailed === null ? null : fptDetailed * tok(cosineSteps) },
      costRatio: reuseSteps / cosineSteps,
      detailedOver6N: fptDetailed === null ? null : fptDetailed / fpt6,
    };
  });
  const allDetailed = sizes.every((s) => s.reuse.detailed !== null);
  const sum = (pick: (s: SweepSizePlan) => number) => sizes.reduce((a, s) => a + pick(s), 0);
  const total = {
    reuse: { sixND: sum((s) => s.reuse.sixND), detailed: allDetailed ? sum((s) => s.reuse.detailed!) : null },
    cosine: { sixND: sum((s) => s.cosine.sixND), detailed: allDetailed ? sum((s) => s.cosine.detailed!) : null },
    costRatio: 0,
  };
  total.costRatio = total.reuse.sixND / total.cosine.sixND;
  let gpuHours: SweepPlan["gpuHours"] = null;
  if (o.gpuPeakFlops !== undefined) {
    if (!(o.gpuPeakFlops > 0)) throw new InputError("gpu", o.gpuPeakFlops, "peak FLOP/s > 0");
    const u = o.utilization ?? 0.4;
    if (!(u > 0 && u <= 1)) throw new InputError("utilization", u, "a fraction in (0, 1]");
    const basis = allDetailed ? "detailed" : "6ND";
    const flops = (t: FlopTotals) => (basis === "detailed" ? t.detailed! : t.sixND);
    gpuHours = { reuse: flops(total.reuse) / (o.gpuPeakFlops * u) / 3600, cosine: flops(total.cosine) / (o.gpuPeakFlops * u) / 3600, basis };
  }
  if (o.fitOnCheckpoints) {
    warnings.push(
      "fitting scaling laws on un-annealed checkpoints of the constant-LR trunk biases the fit: a constant-LR checkpoint is ~0.15 nats worse than an annealed one (124M, 50k steps; Hägele et al. logs, spec §A.6); fit on the cooldown branches' end points (or cosine runs matched to D)",
    );
  }
  const unannealed = sizes.flatMap((s) => s.branches.filter((b) => b.cooldownSteps === 0).map((b) => `${s.name} at ${b.tokens} tokens`));
  if (unannealed.length > 0) warnings.push(`int(c·steps) = 0 cooldown steps for ${unannealed.join(", ")}: those end points are not annealed`);
  if (c < 0.1) warnings.push(`a ${c * 100}% cooldown is short: 10–20% of the run is needed to match cosine at these scales (Hägele et al. Fig. 5; spec §A.3)`);
  return { sizes, total, gpuHours, cooldownFraction: c, cooldownShape: o.cooldownShape, warnings };
}
