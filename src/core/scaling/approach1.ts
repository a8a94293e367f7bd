import { InputError } from "../errors.ts";
import { BOOTSTRAP_RESAMPLES, requireWithinBound } from "../config/bounds.ts";
import { seededRandom } from "../util/random.ts";
import { linearFit } from "./linear-regression.ts";
import { centralInterval } from "./percentile.ts";
import { maxOf, minOf } from "../util/extent.ts";

/** One point of a training curve: the run it belongs to, its model size, tokens seen so far, loss there. */
export interface CurvePoint {
  readonly run: string;
  readonly n: number;
  readonly d: number;
  readonly loss: number;
}

export interface Approach1Fit {
  /** The lower envelope used in the regression: at each C the run with the lowest (interpolated) loss. */
  readonly envelope: ReadonlyArray<{ readonly flops: number; readonly n: number; readonly d: number; readonly loss: number; readonly run: string }>;
  readonly a: number;
  readonly b: number;
  readonly kN: number;
  readonly runs: number;
  readonly intervals?: { readonly a: [number, number]; readonly b: [number, number] };
}

export interface Approach1Options {
  /** Log-spaced FLOP values where the envelope is taken (Hoffmann et al. used 1,500). */
  readonly grid?: number;
  readonly bootstrap?: number;
  readonly seed?: number;
  readonly level?: number;
}

interface Curve {
  readonly run: string;
  readonly n: number;
  readonly lnC: Float64Array;
  readonly loss: Float64Array;
}

function curvesOf(points: readonly CurvePoint[]): Curve[] {
  const byRun = new Map<string, CurvePoint[]>();
  for (const p of points) {
    const list = byRun.get(p.run) ?? [];
    list.push(p);
    byRun.set(p.run, list);
  }
  const curves: Curve[] = [];
  for (const [run, list] of byRun) {
    if (list.length < 2) continue;
    list.sort((p, q) => p.d - q.d);
    const n = list[0]!.n;
    if (list.some((p) => p.n !== n)) throw new InputError(`run ${run}`, "several model sizes", "one N per run");
    curves.push({ run, n, lnC: Float64Array.from(list, (p) => Math.log(6 * p.n * p.d)), loss: Float64Array.from(list, (p) => p.loss) });
  }
  return curves;
}

function lossAt(c: Curve, lnC: number): number | undefined {
  const x = c.lnC;
  if (lnC < x[0]! || lnC > x[x.length - 1]!) return undefined;
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= lnC) lo = mid;
    else hi = mid;
  }
  const t = x[hi]! === x[lo]! ? 0 : (lnC - x[lo]!) / (x[hi]! - x[lo]!);
  return c.loss[lo]! + t * (c.loss[hi]! - c.loss[lo]!);
}

function envelopeOf(curves: readonly Curve[], grid: number): Approach1Fit["envelope"] {
  const lo = minOf(curves.map((c) => c.lnC[0]!));
  const hi = maxOf(curves.map((c) => c.lnC[c.lnC.length - 1]!));
  const out: Array<Approach1Fit["envelope"][number]> = [];
  for (let k = 0; k < grid; k++) {
    const lnC = lo + ((hi - lo) * k) / (grid - 1);
    let best: { loss: number; c: Curve } | undefined;
    for (const c of curves) {
      const l = lossAt(c, lnC);
      if (l !== undefined && (best === undefined || l < best.loss)) best = { loss: l, c };
    }
    if (best) {
      const flops = Math.exp(lnC);
      out.push({ flops, n: best.c.n, d: flops / (6 * best.c.n), loss: best.loss, run: best.c.run });
    }
  }
  return out;
}

/**
 * Chinchilla Approach 1 (Hoffmann et al. 2022 §3.1): from training curves of several model sizes, the lower
 * envelope of loss vs C = 6ND (linear interpolation in ln C) at log-spaced budgets (budgets won by the smallest or
 * largest model are dropped: their optimum may lie outside the sampled sizes), then N_opt ∝ C^a by log-log
 * regression on the envelope; b = 1 − a. Curves should be smoothed and come from runs whose LR schedule matches
 * their length (spec B.10). Bootstrap resamples whole runs.
 */
export function fitApproach1(points: readonly CurvePoint[], options: Approach1Options = {}): Approach1Fit {
  const resamples = requireWithinBound("bootstrap", options.bootstrap ?? 0, BOOTSTRAP_RESAMPLES);
  const curves = curvesOf(points);
  if (new Set(curves.map((c) => c.n)).size < 2) {
    throw new InputError("points", curves.length, "training curves (≥ 2 points each) of two or more model sizes", "points: Approach 1 needs per-step curves (a run column) of at least two model sizes");
  }
  const grid = options.grid ?? 1500;
  const fitEnvelope = (cs: readonly Curve[]) => {
    // Where the smallest or largest model wins, the true optimum may lie outside the sampled sizes (the envelope
    // saturates and flattens the slope), so those budgets are left out of the regression when others remain.
    const nMin = minOf(cs.map((c) => c.n));
    const nMax = maxOf(cs.map((c) => c.n));
    const all = envelopeOf(cs, grid);
    const interior = all.filter((e) => e.n !== nMin && e.n !== nMax);
    const env = new Set(interior.map((e) => e.n)).size >= 2 ? interior : all;
    const { slope, intercept } = linearFit(env.map((e) => Math.log(e.flops)), env.map((e) => Math.log(e.n)));
    return { env, a: slope, kN: Math.exp(intercept) };
  };
  const main = fitEnvelope(curves);
  let fit: Approach1Fit = { envelope: main.env, a: main.a, b: 1 - main.a, kN: main.kN, runs: curves.length };
  if (resamples > 0) {
    const random = seededRandom(options.seed ?? 1);
    const as: number[] = [];
    for (let j = 0; j < resamples; j++) {
      const cs = curves.map(() => curves[Math.min(curves.length - 1, Math.floor(random() * curves.length))]!);
      if (new Set(cs.map((c) => c.n)).size < 2) continue;
      const r = fitEnvelope(cs);
      if (Number.isFinite(r.a)) as.push(r.a);
    }
    const level = options.level ?? 0.95;
    if (as.length >= 2) fit = { ...fit, intervals: { a: centralInterval(as, level), b: centralInterval(as.map((a) => 1 - a), level) } };
  }
  return fit;
}
