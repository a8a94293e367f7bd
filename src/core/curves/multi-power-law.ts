// The Multi-Power Law (Luo et al. 2025, arXiv 2503.12811; spec §C.2):
//   L(t) = L0 + A·S1(t)^(−α) − LD(t)
//   LD(t) = B·Σ_{k=1}^{t} (η_{k−1} − η_k)·G(η_k^(−γ)·S_k(t)),  S_k(t) = Σ_{τ=k}^{t} η_τ,  G(x) = 1 − (C·x + 1)^(−β)
// with the official implementation's semantics (spec §C.2 "[code]"): S1 is the cumulative sum of the per-step LR
// array from step 0 including warmup, and the LD sum runs over every step k ≥ 1 including warmup.
//
// Speed: the exact LD(t) costs O(t) per step, O(T²) per curve. Gaps far from t enter through a G that varies
// slowly in k, so we sum them in blocks whose width grows with the distance d = t − k (width ≈ d/R, exact for
// d < R), each block at its gap-weighted centre. Blocks never straddle a sign change of the gaps or a run of
// zero gaps (skipped in O(1)), so steps, jumps and warmups stay exact. Error vs the exact sum is tested (≤ 1e-5
// nats at R = 32). Cost per step: O(R·log(t/R)).

export interface MplParams {
  readonly L0: number;
  readonly A: number;
  readonly alpha: number;
  readonly B: number;
  readonly C: number;
  readonly beta: number;
  readonly gamma: number;
}

/** Per-step arrays a curve's LD blocks are built from. */
export interface LrTables {
  readonly eta: Float64Array;
  /** P[i] = Σ_{τ=0}^{i} η_τ. */
  readonly area: Float64Array;
  /** Q[k] = Σ_{i=1}^{k} g_i·i with g_i = η_{i−1} − η_i (for gap-weighted block centres). */
  readonly moment: Float64Array;
  /** First step of the run of equal-sign gaps containing k (k ≥ 1). */
  readonly segStart: Int32Array;
  readonly sign: Int8Array;
}

export function lrTables(lr: ArrayLike<number>): LrTables {
  const n = lr.length;
  const eta = Float64Array.from(lr);
  const area = new Float64Array(n);
  const moment = new Float64Array(n);
  const segStart = new Int32Array(n);
  const sign = new Int8Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += eta[i]!;
    area[i] = acc;
    if (i === 0) continue;
    const g = eta[i - 1]! - eta[i]!;
    moment[i] = moment[i - 1]! + g * i;
    sign[i] = g > 0 ? 1 : g < 0 ? -1 : 0;
    segStart[i] = i > 1 && sign[i] === sign[i - 1] ? segStart[i - 1]! : i;
  }
  return { eta, area, moment, segStart, sign };
}

function interp(a: Float64Array, x: number): number {
  const i = Math.floor(x);
  const f = x - i;
  return f === 0 ? a[i]! : a[i]! + f * (a[i + 1]! - a[i]!);
}

/**
 * Calls emit(w, lnEta, S) for the LD blocks of target step t: w = Σ gaps in the block, η and S_k(t) at its
 * gap-weighted centre.
 */
export function forEachLdBlock(tab: LrTables, t: number, resolution: number, emit: (w: number, lnEta: number, s: number) => void): void {
  const { eta, area, moment, segStart, sign } = tab;
  const pt = area[t]!;
  let k = t;
  while (k >= 1) {
    const seg = segStart[k]!;
    if (sign[k] === 0) {
      k = seg - 1;
      continue;
    }
    const size = Math.max(1, Math.floor((t - k) / resolution));
    const lo = Math.max(seg, k - size + 1);
    const w = eta[lo - 1]! - eta[k]!;
    let c = k;
    if (lo < k) c = (moment[k]! - moment[lo - 1]!) / w;
    const etaC = lo < k ? interp(eta, c) : eta[k]!;
    const s = pt - (lo < k ? interp(area, c - 1) : area[k - 1]!);
    emit(w, Math.log(etaC), s);
    k = lo - 1;
  }
}

