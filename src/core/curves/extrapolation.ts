// Does a prediction leave the region a curve law was fitted on? The laws are fitted on a few curves at one peak
// LR; predicting 8× past the last fitted step, or at LRs the fit never saw, is extrapolation (issue 14).
import type { LossCurve } from "./curve.ts";
import type { CurveLawDomain } from "./presets.ts";

/** Relative slack so that the fitted curves themselves (rounded LRs, the fitted last step) never warn. */
const DOMAIN_SLACK = 1e-6;

/** The domain of a fit: last logged step, LR range after each curve's peak (issue 14 extrapolation warnings). */
export function curveDomain(curves: readonly LossCurve[]): CurveLawDomain {
  let maxStep = 0;
  let minLr = Number.POSITIVE_INFINITY;
  let maxLr = 0;
  for (const c of curves) {
    const last = c.points.length > 0 ? c.points[c.points.length - 1]!.step : c.lr.length - 1;
    maxStep = Math.max(maxStep, last);
    const { peak, peakStep } = lrPeak(c.lr, last);
    maxLr = Math.max(maxLr, peak);
    for (let s = peakStep; s <= last; s++) minLr = Math.min(minLr, c.lr[s]!);
  }
  return { maxStep, minLr: Number.isFinite(minLr) ? minLr : maxLr, maxLr };
}

function lrPeak(lr: ArrayLike<number>, last: number): { peak: number; peakStep: number } {
  let peak = 0;
  let peakStep = 0;
  for (let s = 0; s <= last && s < lr.length; s++) {
    if (lr[s]! > peak) {
      peak = lr[s]!;
      peakStep = s;
    }
  }
  return { peak, peakStep };
}

/** One way a prediction leaves the fitted domain: how far (value) against the domain's limit. */
export interface Extrapolation {
  readonly kind: "horizon" | "lr-above" | "lr-below";
  readonly value: number;
  readonly limit: number;
}

/**
 * How predicting `lr` up to `lastStep` extrapolates beyond `domain` (empty when it does not): past the horizon,
 * above the highest LR, or below the lowest post-peak LR the fit saw.
 */
export function extrapolations(domain: CurveLawDomain, lr: ArrayLike<number>, lastStep: number): Extrapolation[] {
  const out: Extrapolation[] = [];
  if (lastStep > domain.maxStep * (1 + DOMAIN_SLACK)) out.push({ kind: "horizon", value: lastStep, limit: domain.maxStep });
  const { peak, peakStep } = lrPeak(lr, lastStep);
  if (peak > domain.maxLr * (1 + DOMAIN_SLACK)) out.push({ kind: "lr-above", value: peak, limit: domain.maxLr });
  let low = Number.POSITIVE_INFINITY;
  for (let s = peakStep; s <= lastStep && s < lr.length; s++) low = Math.min(low, lr[s]!);
  if (low < domain.minLr * (1 - DOMAIN_SLACK)) out.push({ kind: "lr-below", value: low, limit: domain.minLr });
  return out;
}

/** The worst extrapolation of each kind among many predictions (one warning for a whole study). */
export function worstExtrapolations(all: readonly Extrapolation[]): Extrapolation[] {
  const worst = new Map<Extrapolation["kind"], Extrapolation>();
  for (const e of all) {
    const w = worst.get(e.kind);
    const further = e.kind === "lr-below" ? (w?.value ?? Infinity) > e.value : (w?.value ?? -Infinity) < e.value;
    if (further) worst.set(e.kind, e);
  }
  return [...worst.values()];
}

function describe(e: Extrapolation): string {
  switch (e.kind) {
    case "horizon":
      return `step ${e.value} is ${(e.value / e.limit).toFixed(1)}× the fitted horizon (${e.limit} steps)`;
    case "lr-above":
      return `peak LR ${fmt(e.value)} is above the fitted range (max ${fmt(e.limit)})`;
    case "lr-below":
      return `LR falls to ${fmt(e.value)}, below the fitted range (min ${fmt(e.limit)} after the peak)`;
  }
}

/** One warning line for stderr, or null when nothing extrapolates. */
export function extrapolationWarning(found: readonly Extrapolation[], what: string): string | null {
  return found.length === 0 ? null : `warning: ${what} extrapolates the fitted law: ${found.map(describe).join("; ")}`;
}

function fmt(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
