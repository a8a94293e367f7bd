// Fitting the joint dense/MoE law (Ludziejewski et al. 2025 eq. 6) to a user's runs, as their App. B does:
// Huber on log residuals, log-parametrised a, b, c, L-BFGS from a grid of starts; E_start and E_max held at the
// published values (a handful of expert counts does not identify the saturation), or given.
import { ComputationError, InputError } from "../errors.ts";
import { minimizeLbfgs } from "../optimize/lbfgs.ts";
import { huber, huberDerivative } from "./huber.ts";
import { saturatedExperts } from "./moe-laws.ts";
import type { JointMoeLaw } from "./moe-law-types.ts";
import { JOINT_MOE_2025 } from "./moe-presets.ts";
import type { MoeRun } from "./moe-runs.ts";
import { minOf } from "../util/extent.ts";

/** Huber δ on log residuals (Ludziejewski et al. 2025 App. B: δ = 0.01). */
export const JOINT_MOE_HUBER_DELTA = 0.01;

export interface JointMoeFit {
  readonly law: JointMoeLaw;
  readonly objective: number;
  readonly starts: number;
  readonly converged: boolean;
  readonly points: number;
  /** Root-mean-square of ln L − ln L̂ over the runs. */
  readonly rmsLogResidual: number;
}

// θ = [ln a, α, δ, γ, ln b, β, ω, ζ, ln c]
function objective(runs: readonly MoeRun[], lnE: Float64Array, th: Float64Array, grad: Float64Array, delta: number): number {
  const [lnA, alpha, dlt, gamma, lnB, beta, omega, zeta, lnC] = th as unknown as number[];
  grad.fill(0);
  let f = 0;
  for (const [i, r] of runs.entries()) {
    const le = lnE[i]!;
    const lnN = Math.log(r.activeParams);
    const lnD = Math.log(r.tokens);
    const t1 = Math.exp(lnA! + dlt! * le + (alpha! + gamma! * le) * lnN);
    const t2 = Math.exp(lnB! + omega! * le + (beta! + zeta! * le) * lnD);
    const c = Math.exp(lnC!);
    const pred = t1 + t2 + c;
    const res = Math.log(r.loss) - Math.log(pred);
    f += huber(res, delta);
    const k = -huberDerivative(res, delta) / pred;
    grad[0]! += k * t1;
    grad[1]! += k * t1 * lnN;
    grad[2]! += k * t1 * le;
    grad[3]! += k * t1 * le * lnN;
    grad[4]! += k * t2;
    grad[5]! += k * t2 * lnD;
    grad[6]! += k * t2 * le;
    grad[7]! += k * t2 * le * lnD;
    grad[8]! += k * c;
  }
  return f;
}

function startGrid(minLoss: number): number[][] {
  const starts: number[][] = [];
  for (const alpha of [-0.1, -0.3]) {
    for (const beta of [-0.1, -0.3]) {
      for (const dlt of [-0.2, 0.2]) {
        for (const c of [0.5 * minLoss, 0.8 * minLoss]) {
          starts.push([Math.log(30), alpha, dlt, 0, Math.log(30), beta, -dlt, 0, Math.log(c)]);
        }
      }
    }
  }
  return starts;
}

export function fitJointMoe(runs: readonly MoeRun[], options: { eStart?: number; eMax?: number; delta?: number } = {}): JointMoeFit {
  if (runs.length < 10) throw new InputError("runs", runs.length, "at least 10 runs to fit the 9 free constants of the joint law");
  const eStart = options.eStart ?? JOINT_MOE_2025.eStart;
  const eMax = options.eMax ?? JOINT_MOE_2025.eMax;
  const delta = options.delta ?? JOINT_MOE_HUBER_DELTA;
  const lnE = Float64Array.from(runs, (r) => Math.log(saturatedExperts(r.experts, eStart, eMax)));
  const fg = (x: Float64Array, g: Float64Array) => objective(runs, lnE, x, g, delta);
  const minLoss = minOf(runs.map((r) => r.loss));
  let best: ReturnType<typeof minimizeLbfgs> | undefined;
  const starts = startGrid(minLoss);
  for (const s of starts) {
    const r = minimizeLbfgs(fg, s, { maxIterations: 2000, maxEvaluations: 6000 });
    if (Number.isFinite(r.f) && (!best || r.f < best.f)) best = r;
  }
  if (!best) throw new ComputationError("the joint MoE fit found no finite objective from any start");
  const [lnA, alpha, dlt, gamma, lnB, beta, omega, zeta, lnC] = Array.from(best.x);
  const law: JointMoeLaw = {
    id: "moe-joint-fit",
    name: "joint dense/MoE law fitted to your runs",
    source: `scaleplan fit --form moe (Ludziejewski et al. 2025 eq. 6; E_start ${eStart}, E_max ${eMax} held)`,
    conventions: JOINT_MOE_2025.conventions,
    form: "moe-joint",
    a: Math.exp(lnA!),
    alpha: alpha!,
    delta: dlt!,
    gamma: gamma!,
    b: Math.exp(lnB!),
    beta: beta!,
    omega: omega!,
    zeta: zeta!,
    eStart,
    eMax,
    c: Math.exp(lnC!),
  };
  let ss = 0;
  const g = new Float64Array(9);
  objective(runs, lnE, best.x, g, delta);
  for (const [i, r] of runs.entries()) {
    const le = lnE[i]!;
    const pred = law.a * Math.exp(law.delta * le) * r.activeParams ** (law.alpha + law.gamma * le) + law.b * Math.exp(law.omega * le) * r.tokens ** (law.beta + law.zeta * le) + law.c;
    ss += (Math.log(r.loss) - Math.log(pred)) ** 2;
  }
  return { law, objective: best.f, starts: starts.length, converged: best.converged, points: runs.length, rmsLogResidual: Math.sqrt(ss / runs.length) };
}
