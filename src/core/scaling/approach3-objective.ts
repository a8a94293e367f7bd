import type { ObjectiveWithGradient } from "../optimize/types.ts";
import { approach3KernelObjective } from "./approach3-kernel.ts";

/**
 * Data of a Chinchilla-form fit, pre-logged once: every objective evaluation then costs two exp and one log
 * per point (log-sum-exp of three terms) and allocates nothing.
 */
export interface LogData {
  readonly logN: Float64Array;
  readonly logD: Float64Array;
  readonly logL: Float64Array;
}

export function toLogData(points: ReadonlyArray<{ readonly n: number; readonly d: number; readonly loss: number }>): LogData {
  const k = points.length;
  const logN = new Float64Array(k);
  const logD = new Float64Array(k);
  const logL = new Float64Array(k);
  points.forEach((p, i) => {
    logN[i] = Math.log(p.n);
    logD[i] = Math.log(p.d);
    logL[i] = Math.log(p.loss);
  });
  return { logN, logD, logL };
}

/** Parameter vector order of the Approach-3 objective: x = [a, b, e, α, β] with A = eᵃ, B = eᵇ, E = eᵉ. */
export const A3_INDEX = { a: 0, b: 1, e: 2, alpha: 3, beta: 4 } as const;

/**
 * Σ_i w_i · Huber_δ(LSE(a − α ln N_i, b − β ln D_i, e) − ln L_i) and its analytic gradient (spec B.1):
 * with softmax weights s = softmax(z) and ψ = Huber'(r): ∂/∂a = ψ s₁, ∂/∂α = −ψ s₁ ln N, ∂/∂b = ψ s₂,
 * ∂/∂β = −ψ s₂ ln D, ∂/∂e = ψ s₃. The Huber terms are SUMMED, not averaged (Besiroglu et al. 2024 traced the
 * original fit's early stop to averaging). `weights` (multiplicities, e.g. bootstrap counts) default to 1 and
 * are read at every call. Evaluated by the WebAssembly SIMD kernel (approach3-kernel.ts) where available.
 */
export function approach3Objective(data: LogData, delta: number, weights?: Float64Array): ObjectiveWithGradient {
  const scalar = approach3ObjectiveScalar(data, delta, weights);
  return approach3KernelObjective(data, delta, weights, scalar) ?? scalar;
}

/**
 * The same objective in plain JavaScript, one point at a time, with the log-sum-exp factored by its largest term
 * (stable for any finite argument). The reference for the kernel, and its fallback outside the kernel's range.
 */
export function approach3ObjectiveScalar(data: LogData, delta: number, weights?: Float64Array): ObjectiveWithGradient {
  const { logN, logD, logL } = data;
  const k = logN.length;
  return (x, grad) => {
    const a = x[0]!;
    const b = x[1]!;
    const e = x[2]!;
    const alpha = x[3]!;
    const beta = x[4]!;
    let f = 0;
    let ga = 0;
    let gb = 0;
    let ge = 0;
    let gAlpha = 0;
    let gBeta = 0;
    for (let i = 0; i < k; i++) {
      const w = weights === undefined ? 1 : weights[i]!;
      if (w === 0) continue;
      const ln = logN[i]!;
      const ld = logD[i]!;
      const z1 = a - alpha * ln;
      const z2 = b - beta * ld;
      // Log-sum-exp with the largest term factored out (stable for any start of the grid).
      // The largest term is exp(0) = 1 exactly, so only two exp calls are needed per point.
      let t1: number;
      let t2: number;
      let t3: number;
      let m: number;
      if (z1 >= z2 && z1 >= e) {
        m = z1;
        t1 = 1;
        t2 = Math.exp(z2 - m);
        t3 = Math.exp(e - m);
      } else if (z2 >= e) {
        m = z2;
        t1 = Math.exp(z1 - m);
        t2 = 1;
        t3 = Math.exp(e - m);
      } else {
        m = e;
        t1 = Math.exp(z1 - m);
        t2 = Math.exp(z2 - m);
        t3 = 1;
      }
      const s = t1 + t2 + t3;
      const r = m + Math.log(s) - logL[i]!;
      const ar = r < 0 ? -r : r;
      let psi: number;
      if (ar <= delta) {
        f += w * 0.5 * r * r;
        psi = w * r;
      } else {
        f += w * delta * (ar - 0.5 * delta);
        psi = r > 0 ? w * delta : -w * delta;
      }
      const q = psi / s;
      const p1 = q * t1;
      const p2 = q * t2;
      ga += p1;
      gb += p2;
      ge += q * t3;
      gAlpha -= p1 * ln;
      gBeta -= p2 * ld;
    }
    grad[0] = ga;
    grad[1] = gb;
    grad[2] = ge;
    grad[3] = gAlpha;
    grad[4] = gBeta;
    return f;
  };
}
