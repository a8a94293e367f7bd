// The LR-annealing ("momentum") law of Tissue et al. 2024 (arXiv 2408.11029; spec §C.1):
//   L(s) = L0 + A·S1(s)^(−α) − C·S2(s),  S1 = Σ η (forward area), S2 = Σ m_i, m_i = λ·m_{i−1} + (η_{i−1} − η_i)
// λ = 0.999 by default (the value most reproductions use; spec §C.1 marks the paper's range unverified).
// Fitted like the MPL: Σ Huber_{δ=1e-3}(ln L − ln L̂) over every logged point; start from variable projection
// (the law is linear in L0, A, C for fixed α), then L-BFGS on [L0, ln A, α, C].
import { fitByVariableProjection } from "./variable-projection.ts";
import { ComputationError, InputError } from "../errors.ts";
import { minimizeLbfgs } from "../optimize/lbfgs.ts";
import { annealingArea, lrArea } from "../schedule/integrals.ts";
import { requirePositiveLr, type LossCurve } from "./curve.ts";
import { minOf } from "../util/extent.ts";

export interface MomentumParams {
  readonly L0: number;
  readonly A: number;
  readonly alpha: number;
  readonly C: number;
  /** λ, the momentum decay of S2. */
  readonly decay: number;
}

export const DEFAULT_MOMENTUM_DECAY = 0.999;

export function momentumPredict(p: MomentumParams, lr: ArrayLike<number>, steps: readonly number[]): number[] {
  const at = momentumAt(p, lr);
  return steps.map(at);
}

/** L̂(t) for any step t of the LR array (S1 and S2 computed once for the whole array). */
export function momentumAt(p: MomentumParams, lr: ArrayLike<number>): (t: number) => number {
  const s1 = lrArea(lr);
  const s2 = annealingArea(lr, p.decay);
  return (t) => p.L0 + p.A * Math.pow(s1[t]!, -p.alpha) - p.C * s2[t]!;
}

export interface MomentumFitResult {
  readonly law: "momentum";
  readonly params: MomentumParams;
  readonly objective: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly reason: string;
  readonly curves: readonly string[];
  readonly points: number;
}

export function fitMomentum(curves: readonly LossCurve[], decay = DEFAULT_MOMENTUM_DECAY, delta = 1e-3): MomentumFitResult {
  if (!(decay > 0 && decay < 1)) throw new InputError("decay", decay, "a number in (0, 1)");
  const rows: Array<{ s1: number; s2: number; lnL: number; loss: number }> = [];
  for (const c of curves) {
    requirePositiveLr(c);
    const s1 = lrArea(c.lr);
    const s2 = annealingArea(c.lr, decay);
    for (const p of c.points) {
      if (!(s1[p.step]! > 0)) throw new InputError(`${c.name}: step`, p.step, "logged steps with a positive LR area");
      rows.push({ s1: s1[p.step]!, s2: s2[p.step]!, lnL: Math.log(p.loss), loss: p.loss });
    }
  }
  if (rows.length < 5) throw new InputError("curves", rows.length, "at least 5 logged losses in total to fit 4 parameters");
  // Variable projection start: least squares in (L0, A, C) for each α on a grid.
  const init = fitByVariableProjection(rows.map((r) => ({ x: r.s1, y: r.s2, loss: r.loss })));
  const start = init ? [init.L0, Math.log(init.A), init.alpha, init.B] : [minOf(rows.map((r) => r.loss)), 0, 0.5, 0];
  const fg = (x: Float64Array, g: Float64Array): number => {
    const [L0, lnA, alpha, C] = [x[0]!, x[1]!, x[2]!, x[3]!];
    const A = Math.exp(lnA);
    g.fill(0);
    let f = 0;
    for (const r of rows) {
      const pw = A * Math.exp(-alpha * Math.log(r.s1));
      const pred = L0 + pw - C * r.s2;
      if (!(pred > 0)) return Number.POSITIVE_INFINITY;
      const res = r.lnL - Math.log(pred);
      const a = Math.abs(res);
      f += a <= delta ? 0.5 * res * res : delta * (a - 0.5 * delta);
      const k = -(a <= delta ? res : delta * Math.sign(res)) / pred;
      g[0]! += k;
      g[1]! += k * pw;
      g[2]! += k * -pw * Math.log(r.s1);
      g[3]! += k * -r.s2;
    }
    return f;
  };
  const r = minimizeLbfgs(fg, start);
  if (!Number.isFinite(r.f)) throw new ComputationError("the momentum-law fit found no finite objective");
  return {
    law: "momentum",
    params: { L0: r.x[0]!, A: Math.exp(r.x[1]!), alpha: r.x[2]!, C: r.x[3]!, decay },
    objective: r.f,
    iterations: r.iterations,
    evaluations: r.evaluations,
    converged: r.converged,
    reason: r.reason,
    curves: curves.map((c) => c.name),
    points: rows.length,
  };
}

