import { ComputationError, InputError } from "../errors.ts";
import { minimizeLbfgs } from "../optimize/lbfgs.ts";
import type { ObjectiveWithGradient } from "../optimize/types.ts";
import { minOf } from "../util/extent.ts";

/** L(X) = E + A/X^α: the one-variable saturating power law (X = N, D or C). */
export interface SaturatingPowerLaw {
  readonly E: number;
  readonly A: number;
  readonly alpha: number;
}

/**
 * Σ Huber_δ(LSE(a − α ln x_i, e) − ln y_i) over [a, e, α] (α fixed when `fixedAlpha` is given), the
 * one-variable analogue of the Approach-3 objective. δ = ∞ gives least squares in log space.
 */
export function lse2Objective(lnX: Float64Array, lnY: Float64Array, delta: number, fixedAlpha?: number): ObjectiveWithGradient {
  const k = lnX.length;
  return (x, grad) => {
    const a = x[0]!;
    const e = x[1]!;
    const alpha = fixedAlpha ?? x[2]!;
    let f = 0;
    let ga = 0;
    let ge = 0;
    let gAlpha = 0;
    for (let i = 0; i < k; i++) {
      const z1 = a - alpha * lnX[i]!;
      const m = z1 > e ? z1 : e;
      const t1 = Math.exp(z1 - m);
      const t2 = Math.exp(e - m);
      const s = t1 + t2;
      const r = m + Math.log(s) - lnY[i]!;
      const ar = Math.abs(r);
      let psi: number;
      if (ar <= delta) {
        f += 0.5 * r * r;
        psi = r;
      } else {
        f += delta * (ar - 0.5 * delta);
        psi = r > 0 ? delta : -delta;
      }
      const q = psi / s;
      ga += q * t1;
      ge += q * t2;
      gAlpha -= q * t1 * lnX[i]!;
    }
    grad[0] = ga;
    grad[1] = ge;
    if (fixedAlpha === undefined) grad[2] = gAlpha;
    return f;
  };
}

export interface OneVariableFit {
  readonly law: SaturatingPowerLaw;
  readonly objective: number;
  readonly points: number;
  readonly rmsLog: number;
}

function check(xs: readonly number[], ys: readonly number[], minPoints: number): void {
  if (xs.length !== ys.length) throw new InputError("points", xs.length, "as many x values as y values");
  if (xs.length < minPoints) throw new InputError("points", xs.length, `at least ${minPoints} points`, `points: ${xs.length} are too few; this form needs at least ${minPoints}`);
  [...xs, ...ys].forEach((v, i) => {
    if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`points[${i % xs.length}]`, v, "a finite number > 0");
  });
  if (new Set(xs.map((v) => v.toPrecision(6))).size < 2) throw new InputError("points", xs[0], "two or more distinct x values", "points: every point has the same x; the exponent cannot be fitted");
}

/**
 * Fits L(X) = E + A/X^α (Huber δ on log residuals, default 1e-3 as Approach 3) by L-BFGS from a small grid of
 * starts. Used for L(N), L(D), L(C) from one-variable sweeps.
 */
export function fitSaturatingPowerLaw(
  xs: readonly number[],
  ys: readonly number[],
  options: { readonly delta?: number; readonly onProgress?: (done: number, total: number) => void } = {},
): OneVariableFit {
  check(xs, ys, 4);
  const lnX = Float64Array.from(xs, Math.log);
  const lnY = Float64Array.from(ys, Math.log);
  const fg = lse2Objective(lnX, lnY, options.delta ?? 1e-3);
  const lnXMid = lnX.reduce((s, v) => s + v, 0) / lnX.length;
  const lnYMin = minOf(lnY);
  let best: ReturnType<typeof minimizeLbfgs> | undefined;
  const alphas = [0.05, 0.2, 0.5, 1];
  const eShifts = [-2, -0.5, -0.1];
  const aShifts = [-2, 0, 2];
  const starts = alphas.length * eShifts.length * aShifts.length;
  let started = 0;
  for (const alpha of alphas)
    for (const eShift of eShifts)
      for (const aShift of aShifts) {
        // Starts centred on the data: at mid x the power term is e^{aShift} relative to the smallest loss.
        const r = minimizeLbfgs(fg, [lnYMin + aShift + alpha * lnXMid, lnYMin + eShift, alpha], { fTolerance: 1e-14, gradTolerance: 1e-12 });
        if (Number.isFinite(r.f) && (best === undefined || r.f < best.f)) best = r;
        // Each start runs over every run: a 10^5-row file takes seconds (the CLI draws progress).
        options.onProgress?.(++started, starts);
      }
  if (!best || !Number.isFinite(best.f)) throw new ComputationError("one-variable fit failed: the objective is not finite at any start");
  const law = { E: Math.exp(best.x[1]!), A: Math.exp(best.x[0]!), alpha: best.x[2]! };
  return { law, objective: best.f, points: xs.length, rmsLog: rmsLog(xs, ys, (x) => law.E + law.A / x ** law.alpha) };
}

