/** Ordinary least squares y = intercept + slope·x (used on logs for power laws). */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>): { slope: number; intercept: number } {
  const k = x.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < k; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / k;
  const my = sy / k;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < k; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** Least-squares parabola y = p0 + p1·x + p2·x² (normal equations, x centred for conditioning). */
export function quadraticFit(x: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>): [number, number, number] {
  const k = x.length;
  let sw = 0;
  let mx = 0;
  for (let i = 0; i < k; i++) {
    const w = weights ? weights[i]! : 1;
    sw += w;
    mx += w * x[i]!;
  }
  mx /= sw;
  // Moments of the centred u = x − mx.
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  for (let i = 0; i < k; i++) {
    const w = weights ? weights[i]! : 1;
    const u = x[i]! - mx;
    const u2 = u * u;
    s1 += w * u;
    s2 += w * u2;
    s3 += w * u2 * u;
    s4 += w * u2 * u2;
    t0 += w * y[i]!;
    t1 += w * u * y[i]!;
    t2 += w * u2 * y[i]!;
  }
  // Solve [[sw,s1,s2],[s1,s2,s3],[s2,s3,s4]] q = [t0,t1,t2] by Cramer's rule (3×3).
  const det = (a: number[]) => a[0]! * (a[4]! * a[8]! - a[5]! * a[7]!) - a[1]! * (a[3]! * a[8]! - a[5]! * a[6]!) + a[2]! * (a[3]! * a[7]! - a[4]! * a[6]!);
  const M = [sw, s1, s2, s1, s2, s3, s2, s3, s4];
  const D = det(M);
  const q0 = det([t0, s1, s2, t1, s2, s3, t2, s3, s4]) / D;
  const q1 = det([sw, t0, s2, s1, t1, s3, s2, t2, s4]) / D;
  const q2 = det([sw, s1, t0, s1, s2, t1, s2, s3, t2]) / D;
  // Back to powers of x: q0 + q1(x − m) + q2(x − m)².
  return [q0 - q1 * mx + q2 * mx * mx, q1 - 2 * q2 * mx, q2];
}
