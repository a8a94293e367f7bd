// `optimal --precision P [--precision-speedup S]`: weigh a low-precision run's speed against its quality with the
// precision-aware law (Kumar et al. 2024) applied to the chosen Chinchilla-form law (issue 14).
import { InputError, UsageError } from "../../core/errors.ts";
import { formatExp, formatSI } from "../../core/format.ts";
import type { LossLaw } from "../../core/scaling/law-types.ts";
import { chinchillaLoss } from "../../core/scaling/chinchilla-law.ts";
import {
  allocateAtPrecision,
  fixedSizePrecisionOptimum,
  jointPrecisionOptimum,
  KUMAR_PRECISION,
  precisionFactor,
  PRECISION_PRESETS,
  precisionTradeoff,
  type PrecisionAllocation,
  type PrecisionLaw,
  type TrainingPrecision,
} from "../../core/scaling/precision-law.ts";
import { fitPrecisionLaw, parsePrecisionRuns } from "../../core/scaling/fit-precision.ts";
import type { CliIO } from "../io.ts";
import { printJson, printTable } from "../output.ts";
import { parseDecimal } from "../../core/config/number.ts";
import { optionalNumberFlag } from "../number-flag.ts";

export const PRECISION_HELP = `training precision to compare with BF16: ${Object.keys(PRECISION_PRESETS).join(", ")}, or bits (Kumar et al. 2024 effective parameters)`;

export function parsePrecision(raw: string): TrainingPrecision {
  const named = PRECISION_PRESETS[raw.toLowerCase()];
  if (named && Object.hasOwn(PRECISION_PRESETS, raw.toLowerCase())) return named;
  const bits = parseDecimal(raw) ?? Number.NaN;
  if (!(bits > 0 && bits <= 64)) throw new InputError("--precision", raw, `${Object.keys(PRECISION_PRESETS).join(", ")} or a number of bits in (0, 64]`);
  return { weights: bits, activations: bits, kv: bits };
}

export interface PrecisionReport {
  readonly precision: TrainingPrecision;
  readonly law: string;
  readonly relativeEffectiveParams: number;
  readonly breakEvenSpeedup: number;
  readonly speedup: number;
  readonly baselineLoss: number;
  readonly lowPrecisionLoss: number;
  readonly lowPrecisionParams: number;
  readonly lowPrecisionTokens: number;
}

export function precisionReport(law: LossLaw, flops: number, rawPrecision: string, rawSpeedup: string | undefined): PrecisionReport {
  if (law.form !== "chinchilla") throw new UsageError(`--precision: needs a Chinchilla-form law (E + A/N^alpha + B/D^beta); ${law.id} is ${law.form}`);
  const precision = parsePrecision(rawPrecision);
  const speedup = optionalNumberFlag("--precision-speedup", rawSpeedup, "a finite number > 0", (x) => x > 0) ?? 1;
  const t = precisionTradeoff(law, KUMAR_PRECISION, precision, flops, speedup);
  return { precision, law: KUMAR_PRECISION.id, relativeEffectiveParams: t.relativeEffectiveParams, breakEvenSpeedup: t.breakEvenSpeedup, speedup, baselineLoss: t.baselineLoss, lowPrecisionLoss: t.lowPrecisionLoss, lowPrecisionParams: t.n, lowPrecisionTokens: t.d };
}

export function printPrecisionReport(io: CliIO, r: PrecisionReport, label: string): void {
  const bits = r.precision.weights === r.precision.activations && r.precision.activations === r.precision.kv ? `${r.precision.weights}-bit` : `W${r.precision.weights}A${r.precision.activations}KV${r.precision.kv}`;
  io.stdout(`\n${label} (${bits}) vs BF16 on the same GPU time (${KUMAR_PRECISION.source}):\n`);
  io.stdout(`  N_eff/N relative to BF16: ${r.relativeEffectiveParams.toFixed(4)}; ${label} must run at least ${r.breakEvenSpeedup.toFixed(3)}× faster than BF16 to reach a lower loss\n`);
  io.stdout(`  at ${r.speedup}× the FLOP: loss ${r.lowPrecisionLoss.toFixed(4)} (N ${formatSI(r.lowPrecisionParams, 4)}, D ${formatSI(r.lowPrecisionTokens, 4)}) vs BF16 ${r.baselineLoss.toFixed(4)}: ${r.lowPrecisionLoss < r.baselineLoss ? `${label} wins` : "BF16 wins"}${r.speedup === 1 ? " (give --precision-speedup, e.g. your measured FP8/BF16 step-time ratio)" : ""}\n`);
}

/** Bits `optimal --law precision-…` compares with the compute-optimal precision (BF16, FP8, FP4 counted as the paper does). */
const COMPARED_BITS: readonly number[] = [16, 8, 4];

function allocationRow(label: string, a: PrecisionAllocation): Array<string | number> {
  return [label, a.bits.toFixed(2), formatSI(a.n, 4), formatSI(a.d, 4), (a.d / a.n).toFixed(1), a.factor.toFixed(4), a.loss.toFixed(4)];
}

