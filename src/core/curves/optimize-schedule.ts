// Schedule optimisation with the Multi-Power Law (Luo et al. 2025 §5; spec §C.2): the non-increasing LR
// schedule, after a fixed warmup and starting at the peak, that minimises the predicted loss at the last step.
//
// Parametrisation (ours): K knots at post-warmup positions q_j = 1 − (1 − j/K)² of the run (denser near the end,
// where the decay happens), values v_j = peak·exp(−Σ_{i≤j} e^{z_i}) — non-increasing and positive for any z — and
// linear interpolation between knots. The final loss is evaluated exactly (O(T) for one step) with an analytic
// gradient w.r.t. every per-step LR, chained to z, and minimised with the shared L-BFGS.
import { ComputationError, InputError } from "../errors.ts";
import { OPTIMIZE_STEPS, PEAK_LR, requireWithinBound } from "../config/bounds.ts";
import { minimizeLbfgs } from "../optimize/lbfgs.ts";
import { scheduleLrArray } from "../schedule/generators.ts";
import type { Schedule, WarmupSpec } from "../schedule/types.ts";
import { formatScheduleSpec } from "../schedule/spec.ts";
import type { MplParams } from "./multi-power-law.ts";

/** Predicted loss at the last step of `lr` and (optionally) ∂L/∂η_s for every step. Exact O(T). */
export function mplFinalLoss(p: MplParams, lr: ArrayLike<number>, grad?: Float64Array): number {
  const t = lr.length - 1;
  const { L0, A, alpha, B, C, beta, gamma } = p;
  // Suffix sums S_k = Σ_{τ=k}^{t} η_τ.
  const suffix = new Float64Array(t + 2);
  for (let k = t; k >= 0; k--) suffix[k] = suffix[k + 1]! + lr[k]!;
  const area = suffix[0]!;
  const G = new Float64Array(t + 1);
  const dx = new Float64Array(t + 1); // g_k·G'(x_k)
  let ld = 0;
  for (let k = 1; k <= t; k++) {
    const eta = lr[k]!;
    const x = Math.pow(eta, -gamma) * suffix[k]!;
    const u = 1 + C * x;
    const pw = Math.pow(u, -beta);
    G[k] = 1 - pw;
    const g = lr[k - 1]! - eta;
    ld += g * G[k]!;
    dx[k] = (g * beta * C * pw) / u;
  }
  const loss = L0 + A * Math.pow(area, -alpha) - B * ld;
  if (grad) {
    const dArea = -alpha * A * Math.pow(area, -alpha - 1);
    let prefix = 0; // Σ_{k=1}^{j} g_k G'_k η_k^(−γ): every S_k with k ≤ j contains η_j
    for (let j = 0; j <= t; j++) {
      let dLd = 0;
      if (j + 1 <= t) dLd += G[j + 1]!;
      if (j >= 1) {
        const eta = lr[j]!;
        const etaPow = Math.pow(eta, -gamma);
        dLd -= G[j]!;
        dLd += dx[j]! * -gamma * (etaPow / eta) * suffix[j]!;
        prefix += dx[j]! * etaPow;
      }
      dLd += prefix;
      grad[j] = dArea - B * dLd;
    }
  }
  return loss;
}