function rmsLog(xs: readonly number[], ys: readonly number[], f: (x: number) => number): number {
  let ss = 0;
  xs.forEach((x, i) => {
    ss += (Math.log(f(x)) - Math.log(ys[i]!)) ** 2;
  });
  return Math.sqrt(ss / xs.length);
}

/** Pure power law y = (X_c/X)^α (Kaplan's form) by least squares on logs. */
export function fitPurePowerLaw(xs: readonly number[], ys: readonly number[]): { xc: number; exponent: number; rmsLog: number } {
  check(xs, ys, 2);
  const lnX = xs.map(Math.log);
  const lnY = ys.map(Math.log);
  const mx = lnX.reduce((s, v) => s + v, 0) / lnX.length;
  const my = lnY.reduce((s, v) => s + v, 0) / lnY.length;
  let sxx = 0;
  let sxy = 0;
  lnX.forEach((v, i) => {
    sxx += (v - mx) ** 2;
    sxy += (v - mx) * (lnY[i]! - my);
  });
  const slope = sxy / sxx; // ln y = α ln X_c − α ln X
  const exponent = -slope;
  const xc = Math.exp((my - slope * mx) / exponent);
  return { xc, exponent, rmsLog: rmsLog(xs, ys, (x) => (xc / x) ** exponent) };
}

export interface CriticalBatchFit {
  /** Minimum steps to the target loss (infinitely large batch). */
  readonly sMin: number;
  /** Minimum examples (or tokens, in the batch's unit) to the target (infinitely small batch). */
  readonly eMin: number;
  /** McCandlish critical batch B_crit = E_min/S_min (spec B.4). */
  readonly bCrit: number;
  readonly rmsLog: number;
}

/**
 * S(B) = S_min + E_min/B fitted to steps-to-target vs batch size, least squares in log space (Zhang et al. 2024,
 * spec B.7; equivalent to McCandlish's S = S_min(1 + B_crit/B)). ln S = LSE(ln S_min, ln E_min − ln B).
 */
export function fitCriticalBatch(batch: readonly number[], steps: readonly number[]): CriticalBatchFit {
  check(batch, steps, 3);
  const lnB = Float64Array.from(batch, Math.log);
  const lnS = Float64Array.from(steps, Math.log);
  const fg = lse2Objective(lnB, lnS, Number.POSITIVE_INFINITY, 1);
  // Start: S_min ≈ the smallest steps, E_min ≈ B·S at the smallest batch.
  const iMin = batch.indexOf(minOf(batch));
  const start = [Math.log(batch[iMin]! * steps[iMin]!), Math.log(minOf(steps))];
  const r = minimizeLbfgs(fg, start, { fTolerance: 1e-15, gradTolerance: 1e-13 });
  if (!r.converged && r.gradNorm > 1e-8) throw new ComputationError(`critical-batch fit did not converge (${r.reason})`);
  const sMin = Math.exp(r.x[1]!);
  const eMin = Math.exp(r.x[0]!);
  return { sMin, eMin, bCrit: eMin / sMin, rmsLog: rmsLog(batch, steps, (b) => sMin + eMin / b) };
}
