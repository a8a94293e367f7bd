// The loss cost of DiLoCo's replicas (Charles et al. 2025, "Communication-Efficient Language Model Training Scales
// Reliably and Robustly: Scaling Laws for DiLoCo", arXiv 2503.09799): power laws L(N) = A·N^α per method at the
// Chinchilla token budget D = 20N and H = 30 (their §3.1, footnote 1), and a joint L(N, M) = A·N^α·M^β.
// The cost of H itself is only measured (their Fig. 9: loss rises with H beyond H = 1, less so for larger models
// and M = 1); the paper fits no law in H, so neither do we.
import { InputError } from "../errors.ts";

export interface DilocoPowerLaw {
  readonly id: string;
  /** Replicas M (0 = synchronous data parallelism). */
  readonly replicas: number;
  readonly A: number;
  readonly alpha: number;
  readonly source: string;
}

const TABLE7 = "Charles et al. 2025, arXiv 2503.09799, Table 7 (independent fits, D = 20N, H = 30, C4 eval loss)";

/** Table 7: L(N) ≈ A·N^α. */
export const DILOCO_LOSS_LAWS: readonly DilocoPowerLaw[] = [
  { id: "data-parallel", replicas: 0, A: 18.129, alpha: -0.0953, source: TABLE7 },
  { id: "diloco-m1", replicas: 1, A: 18.363, alpha: -0.0961, source: TABLE7 },
  { id: "diloco-m2", replicas: 2, A: 18.768, alpha: -0.0969, source: TABLE7 },
  { id: "diloco-m4", replicas: 4, A: 19.762, alpha: -0.0992, source: TABLE7 },
  { id: "diloco-m8", replicas: 8, A: 21.051, alpha: -0.1018, source: TABLE7 },
];

/** Table 10: the joint fit L(N, M) = A·N^α·M^β (for M between or beyond the fitted 1, 2, 4, 8). */
export const DILOCO_JOINT_LAW = { A: 19.226, alpha: -0.0985, beta: 0.0116, source: "Charles et al. 2025, arXiv 2503.09799, Table 10 (joint fit, loss row)" } as const;

/** Synchronous data-parallel loss at N (Table 7, first row). */
export function dataParallelLoss(params: number): number {
  const law = DILOCO_LOSS_LAWS[0]!;
  return law.A * params ** law.alpha;
}

/** DiLoCo loss at N with M replicas: Table 7's own fit for M ∈ {1, 2, 4, 8}, else the joint Table 10 law. */
export function dilocoLoss(params: number, replicas: number): { loss: number; source: string } {
  if (!(params > 0) || !Number.isFinite(params)) throw new InputError("params", params, "a finite number > 0");
  if (!(Number.isInteger(replicas) && replicas >= 1)) throw new InputError("replicas", replicas, "a whole number >= 1");
  const own = DILOCO_LOSS_LAWS.find((l) => l.replicas === replicas);
  if (own) return { loss: own.A * params ** own.alpha, source: own.source };
  const j = DILOCO_JOINT_LAW;
  return { loss: j.A * params ** j.alpha * replicas ** j.beta, source: j.source };
}

/**
 * The model size above which DiLoCo with M replicas reaches a lower loss than data parallelism at equal N and D
 * (Table 7 fits: A_M·N^α_M = A_DP·N^α_DP ⇒ N* = (A_DP/A_M)^(1/(α_M − α_DP))); undefined when the fits never cross.
 */
export function lossCrossoverParams(replicas: number): number | undefined {
  const dp = DILOCO_LOSS_LAWS[0]!;
  const m = DILOCO_LOSS_LAWS.find((l) => l.replicas === replicas);
  if (!m || m.alpha === dp.alpha) return undefined;
  const n = (dp.A / m.A) ** (1 / (m.alpha - dp.alpha));
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * How much compute DiLoCo's loss is worth, as a multiple of the DP compute at the same N: data parallelism reaches
 * DiLoCo's loss L_M(N) with N_eq = (L_M(N)/A_DP)^(1/α_DP) parameters, and at D = 20N compute ∝ N², so the
 * equivalence is (N_eq/N)². Above 1 DiLoCo is better than DP at equal compute; below 1 it must be that much faster.
 */
export function dilocoComputeEquivalence(params: number, replicas: number): number {
  const dp = DILOCO_LOSS_LAWS[0]!;
  const nEq = (dilocoLoss(params, replicas).loss / dp.A) ** (1 / dp.alpha);
  return (nEq / params) ** 2;
}
