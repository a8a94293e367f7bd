import { requireWithinBound, UNIQUE_TOKENS } from "../config/bounds.ts";
import { chinchillaFrontier, type ChinchillaParams } from "./chinchilla-law.ts";

/** Muennighoff et al. 2023 decay constants (huggingface/datablations README, C4 fit; spec B.8). */
export const DATABLATIONS_RD_STAR = 15.387756;
export const DATABLATIONS_RN_STAR = 5.309743;

/**
 * Data-constrained loss (Muennighoff et al. 2023, eq. 5–7; spec B.8): with U unique tokens,
 * D′ = U + U·R_D*·(1 − e^{−R_D/R_D*}), R_D = D/U − 1 (repeated epochs are worth less and less), and
 * N′ = U_N + U_N·R_N*·(1 − e^{−R_N/R_N*}), U_N = min(N, N_opt(U)), R_N = N/U_N − 1 (parameters beyond the
 * compute-optimal size for U tokens are worth less). N_opt(U) is the frontier size whose optimal D is U.
 * When D ≤ U no data is repeated (R_D = 0, D′ = D).
 */
export function dataConstrainedLoss(p: ChinchillaParams & { readonly rdStar: number; readonly rnStar: number }, n: number, d: number, u: number): number {
  requireWithinBound("uniqueTokens", u, UNIQUE_TOKENS);
  const dEff = d <= u ? d : u + u * p.rdStar * (1 - Math.exp(-(d / u - 1) / p.rdStar));
  const un = Math.min(n, optimalParamsForTokens(p, u));
  const rn = n / un - 1;
  const nEff = un + un * p.rnStar * (1 - Math.exp(-rn / p.rnStar));
  return p.E + p.A / nEff ** p.alpha + p.B / dEff ** p.beta;
}

/** N on the compute-optimal frontier whose D_opt equals `tokens`: D = (C/6)^b/G ⇒ C/6 = (D·G)^{1/b}. */
export function optimalParamsForTokens(p: ChinchillaParams, tokens: number): number {
  const { a, b, G } = chinchillaFrontier(p);
  return G * (tokens * G) ** (a / b);
}
