// MoE paths of `fit --form moe` and `optimal --law moe-…` (issue 14): thin wrappers over core/scaling/moe-*.ts.
import { InputError, UsageError } from "../../core/errors.ts";
import { EXPERT_COUNT, MOE_GRANULARITY, PARAMETER_COUNT, requireListLength } from "../../core/config/bounds.ts";
import { meetsRule } from "../../core/config/number.ts";
import { formatExp, formatSI } from "../../core/format.ts";
import { fitJointMoe } from "../../core/scaling/fit-moe.ts";
import { allocateJointMoe, granularMoeOptimum, jointMoeExtrapolations, type MoeConfiguration } from "../../core/scaling/moe-allocation.ts";
import type { JointMoeLaw, MoeLaw } from "../../core/scaling/moe-law-types.ts";
import { routedEffectiveParams, routedMoeLoss } from "../../core/scaling/moe-laws.ts";
import { findMoePreset } from "../../core/scaling/moe-presets.ts";
import { parseMoeRuns } from "../../core/scaling/moe-runs.ts";
import type { CliIO } from "../io.ts";
import { printJson, printTable } from "../output.ts";
import { numberFlag, optionalNumberFlag } from "../number-flag.ts";

const positive = (x: number) => x > 0;

/** `fit --form moe`: the joint law of Ludziejewski et al. 2025 fitted to the runs. */
export function runMoeFit(io: CliIO, text: string, source: string, format: "json" | "csv" | "text"): void {
  const fit = fitJointMoe(parseMoeRuns(text, source));
  if (format === "json") return printJson(io, { kind: "scaleplan-moe-fit", law: fit.law, objective: fit.objective, points: fit.points, rmsLogResidual: fit.rmsLogResidual, converged: fit.converged });
  const l = fit.law;
  const rows: Array<[string, number]> = [["a", l.a], ["alpha", l.alpha], ["delta", l.delta], ["gamma", l.gamma], ["b", l.b], ["beta", l.beta], ["omega", l.omega], ["zeta", l.zeta], ["c", l.c], ["E_start (held)", l.eStart], ["E_max (held)", l.eMax]];
  if (format === "text") io.stdout(`Joint MoE law L = a·Ê^δ·N_act^(α+γ ln Ê) + b·Ê^ω·D^(β+ζ ln Ê) + c (Ludziejewski et al. 2025 eq. 6) on ${fit.points} runs; rms log residual ${fit.rmsLogResidual.toFixed(4)}\n\n`);
  printTable(io, { columns: ["constant", "value"], rows: rows.map(([k, v]) => [k, Number(v.toPrecision(5))]) }, format === "csv" ? "csv" : "text");
  if (format === "text") io.stdout("\nSave with --json and use it: scaleplan optimal --fit moe-fit.json --flops 1e21\n");
}

/** A MoE law from --law (preset id) or --fit (a `fit --form moe --json` document), else undefined. */
export function moeLawFrom(spec: string | undefined, fitDoc: unknown): MoeLaw | undefined {
  if (fitDoc !== undefined && typeof fitDoc === "object" && fitDoc !== null && (fitDoc as { kind?: unknown }).kind === "scaleplan-moe-fit") {
    return (fitDoc as { law: JointMoeLaw }).law;
  }
  return spec === undefined ? undefined : findMoePreset(spec);
}

export interface MoeOptimalFlags {
  readonly experts?: string | undefined;
  readonly maxTotalParams?: string | undefined;
  readonly granularity?: string | undefined;
  readonly params?: string | undefined;
}

function expertList(raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  // The bounds of the Scaling view's MoE panel too (config/bounds.ts): `--experts 1e15` printed 1.8e23 parameters.
  return requireListLength("--experts", raw.split(",")).map((e) => numberFlag("--experts", e, `a comma-separated list, each ${EXPERT_COUNT.allowed}`, (x) => meetsRule(x, EXPERT_COUNT)));
}

function configRows(configs: readonly MoeConfiguration[], best: MoeConfiguration): Array<Array<string | number>> {
  return configs.map((c) => [
    c.experts,
    formatSI(c.activeParams, 3),
    formatSI(c.totalParams, 3),
    formatSI(c.tokens, 3),
    c.tokensPerActiveParam.toFixed(1),
    c.loss.toFixed(4),
    `${c === best ? "best" : ""}${c.memoryBound ? (c === best ? ", " : "") + "memory-bound" : ""}`,
  ]);
}

