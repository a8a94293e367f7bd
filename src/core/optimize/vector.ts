// Dense-vector helpers of the minimisers. Loops, not TypedArray.prototype.set or array methods: the vectors are
// short (5–50 entries) and these run on every iteration, where a native call costs more than the loop.

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** y ← y + a·x */
export function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] = y[i]! + a * x[i]!;
}

export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** dst ← src */
export function copy(src: Float64Array, dst: Float64Array): void {
  for (let i = 0; i < src.length; i++) dst[i] = src[i]!;
}

export function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}