export interface OptimizeScheduleOptions {
  readonly steps: number;
  readonly peak: number;
  readonly warmup: WarmupSpec;
  readonly knots?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface OptimizedSchedule {
  readonly lr: number[];
  readonly finalLoss: number;
  readonly baselines: ReadonlyArray<{ name: string; spec: string; lr: number[]; finalLoss: number }>;
  readonly iterations: number;
  readonly converged: boolean;
}

export function optimizeSchedule(p: MplParams, o: OptimizeScheduleOptions): OptimizedSchedule {
  const T = requireWithinBound("steps", o.steps, OPTIMIZE_STEPS);
  requireWithinBound("peak", o.peak, PEAK_LR);
  const W = o.warmup.steps;
  if (!(W < T - 2)) throw new InputError("warmup", W, `fewer warmup steps than the run minus 2 (steps = ${T})`);
  const K = o.knots ?? 48;
  if (!(K >= 2 && K <= T - W - 1)) throw new InputError("knots", K, `a whole number in [2, ${T - W - 1}]`);
  const warm = scheduleLrArray({ kind: "constant", steps: T, peak: o.peak, warmup: o.warmup }, W);
  if (T > 1 && W > 1) for (let s = 1; s < W; s++) if (!(warm[s]! > 0)) throw new InputError("warmup", W, "a warmup whose LR is > 0 after step 0");
  const pos = Array.from({ length: K + 1 }, (_, j) => W + (T - 1 - W) * (1 - (1 - j / K) ** 2));
  const lr = new Float64Array(T);
  lr.set(warm);
  const v = new Float64Array(K + 1);
  const dLdEta = new Float64Array(T);
  const dv = new Float64Array(K + 1);
  const build = (z: ArrayLike<number>) => {
    let c = 0;
    v[0] = o.peak;
    for (let j = 1; j <= K; j++) {
      c += Math.exp(z[j - 1]!);
      v[j] = o.peak * Math.exp(-c);
    }
    let j = 1;
    for (let s = W; s < T; s++) {
      while (j < K && s > pos[j]!) j++;
      const th = Math.min(1, Math.max(0, (s - pos[j - 1]!) / (pos[j]! - pos[j - 1]!)));
      lr[s] = v[j - 1]! * (1 - th) + v[j]! * th;
    }
  };
  const fg = (z: Float64Array, g: Float64Array): number => {
    build(z);
    const f = mplFinalLoss(p, lr, dLdEta);
    dv.fill(0);
    let j = 1;
    for (let s = W; s < T; s++) {
      while (j < K && s > pos[j]!) j++;
      const th = Math.min(1, Math.max(0, (s - pos[j - 1]!) / (pos[j]! - pos[j - 1]!)));
      dv[j - 1]! += dLdEta[s]! * (1 - th);
      dv[j]! += dLdEta[s]! * th;
    }
    // v_j = peak·exp(−Σ_{i≤j} e^{z_i}) ⇒ ∂f/∂z_i = −e^{z_i} Σ_{j≥i} ∂f/∂v_j · v_j.
    let acc = 0;
    for (let i = K; i >= 1; i--) {
      acc += dv[i]! * v[i]!;
      g[i - 1] = -Math.exp(z[i - 1]!) * acc;
    }
    return f;
  };
  // Start: a geometric decay to 10 % of the peak spread over the knots.
  const z0 = new Array<number>(K).fill(Math.log(Math.log(10) / K));
  // Progress per evaluation (each is O(steps)), out of the evaluation limit: a long run shows a progress line.
  const maxEvaluations = 6000;
  let evaluations = 0;
  const fgWithProgress = (z: Float64Array, g: Float64Array): number => {
    o.onProgress?.(++evaluations, maxEvaluations);
    return fg(z, g);
  };
  const result = minimizeLbfgs(fgWithProgress, z0, { maxIterations: 3000, maxEvaluations });
  o.onProgress?.(1, 1);
  if (!Number.isFinite(result.f)) throw new ComputationError("schedule optimisation found no finite predicted loss");
  build(result.x);
  const best = Array.from(lr);
  const finalLoss = mplFinalLoss(p, best);
  const baseSpecs: Array<[string, Schedule]> = [
    ["cosine to 10 %", { kind: "cosine", steps: T, peak: o.peak, warmup: o.warmup, final: 0.1 }],
    ["cosine to 0", { kind: "cosine", steps: T, peak: o.peak, warmup: o.warmup, final: 0 }],
    ["WSD 20 % linear to 0", { kind: "wsd", steps: T, peak: o.peak, warmup: o.warmup, cooldownSteps: Math.floor(0.2 * T), shape: "linear", final: 0 }],
    ["WSD 20 % 1-sqrt to 0", { kind: "wsd", steps: T, peak: o.peak, warmup: o.warmup, cooldownSteps: Math.floor(0.2 * T), shape: "sqrt", final: 0 }],
  ];
  const baselines = baseSpecs.map(([name, s]) => {
    const b = Array.from(scheduleLrArray(s, T));
    return { name, spec: formatScheduleSpec(s), lr: b, finalLoss: mplFinalLoss(p, b) };
  });
  return { lr: best, finalLoss, baselines, iterations: result.iterations, converged: result.converged };
}