/** `optimal --law moe-…`: configurations over experts (joint law), at a granularity (2024 law), or EPC (Clark). */
export function runMoeOptimal(io: CliIO, law: MoeLaw, flops: number, flags: MoeOptimalFlags, format: "json" | "csv" | "text"): void {
  const columns = ["experts", "N_act", "N_total", "tokens D", "D/N_act", "loss", "note"];
  if (law.form === "moe-joint") {
    if (flags.granularity !== undefined) throw new UsageError(`--granularity: not used by ${law.id} (its experts are coarse-grained, G = 1)`);
    const maxTotal = optionalNumberFlag("--max-total-params", flags.maxTotalParams, PARAMETER_COUNT.allowed, (x) => meetsRule(x, PARAMETER_COUNT));
    const experts = expertList(flags.experts);
    const r = allocateJointMoe(law, flops, { ...(experts ? { experts } : {}), ...(maxTotal !== undefined ? { maxTotalParams: maxTotal } : {}) });
    if (format === "json") return printJson(io, { law: { id: law.id, name: law.name, source: law.source, conventions: law.conventions }, budgetFlops: flops, configurations: r.configurations, best: r.best });
    if (format === "text") {
      io.stdout(`Compute-optimal MoE configurations for ${formatExp(flops, 3)} FLOP under ${law.id}: ${law.name} (${law.source})\nN counts ${law.conventions.params}; F = 6·N_act·D${maxTotal !== undefined ? `; total parameters capped at ${formatSI(maxTotal)}` : ""}\n\n`);
    }
    printTable(io, { columns, rows: configRows(r.configurations, r.best) }, format === "csv" ? "csv" : "text");
    if (format === "text") {
      const outside = r.configurations.filter((c) => jointMoeExtrapolations(c).length > 0);
      io.stdout(`\nBest: ${r.best.experts} experts, ${formatSI(r.best.activeParams)} active / ${formatSI(r.best.totalParams)} total parameters on ${formatSI(r.best.tokens)} tokens (loss ${r.best.loss.toFixed(4)}).\n`);
      if (outside.length > 0) io.stdout(`Outside the fitted range (E in 1–32, N_act up to 2.7B, D/N_act up to ~400; their App. C): ${outside.map((c) => c.experts).join(", ")} experts.\n`);
    }
    return;
  }
  if (law.form === "moe-granular") {
    if (flags.experts !== undefined || flags.maxTotalParams !== undefined) throw new UsageError(`--experts/--max-total-params: not used by ${law.id} (fitted at expansion rate ${law.expansion}); give --granularity`);
    const g = numberFlag("--granularity", flags.granularity ?? "8", MOE_GRANULARITY.allowed, (x) => meetsRule(x, MOE_GRANULARITY));
    const c = granularMoeOptimum(law, flops, g);
    if (format === "json") return printJson(io, { law: { id: law.id, name: law.name, source: law.source, conventions: law.conventions }, budgetFlops: flops, granularity: g, configuration: c });
    if (format === "text") io.stdout(`Compute-optimal size at granularity ${g} for ${formatExp(flops, 3)} FLOP under ${law.id} (${law.source}); expansion rate ${law.expansion}, routing FLOPs not counted\n\n`);
    printTable(io, { columns, rows: configRows([c], c) }, format === "csv" ? "csv" : "text");
    return;
  }
  if (law.form === "moe-routed") {
    const n = optionalNumberFlag("--params", flags.params, "a finite number > 0", positive);
    if (n === undefined) throw new UsageError(`${law.id} has a fixed 130B-token budget and no allocation; give --params N (the dense base size) for its loss and effective parameter count by expert count`);
    const experts = expertList(flags.experts) ?? [1, 8, 16, 32, 64, 128, 256, 512];
    const rows = experts.map((e) => [e, formatSI(n), formatSI(routedEffectiveParams(law, n, e), 4), routedMoeLoss(law, n, e).toFixed(4)]);
    if (format === "json") return printJson(io, { law: { id: law.id, source: law.source }, params: n, rows: experts.map((e) => ({ experts: e, effectiveParams: routedEffectiveParams(law, n, e), loss: routedMoeLoss(law, n, e) })) });
    if (format === "text") io.stdout(`${law.name} (${law.source}): loss and effective parameter count (the dense size with the same loss)\n\n`);
    printTable(io, { columns: ["experts", "base N", "effective N", "loss"], rows }, format === "csv" ? "csv" : "text");
    return;
  }
  throw new UsageError(`${law.id}: ${law.form} laws have no published constants here; fit one or give a law file`);
}