/** L̂(t) at one step: the block loop of forEachLdBlock inlined (no closure; this is the hot path of predictions). */
function mplAt(tab: LrTables, p: MplParams, t: number, resolution: number): number {
  const { eta, area, moment, segStart, sign } = tab;
  const { C, beta, gamma } = p;
  const pt = area[t]!;
  let ld = 0;
  let k = t;
  while (k >= 1) {
    const seg = segStart[k]!;
    if (sign[k] === 0) {
      k = seg - 1;
      continue;
    }
    const size = Math.max(1, Math.floor((t - k) / resolution));
    const lo = Math.max(seg, k - size + 1);
    const w = eta[lo - 1]! - eta[k]!;
    let etaC: number;
    let s: number;
    if (lo < k) {
      const c = (moment[k]! - moment[lo - 1]!) / w;
      etaC = interp(eta, c);
      s = pt - interp(area, c - 1);
    } else {
      etaC = eta[k]!;
      s = pt - area[k - 1]!;
    }
    const x = Math.exp(-gamma * Math.log(etaC)) * s;
    ld += w * (1 - Math.exp(-beta * Math.log(1 + C * x)));
    k = lo - 1;
  }
  return p.L0 + p.A * Math.exp(-p.alpha * Math.log(pt)) - p.B * ld;
}

export interface MplPredictOptions {
  /** Block resolution R (default 32 for sparse requests, 16 for dense ones: error ≈ 5e-4/R nats, measured). */
  readonly resolution?: number;
  /**
   * Dense requests (≥ 2048 steps) are evaluated adaptively: L̂ at a coarse grid, intervals bisected until the
   * midpoint is within `tolerance` nats of the straight line through the ends, then linearly interpolated.
   * Default 1e-5 nats (≈ 3e-6 relative, far below the law's own ~1e-3 accuracy).
   */
  readonly tolerance?: number;
}

/** Requests of at least this many steps, increasing, are evaluated densely (MplPredictOptions.tolerance). */
const DENSE_FROM = 2048;
/** Width of the coarse grid of the dense evaluation: L̂ is exact at from, from + 2048, … and at the last step. */
const DENSE_BLOCK = 2048;

/** Predicted losses at the given steps (each ≥ 1 with a positive LR area). */
export function mplPredict(params: MplParams, lr: ArrayLike<number>, steps: readonly number[], options: MplPredictOptions | number = {}): number[] {
  return mplPredictFromTables(params, lrTables(lr), steps, options);
}

/** mplPredict on a curve's tables (lrTables), for a caller that also reads them (its LR area, tab.area). */
export function mplPredictFromTables(params: MplParams, tab: LrTables, steps: readonly number[], options: MplPredictOptions | number = {}): number[] {
  const o = typeof options === "number" ? { resolution: options } : options;
  const increasing = steps.every((s, i) => i === 0 || s > steps[i - 1]!);
  if (steps.length < DENSE_FROM || !increasing) return steps.map((t) => mplAt(tab, params, t, o.resolution ?? 32));
  const resolution = o.resolution ?? 16;
  const from = steps[0]!;
  const to = steps[steps.length - 1]!;
  const dense = mplPredictRange(tab, params, from, to, resolution, o.tolerance ?? 1e-5);
  return steps.map((t) => dense[t - from]!);
}

/** Increasing steps produced one at a time (`curve predict --every 1` streams millions of them). */
export interface StepGrid {
  readonly count: number;
  /** The i-th step; step(i) > step(i − 1). */
  step(i: number): number;
}

/**
 * L̂ at the grid's steps, bit for bit what mplPredict returns for the array of them, but holding one coarse block
 * (2,049 values) instead of arrays as long as the range: call the returned function with non-decreasing i.
 */
