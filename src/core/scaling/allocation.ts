import { ComputationError, InputError, requirePositive } from "../errors.ts";
import { brentMinimize, brentRoot } from "../optimize/brent.ts";
import { chinchillaOptimum, type ChinchillaParams } from "./chinchilla-law.ts";
import { dataConstrainedLoss, DATABLATIONS_RD_STAR, DATABLATIONS_RN_STAR } from "./data-constrained.ts";
import type { LossLaw } from "./law-types.ts";
import { evaluateLoss, isTwoVariableLaw } from "./loss-law.ts";
import { centralInterval } from "./percentile.ts";

/** Compute budget: FLOP directly, or a cluster: gpus × days × 86,400 s × utilization × peak FLOP/s per GPU. */
export type ComputeBudget =
  | { readonly flops: number }
  | { readonly gpus: number; readonly days: number; readonly utilization: number; readonly peakFlopsPerGpu: number };

export function budgetFlops(budget: ComputeBudget): number {
  if ("flops" in budget) return requirePositive("flops", budget.flops);
  requirePositive("gpus", budget.gpus);
  requirePositive("days", budget.days);
  if (!(budget.utilization > 0 && budget.utilization <= 1)) throw new InputError("utilization", budget.utilization, "a number in (0, 1]");
  requirePositive("peak", budget.peakFlopsPerGpu);
  return budget.gpus * budget.days * 86_400 * budget.utilization * budget.peakFlopsPerGpu;
}

export type AllocationConstraint =
  | { readonly kind: "compute-optimal" }
  | { readonly kind: "fixed-n"; readonly n: number }
  | { readonly kind: "fixed-d"; readonly d: number }
  /** Only `unique` distinct tokens exist; repeated epochs are discounted (Muennighoff et al. 2023). */
  | { readonly kind: "unique-data"; readonly unique: number }
  /** Minimise training + inference FLOP (6ND + 2N·tokens) at the loss the compute-optimal model reaches. */
  | { readonly kind: "inference"; readonly tokens: number };

export interface Allocation {
  readonly constraint: AllocationConstraint["kind"];
  readonly flops: number;
  readonly n: number;
  readonly d: number;
  readonly tokensPerParam: number;
  readonly loss: number;
  /** Bootstrap interval of the predicted loss at (n, d), when the law came from a fit with samples. */
  readonly lossInterval?: [number, number];
  /** Bootstrap interval of N_opt (compute-optimal, Chinchilla form only). */
  readonly nInterval?: [number, number];
  readonly dInterval?: [number, number];
  readonly inference?: {
    readonly tokens: number;
    readonly trainingFlops: number;
    readonly inferenceFlops: number;
    readonly totalFlops: number;
    /** Training + inference FLOP of the compute-optimal model serving the same tokens (for comparison). */
    readonly computeOptimalTotalFlops: number;
  };
}

/** Bootstrap samples [E, A, B, α, β] of a fitted Chinchilla-form law. */
export type ParamSamples = ReadonlyArray<readonly [number, number, number, number, number]>;

/** L(N, D), with the repetition penalty when `unique` < D (data-constrained law, or Chinchilla form + datablations decay). */
export const lossOf = (law: LossLaw, n: number, d: number, unique?: number): number => {
  if (unique !== undefined) {
    if (law.form === "data-constrained") return dataConstrainedLoss(law, n, d, unique);
    if (law.form === "chinchilla") {
      return dataConstrainedLoss({ ...law, rdStar: DATABLATIONS_RD_STAR, rnStar: DATABLATIONS_RN_STAR }, n, d, unique);
    }
    throw new InputError("--unique-tokens", unique, "a Chinchilla-form or data-constrained law (this law has no data-repetition term)");
  }
  return evaluateLoss(law, { n, d });
};

/** argmin over N of L(N, C/(6N)) by Brent in ln N (closed form for the Chinchilla form without repetition). */
function computeOptimal(law: LossLaw, flops: number, unique?: number): { n: number; d: number; loss: number } {
  if (law.form === "chinchilla" && unique === undefined) return chinchillaOptimum(law, flops);
  const lnMax = Math.log(flops / 6);
  const r = brentMinimize((ln) => lossOf(law, Math.exp(ln), flops / (6 * Math.exp(ln)), unique), 0, lnMax, { tolerance: 1e-10 });
  const n = Math.exp(r.x);
  if (!r.converged || r.x < 1e-3 || r.x > lnMax - 1e-3) {
    throw new ComputationError(`no compute-optimal model size for ${flops.toExponential(3)} FLOP under law ${law.id} (the optimum is at the edge of the search range)`);
  }
  return { n, d: flops / (6 * n), loss: r.f };
}

