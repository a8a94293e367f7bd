// Fitting the precision-aware law to a user's runs trained at one shared precision P = P_w = P_a = P_kv (issue 14):
// Kumar et al. 2024 §4.2, "if the three precisions are set to the same value P ... N_eff(P) ≈ N(1 − e^(−P/γ̄))³",
// with the offset n their App. K fits carry, and α = β tied as in App. K:
//   L = E + A·(N·(1 − e^(n − P/γ))³)^(−α) + B·D^(−α).
// Huber on log residuals (δ = 10⁻³, Hoffmann et al. 2022 App. D.2 as Kumar et al. follow), log-parametrised A, B, E, γ,
// L-BFGS from a grid of starts. The compute-optimal precision of the fit then follows as for the preset (§4.3.2).
import { ComputationError, InputError, UsageError } from "../errors.ts";
import { parseDecimal } from "../config/number.ts";
import { minimizeLbfgs } from "../optimize/lbfgs.ts";
import { minOf } from "../util/extent.ts";
import { huber, huberDerivative } from "./huber.ts";
import { computeOptimalPrecision, KUMAR_PRECISION, type PrecisionLaw } from "./precision-law.ts";

/** Huber δ on log residuals (Hoffmann et al. 2022: 10⁻³). */
export const PRECISION_FIT_HUBER_DELTA = 1e-3;

export interface PrecisionRun {
  readonly line: number;
  readonly params: number;
  readonly tokens: number;
  /** Shared training precision of weights, activations and KV cache (bits). */
  readonly bits: number;
  readonly loss: number;
}

export interface PrecisionFit {
  /** The fitted law: one γ and one offset n for all three parts (the tied form). */
  readonly law: PrecisionLaw;
  /** Compute-optimal training precision of the fitted law (bits). */
  readonly optimalBits: number;
  readonly objective: number;
  readonly converged: boolean;
  readonly points: number;
  /** Root-mean-square of ln L − ln L̂ over the runs. */
  readonly rmsLogResidual: number;
}

type Field = "params" | "tokens" | "bits" | "loss";
const ALIASES: Record<Field, readonly string[]> = {
  params: ["params", "n", "parameters", "modelsize"],
  tokens: ["tokens", "d", "trainingtokens"],
  bits: ["bits", "p", "precision", "ptrain"],
  loss: ["loss", "l", "finalloss", "valloss"],
};
const normalise = (h: string) => h.trim().toLowerCase().replace(/[\s_-]+/g, "");

/** CSV/TSV with columns params, tokens, bits, loss; errors name `source:line` and the column. */
export function parsePrecisionRuns(text: string, source: string): PrecisionRun[] {
  const lines = text.split(/\r?\n/);
  const sep = (lines[0] ?? "").includes("\t") && !(lines[0] ?? "").includes(",") ? "\t" : ",";
  const headers = (lines[0] ?? "").split(sep).map((h) => h.trim());
  const index = {} as Record<Field, number>;
  for (const field of Object.keys(ALIASES) as Field[]) index[field] = headers.findIndex((h) => ALIASES[field].includes(normalise(h)));
  const missing = (Object.keys(ALIASES) as Field[]).filter((f) => index[f] < 0);
  if (missing.length > 0) throw new InputError(`${source}:1`, lines[0] ?? "", "a header with columns params, tokens, bits, loss", `${source}:1: missing column(s) ${missing.join(", ")}; name them params, tokens, bits, loss`);
  const runs: PrecisionRun[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    const cells = lines[i]!.split(sep).map((c) => c.trim());
    const value = (field: Field): number => {
      const raw = cells[index[field]] ?? "";
      // The one decimal parser (config/number.ts): Number() read "0x10" as 16.
      const v = parseDecimal(raw) ?? Number.NaN;
      if (raw === "" || !Number.isFinite(v) || v <= 0 || (field === "bits" && v > 64)) throw new InputError(`${source}:${i + 1}: column ${JSON.stringify(headers[index[field]])}`, raw, field === "bits" ? "a number of bits in (0, 64]" : "a finite number > 0");
      return v;
    };
    runs.push({ line: i + 1, params: value("params"), tokens: value("tokens"), bits: value("bits"), loss: value("loss") });
  }
  if (runs.length === 0) throw new UsageError(`${source}: no data rows`);
  return runs;
}

