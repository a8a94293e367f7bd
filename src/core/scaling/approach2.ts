import { ComputationError, InputError } from "../errors.ts";
import { BOOTSTRAP_RESAMPLES, requireWithinBound } from "../config/bounds.ts";
import { seededRandom } from "../util/random.ts";
import type { RunPoint } from "./approach3.ts";
import { linearFit, quadraticFit } from "./linear-regression.ts";
import { centralInterval } from "./percentile.ts";
import { maxOf, minOf } from "../util/extent.ts";

export interface IsoFlopProfile {
  /** Median C = 6ND of the profile's runs (FLOP). */
  readonly flops: number;
  readonly runs: number;
  /** Parabola L = p0 + p1·ln N + p2·(ln N)² (Hoffmann et al. 2022 §3.2). */
  readonly parabola: [number, number, number];
  readonly nOpt: number;
  readonly dOpt: number;
  readonly lossAtOpt: number;
  /** True when the vertex lies outside the sampled N range (an extrapolated optimum; less trustworthy). */
  readonly extrapolated: boolean;
  readonly nRange: [number, number];
}

export interface Approach2Fit {
  readonly profiles: readonly IsoFlopProfile[];
  /** N_opt = kN·C^a, D_opt = kD·C^b (b = 1 − a because D_opt = C/(6N_opt)). */
  readonly a: number;
  readonly b: number;
  readonly kN: number;
  readonly kD: number;
  readonly intervals?: { readonly a: [number, number]; readonly b: [number, number] };
  readonly bootstrap?: { readonly resamples: number; readonly seed: number; readonly level: number; readonly failed: number; readonly samples: ReadonlyArray<readonly [number, number]> };
}

export interface Approach2Options {
  /** Runs whose C = 6ND lie within this many decades of a profile's first (smallest) C share a profile. */
  readonly groupTolerance?: number;
  readonly bootstrap?: number;
  readonly seed?: number;
  readonly level?: number;
}

/** Groups runs into IsoFLOP profiles by C = 6ND (sorted; a new profile starts beyond `tol` decades). */
export function groupIsoFlop(points: readonly RunPoint[], tol: number): RunPoint[][] {
  const sorted = [...points].sort((p, q) => p.n * p.d - q.n * q.d);
  const groups: RunPoint[][] = [];
  let first = Number.NaN;
  for (const p of sorted) {
    const lc = Math.log10(6 * p.n * p.d);
    if (!(lc - first <= tol)) {
      groups.push([]);
      first = lc;
    }
    groups[groups.length - 1]!.push(p);
  }
  return groups;
}

function profileOf(group: readonly RunPoint[]): IsoFlopProfile | undefined {
  const lnN = group.map((p) => Math.log(p.n));
  if (new Set(lnN.map((v) => v.toFixed(6))).size < 3) return undefined;
  const parabola = quadraticFit(lnN, group.map((p) => p.loss));
  const [p0, p1, p2] = parabola;
  if (!(p2 > 0)) return undefined;
  const x = -p1 / (2 * p2);
  const flopsSorted = group.map((p) => 6 * p.n * p.d).sort((u, v) => u - v);
  const flops = flopsSorted[Math.floor(flopsSorted.length / 2)]!;
  const nOpt = Math.exp(x);
  const lo = minOf(lnN);
  const hi = maxOf(lnN);
  return { flops, runs: group.length, parabola, nOpt, dOpt: flops / (6 * nOpt), lossAtOpt: p0 + p1 * x + p2 * x * x, extrapolated: x < lo || x > hi, nRange: [Math.exp(lo), Math.exp(hi)] };
}

function frontierOf(profiles: readonly IsoFlopProfile[]): { a: number; kN: number } {
  const { slope, intercept } = linearFit(profiles.map((p) => Math.log(p.flops)), profiles.map((p) => Math.log(p.nOpt)));
  return { a: slope, kN: Math.exp(intercept) };
}

/**
 * Chinchilla Approach 2 (Hoffmann et al. 2022 §3.2): per compute budget, a parabola of loss in ln N; its vertex is
 * N_opt(C); then log-log regressions give N_opt ∝ C^a and D_opt ∝ C^b. Bootstrap: resample runs within each
 * profile. Caveat (spec B.1): the parabola is biased when the N grid is wide, off-centre, or α ≠ β.
 */
export function fitApproach2(points: readonly RunPoint[], options: Approach2Options = {}): Approach2Fit {
  const resamples = requireWithinBound("bootstrap", options.bootstrap ?? 0, BOOTSTRAP_RESAMPLES);
  const tol = options.groupTolerance ?? 0.05;
  const groups = groupIsoFlop(points, tol).filter((g) => g.length >= 3);
  const profiles = groups.map(profileOf).filter((p): p is IsoFlopProfile => p !== undefined);
  if (profiles.length < 2) {
    throw new InputError(
      "points",
      points.length,
      "runs at two or more compute budgets with three or more model sizes each",
      `points: Approach 2 needs at least 2 IsoFLOP profiles (runs with C = 6ND within ${tol} decades, ≥ 3 model sizes, loss convex in ln N); found ${profiles.length}`,
    );
  }
  const { a, kN } = frontierOf(profiles);
  let fit: Approach2Fit = { profiles, a, b: 1 - a, kN, kD: 1 / (6 * kN) };
  if (resamples > 0) {
    const random = seededRandom(options.seed ?? 1);
    const level = options.level ?? 0.95;
    const samples: Array<[number, number]> = [];
    let failed = 0;
    const used = groups.filter((g) => profileOf(g) !== undefined);
    for (let j = 0; j < resamples; j++) {
      const ps: IsoFlopProfile[] = [];
      for (const g of used) {
        const re = g.map(() => g[Math.min(g.length - 1, Math.floor(random() * g.length))]!);
        const p = profileOf(re);
        if (p) ps.push(p);
      }
      if (ps.length < 2) {
        failed++;
        continue;
      }
      const f = frontierOf(ps);
      samples.push([f.a, 1 - f.a]);
    }
    if (samples.length < 2) throw new ComputationError(`Approach 2 bootstrap failed: ${failed} of ${resamples} resamples had degenerate profiles`);
    fit = {
      ...fit,
      intervals: { a: centralInterval(samples.map((s) => s[0]), level), b: centralInterval(samples.map((s) => s[1]), level) },
      bootstrap: { resamples, seed: options.seed ?? 1, level, failed, samples },
    };
  }
  return fit;
}