/**
 * `optimal --law precision-kumar-2024 --flops C [--params N] [--precision P]`: the paper's own law allocates N, D and
 * the shared training precision P under its cost model C = (6/16)·N·D·P (§4.3): jointly (P* independent of C,
 * §4.3.2) or at a fixed N (§4.3.3), next to BF16, FP8 and FP4 (and --precision) at the same C.
 */
export function runPrecisionOptimal(io: CliIO, law: PrecisionLaw, flops: number, opts: { params?: number | undefined; precision?: string | undefined }, format: "text" | "json" | "csv", requireSensible: (tokensPerParam: number) => void): void {
  const extra = opts.precision !== undefined ? parsePrecision(opts.precision) : undefined;
  if (extra && !(extra.weights === extra.activations && extra.activations === extra.kv)) throw new InputError("--precision", opts.precision, "one shared bit width (the cost model prices P = P_w = P_a = P_kv)");
  const fixedN = opts.params;
  const best = fixedN === undefined ? jointPrecisionOptimum(law, flops) : fixedSizePrecisionOptimum(law, flops, fixedN);
  // A fixed N the budget cannot train (0.0017 tokens per parameter) is bad input, as for the other laws.
  requireSensible(best.d / best.n);
  const at = (bits: number): PrecisionAllocation => {
    if (fixedN === undefined) return allocateAtPrecision(law, flops, bits);
    const d = (16 * flops) / (6 * fixedN * bits);
    const factor = precisionFactor(law, { weights: bits, activations: bits, kv: bits });
    return { bits, n: fixedN, d, loss: chinchillaLoss(law.base!, fixedN * factor, d), factor, flops };
  };
  const compared = [...COMPARED_BITS, ...(extra && !COMPARED_BITS.includes(extra.weights) ? [extra.weights] : [])].map(at);
  const setting = fixedN === undefined ? "N, D and P jointly (§4.3.2)" : `N fixed at ${formatSI(fixedN, 4)}, D and P chosen (§4.3.3)`;
  if (format === "json") {
    return printJson(io, { law: { id: law.id, name: law.name, source: law.source, conventions: law.conventions }, budgetFlops: flops, costModel: "C = (6/16)·N·D·P", setting, optimum: best, compared });
  }
  if (format === "text") io.stdout(`Compute-optimal training precision for ${formatExp(flops, 3)} FLOP (16-bit FLOP; a P-bit run costs (6/16)·N·D·P) under ${law.id}: ${law.name} (${law.source})\n${setting}\n\n`);
  printTable(io, {
    columns: ["run", "bits P", "parameters N", "tokens D", "D/N", "N_eff/N", "predicted loss"],
    rows: [allocationRow("compute-optimal P", best), ...compared.map((a) => allocationRow(`${a.bits}-bit`, a))],
  }, format);
  if (format === "text") {
    io.stdout(`\n${fixedN === undefined ? "P* does not depend on the budget (it maximises N_eff/N per bit). " : "With N fixed, P* grows about logarithmically with the budget (more tokens per parameter want more bits). "}Fitted on integer-type quantized training of 30M–220M models; the authors call the constants unlikely to transfer and the trends the finding.\n`);
  }
}

/** `fit --form precision`: the tied precision law fitted to runs with params, tokens, bits, loss columns. */
export function runPrecisionFit(io: CliIO, text: string, source: string, format: "text" | "json" | "csv"): void {
  const fit = fitPrecisionLaw(parsePrecisionRuns(text, source));
  if (format === "json") return printJson(io, { kind: "scaleplan-precision-fit", law: fit.law, optimalBits: fit.optimalBits, objective: fit.objective, points: fit.points, rmsLogResidual: fit.rmsLogResidual, converged: fit.converged });
  const l = fit.law;
  const rows: Array<[string, number]> = [["A", l.base!.A], ["B", l.base!.B], ["E", l.base!.E], ["alpha = beta", l.base!.alpha], ["gamma", l.gammaW], ["offset n", l.nW ?? 0], ["compute-optimal bits P*", fit.optimalBits]];
  if (format === "text") io.stdout(`Precision law L = E + A·(N·(1 − e^(n − P/γ))³)^(−α) + B·D^(−α) (Kumar et al. 2024 §4.2, tied) on ${fit.points} runs; rms log residual ${fit.rmsLogResidual.toFixed(4)}\n\n`);
  printTable(io, { columns: ["constant", "value"], rows: rows.map(([k, v]) => [k, Number(v.toPrecision(5))]) }, format === "csv" ? "csv" : "text");
  if (format === "text") io.stdout("\nSave with --json and use it: scaleplan optimal --fit precision-fit.json --flops 1e21\n");
}

/** The law of a `fit --form precision --json` document, else undefined. */
export function precisionLawFromFit(fitDoc: unknown): PrecisionLaw | undefined {
  if (typeof fitDoc === "object" && fitDoc !== null && (fitDoc as { kind?: unknown }).kind === "scaleplan-precision-fit") return (fitDoc as { law: PrecisionLaw }).law;
  return undefined;
}
