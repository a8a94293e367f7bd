// Runs inside the worker: a mixture-of-experts law preset → the compute-optimal configurations of a budget over
// experts (total and active parameters, tokens), as `scaleplan optimal --law moe-…` prints them.
import { InputError } from "../../../../src/core/errors.ts";
import { EXPERT_COUNT, MOE_GRANULARITY, PARAMETER_COUNT } from "../../../../src/core/config/bounds.ts";
import type { LineChartSpec } from "../../../../src/core/plot/line-chart.ts";
import { allocate, type Allocation } from "../../../../src/core/scaling/allocation.ts";
import { allocateJointMoe, granularMoeOptimum, JOINT_MOE_FITTED_RANGE, jointMoeExtrapolations, type MoeConfiguration } from "../../../../src/core/scaling/moe-allocation.ts";
import type { GranularMoeLaw, JointMoeLaw, MoeLaw, RoutedMoeLaw } from "../../../../src/core/scaling/moe-law-types.ts";
import { routedEffectiveParams, routedMoeLoss } from "../../../../src/core/scaling/moe-laws.ts";
import { findMoePreset, GRANULAR_DENSE_2024, MOE_LAW_PRESETS } from "../../../../src/core/scaling/moe-presets.ts";
import type { Bound } from "../../worker/bounds.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { fieldReader } from "./read-fields.ts";
import type { MoeInput } from "./panel-inputs.ts";

/** What the MoE panel's fields accept. */
export const MOE_BOUNDS = {
  // As `scaleplan optimal`: below 1e12 FLOP no published fit has a run (Kaplan et al. 2020 Fig. 1), above 1e35 nothing is plannable.
  budget: { min: 1e12, max: 1e35 },
  // The bounds of `optimal --experts/--max-total-params/--params/--granularity` (config/bounds.ts, with their reasons).
  experts: EXPERT_COUNT,
  params: PARAMETER_COUNT,
  granularity: MOE_GRANULARITY,
} as const satisfies Readonly<Record<string, Bound>>;
/** Granularities charted for moe-granular-2024 (beside the chosen one); the paper's runs span 1–16. */
const GRANULARITIES = [1, 2, 4, 8, 16, 32, 64];

export interface MoeRow extends MoeConfiguration {
  readonly granularity?: number;
  /** How this configuration leaves the law's fitted range (empty: inside). */
  readonly extrapolation: readonly string[];
}

export interface MoeTaskResult {
  readonly law: { readonly id: string; readonly name: string; readonly source: string; readonly params: string; readonly form: MoeLaw["form"] };
  /** Compute-optimal configurations (joint: one per expert count; granular: at the chosen G). */
  readonly configurations: readonly MoeRow[];
  readonly bestIndex: number;
  /** Clark et al.: loss and effective parameter count by expert count at a fixed base size (no token term). */
  readonly routed: ReadonlyArray<{ readonly experts: number; readonly params: number; readonly effectiveParams: number; readonly loss: number }>;
  /** The dense law fitted with it (moe-granular-2024 only), allocated on the same budget. */
  readonly dense: (Allocation & { readonly id: string }) | null;
  readonly chart: LineChartSpec;
}

function lawInfo(law: MoeLaw): MoeTaskResult["law"] {
  return { id: law.id, name: law.name, source: law.source, params: law.conventions.params, form: law.form };
}

function jointResult(law: JointMoeLaw, budget: number, experts: number[], maxTotal: number | undefined): MoeTaskResult {
  const r = allocateJointMoe(law, budget, { experts, ...(maxTotal !== undefined ? { maxTotalParams: maxTotal } : {}) });
  const configurations = r.configurations.map((c) => ({ ...c, extrapolation: jointMoeExtrapolations(c) }));
  const chart: LineChartSpec = {
    title: `Compute-optimal loss at ${budget.toExponential(2)} FLOP by expert count (${law.id})`,
    xLabel: "experts E",
    yLabel: "predicted loss (nats/token)",
    xLog: true,
    dots: true,
    markedRange: { from: 1, to: JOINT_MOE_FITTED_RANGE.maxExperts, label: "fitted E" },
    series: [{ name: "compute-optimal loss", points: configurations.map((c) => ({ x: c.experts, y: c.loss })) }],
  };
  return { law: lawInfo(law), configurations, bestIndex: r.configurations.indexOf(r.best), routed: [], dense: null, chart };
}

