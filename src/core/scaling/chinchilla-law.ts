// The Chinchilla functional form L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, eq. 2) and its
// compute-optimal frontier under C = 6ND (spec B.1).

/** Parameters of a Chinchilla-form law. N in parameters, D in tokens, L in nats/token. */
export interface ChinchillaParams {
  readonly E: number;
  readonly A: number;
  readonly B: number;
  readonly alpha: number;
  readonly beta: number;
}

export function chinchillaLoss(p: ChinchillaParams, n: number, d: number): number {
  return p.E + p.A / n ** p.alpha + p.B / d ** p.beta;
}

/** Frontier exponents and constant: N_opt = G (C/6)^a, D_opt = G⁻¹ (C/6)^b, G = (αA/(βB))^{1/(α+β)}. */
export interface Frontier {
  /** N_opt ∝ C^a, a = β/(α+β). */
  readonly a: number;
  /** D_opt ∝ C^b, b = α/(α+β). */
  readonly b: number;
  readonly G: number;
}

export function chinchillaFrontier(p: ChinchillaParams): Frontier {
  const s = p.alpha + p.beta;
  return { a: p.beta / s, b: p.alpha / s, G: ((p.alpha * p.A) / (p.beta * p.B)) ** (1 / s) };
}

/** Compute-optimal (N, D) for a budget of C FLOP with C = 6ND (closed form of spec B.1). */
export function chinchillaOptimum(p: ChinchillaParams, flops: number): { n: number; d: number; loss: number } {
  const { a, b, G } = chinchillaFrontier(p);
  const n = G * (flops / 6) ** a;
  const d = (flops / 6) ** b / G;
  return { n, d, loss: chinchillaLoss(p, n, d) };
}