export function mplGridPredictor(params: MplParams, lr: ArrayLike<number>, grid: StepGrid, options: MplPredictOptions = {}): (i: number) => number {
  const tab = lrTables(lr);
  if (grid.count < DENSE_FROM) return (i) => mplAt(tab, params, grid.step(i), options.resolution ?? 32);
  const resolution = options.resolution ?? 16;
  const tolerance = options.tolerance ?? 1e-5;
  const from = grid.step(0);
  const to = grid.step(grid.count - 1);
  const out = new Float64Array(DENSE_BLOCK + 1);
  const known = new Uint8Array(DENSE_BLOCK + 1);
  let block = -1;
  return (i) => {
    const t = grid.step(i);
    // The block holding t; the last step closes the last block rather than opening an empty one.
    const b = Math.min(Math.floor((t - from) / DENSE_BLOCK), Math.ceil((to - from) / DENSE_BLOCK) - 1);
    const a = from + b * DENSE_BLOCK;
    if (b !== block) {
      known.fill(0);
      denseBlock(tab, params, a, Math.min(a + DENSE_BLOCK, to), resolution, tolerance, out, known);
      block = b;
    }
    return out[t - a]!;
  };
}

/** Adaptive dense evaluation of L̂ on from … to (see MplPredictOptions.tolerance), one coarse block at a time. */
function mplPredictRange(tab: LrTables, p: MplParams, from: number, to: number, resolution: number, tolerance: number): Float64Array {
  const out = new Float64Array(to - from + 1);
  const known = new Uint8Array(to - from + 1);
  for (let a = from; a < to; a += DENSE_BLOCK) {
    const b = Math.min(a + DENSE_BLOCK, to);
    denseBlock(tab, p, a, b, resolution, tolerance, out.subarray(a - from, b - from + 1), known.subarray(a - from, b - from + 1));
  }
  return out;
}

/**
 * L̂ on a0 … b0 into out[0 … b0 − a0]: exact at both ends, intervals bisected until the midpoint is within
 * `tolerance` of the straight line through the ends, then linearly interpolated. A block depends on nothing
 * outside it, so evaluating blocks separately (mplGridPredictor) or together (mplPredictRange) gives the same bits.
 */
function denseBlock(tab: LrTables, p: MplParams, a0: number, b0: number, resolution: number, tolerance: number, out: Float64Array, known: Uint8Array): void {
  const at = (t: number): number => {
    const i = t - a0;
    if (!known[i]) {
      out[i] = mplAt(tab, p, t, resolution);
      known[i] = 1;
    }
    return out[i]!;
  };
  const stack: Array<[number, number]> = [[a0, b0]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    const la = at(a);
    const lb = at(b);
    if (b - a < 2) continue;
    const m = (a + b) >> 1;
    const lm = at(m);
    const line = la + ((lb - la) * (m - a)) / (b - a);
    if (Math.abs(lm - line) <= tolerance) {
      for (let t = a + 1; t < b; t++) {
        if (!known[t - a0]) out[t - a0] = la + ((lb - la) * (t - a)) / (b - a);
      }
      continue;
    }
    stack.push([a, m], [m, b]);
  }
}

/** The exact O(t) sum (for tests of the block approximation). */
export function mplPredictExact(params: MplParams, lr: ArrayLike<number>, steps: readonly number[]): number[] {
  const tab = lrTables(lr);
  const { L0, A, alpha, B, C, beta, gamma } = params;
  return steps.map((t) => {
    let ld = 0;
    for (let k = 1; k <= t; k++) {
      const g = tab.eta[k - 1]! - tab.eta[k]!;
      if (g === 0) continue;
      const x = Math.pow(tab.eta[k]!, -gamma) * (tab.area[t]! - tab.area[k - 1]!);
      ld += g * (1 - Math.pow(1 + C * x, -beta));
    }
    return L0 + A * Math.pow(tab.area[t]!, -alpha) - B * ld;
  });
}

/** Precomputed blocks of a curve at its logged steps, evaluated many times during a fit. */
export interface MplPlan {
  readonly steps: readonly number[];
  readonly logLoss: Float64Array;
  readonly lnArea: Float64Array;
  readonly offsets: Int32Array;
  readonly w: Float64Array;
  readonly lnEta: Float64Array;
  readonly s: Float64Array;
}