function granularResult(law: GranularMoeLaw, budget: number, granularity: number): MoeTaskResult {
  const c = granularMoeOptimum(law, budget, granularity);
  // The paper's runs span G in [1, 16] at expansion rate E = 64 (their §5): past 16 the loss is extrapolated.
  const extrapolation = granularity > 16 ? [`G = ${granularity} is above the fitted granularities (1–16)`] : [];
  const gs = [...new Set([...GRANULARITIES, granularity])].sort((a, b) => a - b);
  const chart: LineChartSpec = {
    title: `Compute-optimal loss at ${budget.toExponential(2)} FLOP by granularity (${law.id}, routing FLOPs not counted)`,
    xLabel: "granularity G = d_ff / d_expert",
    yLabel: "predicted loss (nats/token)",
    xLog: true,
    dots: true,
    markedRange: { from: 1, to: 16, label: "fitted G" },
    series: [{ name: "compute-optimal loss", points: gs.map((g) => ({ x: g, y: granularMoeOptimum(law, budget, g).loss })) }],
  };
  return { law: lawInfo(law), configurations: [{ ...c, granularity, extrapolation }], bestIndex: 0, routed: [], dense: { ...allocate(GRANULAR_DENSE_2024, budget), id: GRANULAR_DENSE_2024.id }, chart };
}

function routedResult(law: RoutedMoeLaw, params: number, experts: number[]): MoeTaskResult {
  const routed = experts.map((e) => ({ experts: e, params, effectiveParams: routedEffectiveParams(law, params, e), loss: routedMoeLoss(law, params, e) }));
  const chart: LineChartSpec = {
    title: `Effective parameter count of a ${params.toExponential(2)}-parameter base model by expert count (${law.id})`,
    xLabel: "experts E",
    yLabel: "effective (dense-equivalent) parameters",
    xLog: true,
    yLog: true,
    dots: true,
    series: [{ name: "effective parameters", points: routed.map((r) => ({ x: r.experts, y: r.effectiveParams })) }],
  };
  return { law: lawInfo(law), configurations: [], bestIndex: -1, routed, dense: null, chart };
}

export function moeTask(input: MoeInput, _progress: ProgressFn): MoeTaskResult {
  const f = fieldReader("moe");
  const law = f.guard("law", () => findMoePreset(input.moeLaw) ?? failUnknownLaw(input.moeLaw));
  const budget = f.number("budget", input.moeBudget, MOE_BOUNDS.budget);
  const experts = f.list("experts", input.moeExperts, MOE_BOUNDS.experts);
  const capped = input.moeMaxTotal.trim() !== "";
  const maxTotal = capped ? f.number("maxTotal", input.moeMaxTotal, MOE_BOUNDS.params) : undefined;
  const granularity = f.number("granularity", input.moeGranularity, MOE_BOUNDS.granularity);
  const params = f.number("params", input.moeParams, MOE_BOUNDS.params);
  if (law === undefined) return f.done() as unknown as MoeTaskResult; // done() throws: the law's error is recorded
  // Only the fields the chosen law reads (and the panel shows) can block it.
  const reads: Record<MoeLaw["form"], unknown[]> = {
    "moe-joint": [budget, experts, ...(capped ? [maxTotal] : [])],
    "moe-granular": [budget, granularity],
    "moe-routed": [params, experts],
    "moe-sparsity": [],
  };
  if (reads[law.form].some((v) => v === undefined)) f.done();
  if (law.form === "moe-joint") return jointResult(law, budget!, experts!, maxTotal);
  if (law.form === "moe-granular") return granularResult(law, budget!, granularity!);
  if (law.form === "moe-routed") return routedResult(law, params!, experts!);
  throw new Error(`${law.id}: no published constants`);
}

function failUnknownLaw(id: string): never {
  throw new InputError("law", id, `one of ${MOE_LAW_PRESETS.map((l) => l.id).join(", ")}`);
}
