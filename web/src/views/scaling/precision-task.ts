// Runs inside the worker: FP8 (or FP6, FP4) against BF16 on the same GPU time, with the precision-aware law of
// Kumar et al. 2024 applied to a Chinchilla-form preset, as `scaleplan optimal --precision P --precision-speedup s`.
import { InputError } from "../../../../src/core/errors.ts";
import type { LineChartSpec } from "../../../../src/core/plot/line-chart.ts";
import type { ChinchillaLaw } from "../../../../src/core/scaling/law-types.ts";
import { allocateAtPrecision, jointPrecisionOptimum, KUMAR_PRECISION, PRECISION_PRESETS, precisionTradeoff, type PrecisionAllocation, type PrecisionTradeoff } from "../../../../src/core/scaling/precision-law.ts";
import type { Bound } from "../../worker/bounds.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { SCALING_BOUNDS } from "./constants.ts";
import { CHINCHILLA_FORM_PRESETS } from "./law-lists.ts";
import type { PrecisionInput } from "./panel-inputs.ts";
import { fieldReader } from "./read-fields.ts";

/** Precisions offered against BF16 (bits of weights, activations and KV cache, as Kumar et al. count them). */
export const LOW_PRECISIONS = ["fp8", "fp6", "fp4"] as const;

/** A speed-up is FLOP per GPU-second over BF16's: FP4 on B200 peaks at 4× BF16 (NVIDIA datasheet); 10× is far past any. */
export const SPEEDUP_BOUND: Bound = { min: 0, minExclusive: true, max: 10 };

export interface PrecisionTaskResult {
  readonly law: { readonly id: string; readonly name: string };
  readonly precision: string;
  readonly bits: number;
  readonly budget: number;
  readonly speedup: number;
  readonly tradeoff: PrecisionTradeoff;
  /** The BF16 run's compute-optimal allocation of the budget. */
  readonly baseline: { readonly n: number; readonly d: number };
  readonly source: string;
  readonly chart: LineChartSpec;
  /**
   * The paper's own law (`optimal --law precision-kumar-2024`): N, D and the training precision P chosen jointly at
   * the budget under its cost model C = (6/16)·N·D·P (§4.3.2), then 16, 8 and 4 bits at the same C.
   */
  readonly paperLaw: { readonly optimum: PrecisionAllocation; readonly compared: readonly PrecisionAllocation[] };
}

/** Bits compared with the compute-optimal precision, as `optimal --law precision-kumar-2024` (BF16, FP8, FP4). */
const COMPARED_BITS = [16, 8, 4];

/** Loss of the low-precision run against its speed-up, BF16 flat, the break-even marked. */
function speedupChart(base: ChinchillaLaw, precision: string, budget: number, t: PrecisionTradeoff, speedup: number): LineChartSpec {
  const bits = PRECISION_PRESETS[precision]!;
  const hi = Math.max(2, speedup * 1.25, t.breakEvenSpeedup * 1.25);
  const xs = Array.from({ length: 41 }, (_, i) => 1 + ((hi - 1) * i) / 40);
  const label = precision.toUpperCase();
  return {
    title: `${label} vs BF16 on the same GPU time, ${budget.toExponential(2)} BF16 FLOP (${base.id} × Kumar et al. 2024)`,
    xLabel: `${label} speed-up over BF16 (FLOP in the same GPU time)`,
    yLabel: "compute-optimal loss (nats/token)",
    markedRange: { from: t.breakEvenSpeedup, to: t.breakEvenSpeedup, label: "break-even" },
    series: [
      { name: label, points: xs.map((s) => ({ x: s, y: precisionTradeoff(base, KUMAR_PRECISION, bits, budget, s).lowPrecisionLoss })) },
      { name: "BF16", points: [1, hi].map((x) => ({ x, y: t.baselineLoss })) },
    ],
  };
}

/** `budget` is the Scaling view's compute budget (its error shows at that field, from the Scaling task). */
export function precisionTask(input: PrecisionInput & { readonly budget: string }, _progress: ProgressFn): PrecisionTaskResult {
  const f = fieldReader("precision");
  const base = f.guard("law", () => CHINCHILLA_FORM_PRESETS.find((l) => l.id === input.precisionLaw) ?? fail("law", input.precisionLaw, CHINCHILLA_FORM_PRESETS.map((l) => l.id)));
  const precision = f.guard("precision", () => ((LOW_PRECISIONS as readonly string[]).includes(input.precision) ? input.precision : fail("precision", input.precision, LOW_PRECISIONS)));
  const speedup = f.number("speedup", input.precisionSpeedup, SPEEDUP_BOUND);
  const budget = f.number("budget", input.budget, SCALING_BOUNDS.budget);
  f.done();
  const t = precisionTradeoff(base!, KUMAR_PRECISION, PRECISION_PRESETS[precision!]!, budget!, speedup!);
  const bf16 = precisionTradeoff(base!, KUMAR_PRECISION, PRECISION_PRESETS["bf16"]!, budget!, 1);
  return {
    law: { id: base!.id, name: base!.name },
    precision: precision!,
    bits: PRECISION_PRESETS[precision!]!.weights,
    budget: budget!,
    speedup: speedup!,
    tradeoff: t,
    baseline: { n: bf16.n, d: bf16.d },
    source: KUMAR_PRECISION.source,
    chart: speedupChart(base!, precision!, budget!, t, speedup!),
    paperLaw: { optimum: jointPrecisionOptimum(KUMAR_PRECISION, budget!), compared: COMPARED_BITS.map((bits) => allocateAtPrecision(KUMAR_PRECISION, budget!, bits)) },
  };
}

function fail(field: string, value: string, allowed: readonly string[]): never {
  throw new InputError(field, value, `one of ${allowed.join(", ")}`);
}
