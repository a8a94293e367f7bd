// A start for loss-curve fits: for each exponent α on a grid, L ≈ L0 + A·x^(−α) − B·y is linear in (L0, A, B),
// so least squares solves it exactly; the α with the smallest squared error wins. Both curve laws (Multi-Power,
// momentum) have this shape once their annealing term is simplified, which makes it a robust start for L-BFGS.

export interface ProjectionRow {
  /** The power-law variable (an LR area), > 0. */
  readonly x: number;
  /** The linear annealing variable (an LR drop or a momentum sum). */
  readonly y: number;
  readonly loss: number;
}

export interface ProjectionFit {
  readonly sse: number;
  readonly L0: number;
  readonly A: number;
  readonly alpha: number;
  readonly B: number;
}

/** Best (L0, A > 0, α ∈ [0.05, 1.5] in steps of 0.01, B) by least squares; undefined when no α gives A > 0. */
export function fitByVariableProjection(rows: readonly ProjectionRow[]): ProjectionFit | undefined {
  let best: ProjectionFit | undefined;
  for (let alpha = 0.05; alpha <= 1.5 + 1e-9; alpha += 0.01) {
    const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    const v = [0, 0, 0];
    for (const r of rows) {
      const f = [1, Math.pow(r.x, -alpha), -r.y];
      for (let i = 0; i < 3; i++) {
        v[i]! += f[i]! * r.loss;
        for (let j = 0; j < 3; j++) m[i]![j]! += f[i]! * f[j]!;
      }
    }
    const sol = solve3(m, v);
    if (!sol || !(sol[1]! > 0)) continue;
    let sse = 0;
    for (const r of rows) sse += (sol[0]! + sol[1]! * Math.pow(r.x, -alpha) - sol[2]! * r.y - r.loss) ** 2;
    if (best === undefined || sse < best.sse) best = { sse, L0: sol[0]!, A: sol[1]!, alpha, B: sol[2]! };
  }
  return best;
}

/** Cramer's rule on the 3×3 normal equations. */
function solve3(m: number[][], v: number[]): number[] | undefined {
  const det = (a: number[][]) =>
    a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) -
    a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) +
    a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
  const d = det(m);
  if (!Number.isFinite(d) || Math.abs(d) < 1e-300) return undefined;
  return [0, 1, 2].map((c) => det(m.map((row, r) => row.map((x, j) => (j === c ? v[r]! : x)))) / d);
}