// θ = [ln A, ln B, ln E, α, ln γ, m]; the offset is n = P_min/γ − e^m, so every run keeps 1 − e^(n − P/γ) > 0.
function objective(runs: readonly PrecisionRun[], pMin: number, th: Float64Array, grad: Float64Array, delta: number): number {
  const [lnA, lnB, lnE, alpha, lnGamma, m] = th as unknown as number[];
  const gamma = Math.exp(lnGamma!);
  const em = Math.exp(m!);
  grad.fill(0);
  let f = 0;
  for (const r of runs) {
    const u = -(r.bits - pMin) / gamma - em;
    const eu = Math.exp(u);
    const s = 1 - eu;
    const lnN = Math.log(r.params);
    const lnD = Math.log(r.tokens);
    const t1 = Math.exp(lnA! - alpha! * (lnN + 3 * Math.log(s)));
    const t2 = Math.exp(lnB! - alpha! * lnD);
    const c = Math.exp(lnE!);
    const pred = t1 + t2 + c;
    const res = Math.log(r.loss) - Math.log(pred);
    f += huber(res, delta);
    const k = -huberDerivative(res, delta) / pred;
    const dt1du = (t1 * 3 * alpha! * eu) / s; // ∂t1/∂u: t1 ∝ s^(−3α), ∂s/∂u = −e^u
    grad[0]! += k * t1;
    grad[1]! += k * t2;
    grad[2]! += k * c;
    grad[3]! += k * (-t1 * (lnN + 3 * Math.log(s)) - t2 * lnD);
    grad[4]! += k * dt1du * ((r.bits - pMin) / gamma);
    grad[5]! += k * dt1du * -em;
  }
  return f;
}

function startGrid(minLoss: number): number[][] {
  const starts: number[][] = [];
  for (const lnA of [Math.log(400), Math.log(4000)]) {
    for (const alpha of [0.3, 0.5]) {
      for (const gamma of [1, 2.5, 5]) {
        for (const m of [Math.log(0.3), Math.log(2)]) starts.push([lnA, Math.log(2000), Math.log(0.8 * minLoss), alpha, Math.log(gamma), m]);
      }
    }
  }
  return starts;
}

export function fitPrecisionLaw(runs: readonly PrecisionRun[], delta = PRECISION_FIT_HUBER_DELTA): PrecisionFit {
  if (runs.length < 8) throw new InputError("runs", runs.length, "at least 8 runs to fit the 6 free constants of the precision law");
  if (new Set(runs.map((r) => r.bits)).size < 3) throw new InputError("runs", runs.length, "runs at 3 or more different precisions (γ and the offset are not identified otherwise)");
  const pMin = minOf(runs.map((r) => r.bits));
  const fg = (x: Float64Array, g: Float64Array) => objective(runs, pMin, x, g, delta);
  let best: ReturnType<typeof minimizeLbfgs> | undefined;
  for (const s of startGrid(minOf(runs.map((r) => r.loss)))) {
    const r = minimizeLbfgs(fg, s, { maxIterations: 3000, maxEvaluations: 9000 });
    if (Number.isFinite(r.f) && (!best || r.f < best.f)) best = r;
  }
  if (!best) throw new ComputationError("the precision fit found no finite objective from any start");
  const [lnA, lnB, lnE, alpha, lnGamma, m] = Array.from(best.x) as number[];
  const gamma = Math.exp(lnGamma!);
  const offset = pMin / gamma - Math.exp(m!);
  const law: PrecisionLaw = {
    id: "precision-fit",
    name: "precision-aware law fitted to your runs (tied γ and offset)",
    source: "scaleplan fit --form precision (Kumar et al. 2024 §4.2 tied form with App. K's offset, α = β)",
    conventions: { ...KUMAR_PRECISION.conventions, params: "as in your runs", loss: "as in your runs" },
    form: "precision",
    gammaW: gamma,
    gammaA: gamma,
    gammaKv: gamma,
    nW: offset,
    nA: offset,
    nKv: offset,
    base: { A: Math.exp(lnA!), B: Math.exp(lnB!), E: Math.exp(lnE!), alpha: alpha!, beta: alpha! },
  };
  let ss = 0;
  for (const r of runs) {
    const s = 1 - Math.exp(offset - r.bits / gamma);
    const pred = law.base!.E + law.base!.A * (r.params * s ** 3) ** -alpha! + law.base!.B * r.tokens ** -alpha!;
    ss += (Math.log(r.loss) - Math.log(pred)) ** 2;
  }
  return { law, optimalBits: computeOptimalPrecision(law), objective: best.f, converged: best.converged, points: runs.length, rmsLogResidual: Math.sqrt(ss / runs.length) };
}