/** Tokens D at which L(N, D) = target, or undefined when model size N cannot reach the target at any D. */
function tokensForLoss(law: LossLaw, n: number, target: number): number | undefined {
  const g = (lnD: number) => lossOf(law, n, Math.exp(lnD)) - target;
  const r = brentRoot(g, 0, Math.log(1e30), { tolerance: 1e-12 });
  return r.converged ? Math.exp(r.x) : undefined;
}

export interface AllocationOptions {
  readonly constraint?: AllocationConstraint;
  /** Bootstrap samples of a fitted Chinchilla-form law, for intervals. */
  readonly samples?: ParamSamples;
  readonly level?: number;
}

/**
 * Compute-optimal or constrained allocation of a budget under a loss law (spec B.1 frontier; B.8 data-constrained;
 * inference-aware after Sardana et al. 2023, "Beyond Chinchilla-Optimal", with 2N FLOP per inference token).
 */
export function allocate(law: LossLaw, flops: number, options: AllocationOptions = {}): Allocation {
  requirePositive("flops", flops);
  if (!isTwoVariableLaw(law)) {
    throw new InputError("--law", law.id, "a law of N and D (chinchilla, epoch, datablations-c4, overtraining-c4, kaplan-nd or a fit)", `--law: ${law.id} is a one-variable law; allocation needs a law of N and D`);
  }
  const constraint = options.constraint ?? { kind: "compute-optimal" };
  let n: number;
  let d: number;
  let unique: number | undefined;
  let inference: Allocation["inference"];
  switch (constraint.kind) {
    case "compute-optimal":
      ({ n, d } = computeOptimal(law, flops));
      break;
    case "fixed-n":
      n = requirePositive("--params", constraint.n);
      d = flops / (6 * n);
      break;
    case "fixed-d":
      d = requirePositive("--tokens", constraint.d);
      n = flops / (6 * d);
      break;
    case "unique-data":
      unique = requirePositive("--unique-tokens", constraint.unique);
      ({ n, d } = computeOptimal(law, flops, unique));
      break;
    case "inference": {
      const tokens = requirePositive("--inference-tokens", constraint.tokens);
      const opt = computeOptimal(law, flops);
      const target = opt.loss;
      // Smaller models trained longer reach the same loss; search N ∈ [N_opt/1000, N_opt].
      const total = (ln: number): number => {
        const nn = Math.exp(ln);
        const dd = tokensForLoss(law, nn, target);
        return dd === undefined ? Number.POSITIVE_INFINITY : 6 * nn * dd + 2 * nn * tokens;
      };
      const lnOpt = Math.log(opt.n);
      const r = brentMinimize(total, lnOpt - Math.log(1000), lnOpt, { tolerance: 1e-9 });
      n = Math.exp(r.x);
      const dd = tokensForLoss(law, n, target);
      if (dd === undefined || !Number.isFinite(r.f)) throw new ComputationError("no model reaches the compute-optimal loss in the inference-aware search");
      d = dd;
      inference = {
        tokens,
        trainingFlops: 6 * n * d,
        inferenceFlops: 2 * n * tokens,
        totalFlops: 6 * n * d + 2 * n * tokens,
        computeOptimalTotalFlops: 6 * opt.n * opt.d + 2 * opt.n * tokens,
      };
      break;
    }
  }
  const loss = lossOf(law, n, d, unique);
  if (!Number.isFinite(loss)) throw new ComputationError(`the law ${law.id} gives no finite loss at N = ${n.toExponential(3)}, D = ${d.toExponential(3)}`);
  let result: Allocation = { constraint: constraint.kind, flops: inference ? 6 * n * d : flops, n, d, tokensPerParam: d / n, loss, ...(inference ? { inference } : {}) };
  const samples = options.samples;
  if (samples && samples.length >= 2 && (law.form === "chinchilla" || law.form === "data-constrained")) {
    const level = options.level ?? 0.95;
    const laws = samples.map(([E, A, B, alpha, beta]) => ({ ...law, E, A, B, alpha, beta }));
    result = { ...result, lossInterval: centralInterval(laws.map((l) => lossOf(l, n, d, unique)), level) };
    if (constraint.kind === "compute-optimal" && law.form === "chinchilla") {
      const opts = laws.map((l: ChinchillaParams) => chinchillaOptimum(l, flops));
      result = { ...result, nInterval: centralInterval(opts.map((o) => o.n), level), dInterval: centralInterval(opts.map((o) => o.d), level) };
    }
  }
  return result;
}