export function mplPlan(lr: ArrayLike<number>, points: ReadonlyArray<{ step: number; loss: number }>, resolution = 32): MplPlan {
  const tab = lrTables(lr);
  const w: number[] = [];
  const lnEta: number[] = [];
  const s: number[] = [];
  const offsets = new Int32Array(points.length + 1);
  for (const [i, p] of points.entries()) {
    forEachLdBlock(tab, p.step, resolution, (wi, li, si) => {
      w.push(wi);
      lnEta.push(li);
      s.push(si);
    });
    offsets[i + 1] = w.length;
  }
  return {
    steps: points.map((p) => p.step),
    logLoss: Float64Array.from(points, (p) => Math.log(p.loss)),
    lnArea: Float64Array.from(points, (p) => Math.log(tab.area[p.step]!)),
    offsets,
    w: Float64Array.from(w),
    lnEta: Float64Array.from(lnEta),
    s: Float64Array.from(s),
  };
}

/** θ = [L0, ln A, α, ln B, ln C, β, γ]: logs keep A, B, C positive and put them on a common scale. */
export function mplFromTheta(th: ArrayLike<number>): MplParams {
  return { L0: th[0]!, A: Math.exp(th[1]!), alpha: th[2]!, B: Math.exp(th[3]!), C: Math.exp(th[4]!), beta: th[5]!, gamma: th[6]! };
}
export function mplToTheta(p: MplParams): number[] {
  return [p.L0, Math.log(p.A), p.alpha, Math.log(p.B), Math.log(p.C), p.beta, p.gamma];
}

/** Huber δ of the reference fit: on log-loss residuals, summed (spec §C.2). */
export const MPL_HUBER_DELTA = 1e-3;

/**
 * Σ_curves Σ_points Huber_δ(ln L − ln L̂) and its gradient w.r.t. θ (analytic; checked against finite
 * differences in the tests). Returns Infinity where a prediction is ≤ 0 (the line search then backs off).
 */
export function mplObjective(plans: readonly MplPlan[], th: Float64Array, grad: Float64Array, delta = MPL_HUBER_DELTA): number {
  const { L0, A, alpha, B, C, beta, gamma } = mplFromTheta(th);
  grad.fill(0);
  let f = 0;
  for (const plan of plans) {
    for (let i = 0; i < plan.steps.length; i++) {
      const powA = A * Math.exp(-alpha * plan.lnArea[i]!);
      let ld = 0;
      let dC = 0;
      let dBeta = 0;
      let dGamma = 0;
      for (let j = plan.offsets[i]!; j < plan.offsets[i + 1]!; j++) {
        const le = plan.lnEta[j]!;
        const x = Math.exp(-gamma * le) * plan.s[j]!;
        const u = 1 + C * x;
        const lu = Math.log(u);
        const pw = Math.exp(-beta * lu);
        const wj = plan.w[j]!;
        ld += wj * (1 - pw);
        const common = (wj * beta * pw * C * x) / u; // w·β·u^(−β−1)·C·x
        dC += common;
        dBeta += wj * pw * lu;
        dGamma -= common * le;
      }
      const pred = L0 + powA - B * ld;
      if (!(pred > 0)) return Number.POSITIVE_INFINITY;
      const r = plan.logLoss[i]! - Math.log(pred);
      const ar = Math.abs(r);
      f += ar <= delta ? 0.5 * r * r : delta * (ar - 0.5 * delta);
      const psi = ar <= delta ? r : delta * Math.sign(r);
      const k = -psi / pred; // ∂f/∂pred
      grad[0]! += k;
      grad[1]! += k * powA;
      grad[2]! += k * -powA * plan.lnArea[i]!;
      grad[3]! += k * -B * ld;
      grad[4]! += k * -B * dC;
      grad[5]! += k * -B * dBeta;
      grad[6]! += k * -B * dGamma;
    }
  }
  return f;
}
