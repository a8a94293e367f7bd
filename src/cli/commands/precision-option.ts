// `optimal --precision P [--precision-speedup S]`: weigh a low-precision run's speed against its quality with the
// precision-aware law (Kumar et al. 2024) applied to the chosen Chinchilla-form law (issue 14).
import { InputError, UsageError } from "../../core/errors.ts";
import { formatSI } from "../../core/format.ts";
import type { LossLaw } from "../../core/scaling/law-types.ts";
import { KUMAR_PRECISION, PRECISION_PRESETS, precisionTradeoff, type TrainingPrecision } from "../../core/scaling/precision-law.ts";
import type { CliIO } from "../io.ts";
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
