// The Huber loss used by Chinchilla's Approach 3 (Hoffmann et al. 2022, eq. 3; spec B.1).

/** Huber_δ(r) = ½r² for |r| ≤ δ, δ(|r| − ½δ) otherwise. */
export function huber(r: number, delta: number): number {
  const a = Math.abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}

/** ψ = dHuber/dr: r inside the quadratic zone, δ·sign(r) outside. */
export function huberDerivative(r: number, delta: number): number {
  return r > delta ? delta : r < -delta ? -delta : r;
}
