// `scaleplan limits`: the data-movement limits of Erdil & Schneider-Joseph (2024) for one or several scenarios.
// Thin: parse options → core runSweep / analyticReport → render (table, CSV, JSON, plots).
import { Command, Option } from "@commander-js/extra-typings";
import { InputError, UsageError } from "../../core/errors.ts";
import { parseConfigText } from "../../core/config/parse.ts";
import { formatExp, formatFixed } from "../../core/format.ts";
import { analyticReport, type AnalyticReport } from "../../core/limits/analytic.ts";
import { DATA_MOVEMENT_IDS, requireDataMovementGpu } from "../../core/hardware/lookup.ts";
import { BATCH_RULES, type BatchRule } from "../../core/limits/scaling-rules.ts";
import {
  limitsScenarioSchema,
  MAX_DEPTH_SCALE,
  MAX_MONTHS,
  MAX_TOKENS_PER_PARAM,
  scenarioLabel,
  scenarioToSweepOptions,
  type LimitsScenario,
} from "../../core/limits/scenario.ts";
import { runSweep, type SweepOptions, type SweepPoint, type SweepResult } from "../../core/limits/sweep.ts";
import type { LineChartSpec } from "../../core/plot/line-chart.ts";
import type { Table } from "../../core/table.ts";
import { checkOutputPath, readTextInput } from "../../node/files.ts";
import { renderLineChartSvg, writePlotFile } from "../../node/plot-file.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
import { progressReporter } from "../progress.ts";
import { choiceText, decimalText, plotPathText } from "../../core/config/schema.ts";
import { FRACTION, POSITIVE } from "../../core/config/number.ts";
import { parseFlags } from "../flags.ts";
import { GPU_COUNT, LINK_GBYTES_PER_S, LINK_LATENCY_S, OUTER_BITS, requireListLength, SYNC_EVERY } from "../../core/config/bounds.ts";
import { maxOf } from "../../core/util/extent.ts";

interface LimitsFlags {
  gpu?: string;
  sparse?: boolean;
  batchRule?: string;
  depthScale?: string;
  months?: string;
  tokensPerParam?: string;
  datacenterSize?: string;
  datacenterBandwidth?: string;
  datacenterLatency?: string;
  diloco?: string;
  dilocoOuterBits?: string;
  utilizationFloor?: string;
  zeroBubbleLatency?: string;
  analytic?: boolean;
  csv?: boolean;
  json?: boolean;
  plot?: string;
  plotParallelism?: string;
  compare?: string;
  scenario?: string;
}

/** Command-line flags as a partial scenario (each value checked and named by its option). */
function flagsToScenario(raw: LimitsFlags): LimitsScenario {
  const flags = parseFlags(raw, {
    batchRule: choiceText(BATCH_RULES as unknown as [BatchRule, ...BatchRule[]]).optional(),
    depthScale: decimalText({ ...POSITIVE, max: MAX_DEPTH_SCALE }).optional(),
    months: decimalText({ ...POSITIVE, max: MAX_MONTHS }).optional(),
    tokensPerParam: decimalText({ ...POSITIVE, max: MAX_TOKENS_PER_PARAM }).optional(),
    utilizationFloor: decimalText({ ...FRACTION, allowed: "a fraction of the GPU's ceiling in (0, 1]" }).optional(),
    zeroBubbleLatency: choiceText(["reference", "hidden"]).optional(),
    datacenterSize: decimalText(GPU_COUNT).optional(),
    // The link bounds of `diloco` and the Limits view (config/bounds.ts), in the datacenter level's units.
    datacenterBandwidth: decimalText(LINK_GBYTES_PER_S).optional(),
    datacenterLatency: decimalText(LINK_LATENCY_S).optional(),
    // The bounds of `diloco`, `plan` and run configs (config/bounds.ts SYNC_EVERY, OUTER_BITS).
    diloco: decimalText(SYNC_EVERY).optional(),
    dilocoOuterBits: decimalText(OUTER_BITS).optional(),
  });
  const s: { -readonly [K in keyof LimitsScenario]: LimitsScenario[K] } = {};
  if (flags.gpu !== undefined) {
    requireDataMovementGpu(flags.gpu, "--gpu");
    s.gpu = flags.gpu;
  }
  if (flags.sparse) s.sparse = true;
  if (flags.batchRule !== undefined) s.batchRule = flags.batchRule;
  if (flags.depthScale !== undefined) s.depthScale = flags.depthScale;
  if (flags.months !== undefined) s.months = flags.months;
  if (flags.tokensPerParam !== undefined) s.tokensPerParam = flags.tokensPerParam;
  if (flags.utilizationFloor !== undefined) s.utilizationFloor = flags.utilizationFloor;
  if (flags.zeroBubbleLatency !== undefined) s.zeroBubbleLatency = flags.zeroBubbleLatency;
  const dcGiven = flags.datacenterSize !== undefined || flags.datacenterBandwidth !== undefined || flags.datacenterLatency !== undefined;
  if (dcGiven) {
    if (flags.datacenterSize === undefined) {
      throw new UsageError("--datacenter-bandwidth/--datacenter-latency need --datacenter-size N (GPUs per datacenter)");
    }
    s.datacenter = {
      size: flags.datacenterSize,
      // Defaults: the reference's April-2024 multi-datacenter variant (1 GB/s per GPU, 1 ms).
      bandwidthGBps: flags.datacenterBandwidth ?? 1,
      latencyS: flags.datacenterLatency ?? 1e-3,
      ...(flags.diloco !== undefined ? { diloco: { syncEvery: flags.diloco, ...(flags.dilocoOuterBits !== undefined ? { outerBits: flags.dilocoOuterBits } : {}) } } : {}),
    };
  }
  if ((flags.diloco !== undefined || flags.dilocoOuterBits !== undefined) && !dcGiven) {
    throw new UsageError("--diloco/--diloco-outer-bits need --datacenter-size N (DiLoCo synchronises across the datacenter level)");
  }
  if (flags.dilocoOuterBits !== undefined && flags.diloco === undefined) throw new UsageError("--diloco-outer-bits needs --diloco H");
  return s;
}

async function readScenario(path: string): Promise<LimitsScenario> {
  const text = await readTextInput(path);
  return parseConfigText(text, limitsScenarioSchema, path);
}

interface ResolvedScenario {
  readonly label: string;
  readonly scenario: LimitsScenario;
  readonly options: SweepOptions;
}

function isScenarioPath(entry: string): boolean {
  return /\.(ya?ml|json)$/i.test(entry) || entry === "-";
}

/** defaults < --scenario < flags < each --compare entry (a GPU id or a scenario file). */
async function resolveScenarios(flags: LimitsFlags): Promise<ResolvedScenario[]> {
  const base = flags.scenario !== undefined ? await readScenario(flags.scenario) : {};
  const fromFlags = flagsToScenario(flags);
  const common: LimitsScenario = { ...base, ...fromFlags, ...(base.datacenter || fromFlags.datacenter ? { datacenter: fromFlags.datacenter ?? base.datacenter! } : {}) };
  const gpuField = fromFlags.gpu !== undefined ? "--gpu" : flags.scenario !== undefined ? `${flags.scenario}: gpu` : "--gpu";
  const dcField = fromFlags.datacenter !== undefined ? "--datacenter" : `${flags.scenario ?? "scenario"}: datacenter`;
  if (flags.compare === undefined) {
    const options = scenarioToSweepOptions(common, gpuField, dcField);
    return [{ label: scenarioLabel(common, options), scenario: common, options }];
  }
  const entries = requireListLength("--compare", flags.compare.split(",")).map((e) => e.trim()).filter((e) => e !== "");
  if (entries.length === 0) throw new InputError("--compare", flags.compare, "a comma-separated list of GPU ids or scenario files (.yaml/.yml/.json)");
  const result: ResolvedScenario[] = [];
  for (const entry of entries) {
    let s: LimitsScenario;
    let field: string;
    if (isScenarioPath(entry)) {
      const own = await readScenario(entry);
      s = { ...common, ...own };
      field = `${entry}: gpu`;
    } else {
      requireDataMovementGpu(entry, "--compare");
      s = { ...common, gpu: entry, name: common.name === undefined ? entry : `${common.name} ${entry}` };
      if (common.name === undefined) delete (s as { name?: string }).name;
      field = "--compare";
    }
    const options = scenarioToSweepOptions(s, field, dcField);
    result.push({ label: scenarioLabel(s, options), scenario: s, options });
  }
  return result;
}

function layoutText(p: SweepPoint): string {
  const q = p.parallelism;
  const pp = q.schedule === "zero-bubble" ? `${q.pp}(zb)` : `${q.pp}(${q.interleave})`;
  return `${q.dp} × ${q.tpModel * q.tpFf}(${q.tpModel}×${q.tpFf}) × ${pp} × ${q.ep}`;
}

function pointsTable(result: SweepResult): Table {
  return {
    columns: ["d_model", "layers", "experts", "batch (tok)", "FLOP", "months", "util", "GPUs", "layout DP × TP(m×f) × PP(v) × EP", "microbatches"],
    rows: result.points.map((p) => [
      p.dModel,
      p.layers,
      p.experts,
      formatExp(p.batchTokens),
      formatExp(p.flop),
      formatFixed(p.months, 2),
      formatFixed(p.utilization, 3),
      formatExp(p.gpus),
      layoutText(p),
      p.parallelism.microbatches,
    ]),
  };
}

function csvTable(results: readonly { label: string; result: SweepResult }[]): Table {
  const many = results.length > 1;
  return {
    columns: [
      ...(many ? ["scenario"] : []),
      "d_model", "layers", "experts", "batch_tokens", "flop", "months", "utilization", "gpus",
      "dp", "tp_model", "tp_ff", "pp", "interleave", "ep", "microbatches", "schedule", "tokens_per_matmul",
    ],
    rows: results.flatMap(({ label, result }) =>
      result.points.map((p) => [
        ...(many ? [label] : []),
        p.dModel, p.layers, p.experts, p.batchTokens, p.flop, p.months, p.utilization, p.gpus,
        p.parallelism.dp, p.parallelism.tpModel, p.parallelism.tpFf, p.parallelism.pp, p.parallelism.interleave,
        p.parallelism.ep, p.parallelism.microbatches, p.parallelism.schedule, p.tokensPerMatmul,
      ]),
    ),
  };
}

function summaryLines(result: SweepResult): string {
  const s = result.summary;
  const lines: string[] = [];
  const model = `${result.sparse ? "sparse (MoE)" : "dense"}, ${result.batchRule} batch rule, ${result.months} months`;
  lines.push(`${result.gpuName} (${result.gpuId}), ${model}`);
  const threshold = 0.8 * s.ceiling;
  if (s.linearScalingEnd !== null) {
    const p = result.points.find((x) => x.flop === s.linearScalingEnd)!;
    lines.push(`End of linear scaling (first U ≤ ${formatFixed(threshold, 2)}): ${formatExp(s.linearScalingEnd)} FLOP (d_model ${p.dModel}, U = ${formatFixed(p.utilization, 3)})`);
  } else {
    lines.push(`End of linear scaling (U ≤ ${formatFixed(threshold, 2)}): not reached on the grid`);
  }
  if (s.lastFeasibleFlop !== null) {
    const last = result.points[result.points.length - 1]!;
    lines.push(
      `Largest feasible run: ${formatExp(s.lastFeasibleFlop)} FLOP at U = ${formatFixed(s.lastFeasibleUtilization!, 3)} on ${formatExp(s.lastFeasibleGpus!)} GPUs (d_model ${last.dModel}, ${formatFixed(last.months, 2)} months)`,
    );
  }
  if (s.firstInfeasibleDModel !== null) {
    lines.push(`First infeasible width: d_model ${s.firstInfeasibleDModel} (${formatExp(s.firstInfeasibleFlop!)} FLOP): no cluster finishes within ${result.months} months`);
  } else {
    lines.push(s.stoppedBy === "low-utilization" ? "Sweep stopped: utilization below 0.001" : "First infeasible width: none on the grid");
  }
  const floor = s.utilizationFloor;
  lines.push(
    s.maxFeasibleFlopAtFloor === null
      ? `Maximum feasible compute at U ≥ ${formatFixed(floor, 3)}: none on the grid`
      : `Maximum feasible compute at U ≥ ${formatFixed(floor, 3)} (${formatFixed(floor / s.ceiling, 2)} × ${formatFixed(s.ceiling, 2)}): ${formatExp(s.maxFeasibleFlopAtFloor)} FLOP`,
  );
  return `${lines.join("\n")}\n`;
}

function resultJson(result: SweepResult): Record<string, unknown> {
  return {
    points: result.points.map((p) => ({
      dModel: p.dModel,
      layers: p.layers,
      experts: p.experts,
      batchTokens: p.batchTokens,
      flop: p.flop,
      months: p.months,
      utilization: p.utilization,
      gpus: p.gpus,
      parallelism: p.parallelism,
      params: p.params,
      tokensPerMatmul: p.tokensPerMatmul,
      levels: { dp: p.layout.dp, tpModel: p.layout.tpModel, tpFf: p.layout.tpFf, pp: p.layout.pp, ep: p.layout.ep },
      tpCommS: p.tpCommS,
      dpCommS: p.dpCommS,
      ppEpCommS: p.ppEpCommS,
      latencyS: p.latencyS,
    })),
    linearScalingEnd: result.summary.linearScalingEnd,
    lastFeasibleFlop: result.summary.lastFeasibleFlop,
    firstInfeasibleDModel: result.summary.firstInfeasibleDModel,
    lastFeasibleUtilization: result.summary.lastFeasibleUtilization,
    lastFeasibleGpus: result.summary.lastFeasibleGpus,
    firstInfeasibleFlop: result.summary.firstInfeasibleFlop,
    maxFeasibleFlopAtFloor: result.summary.maxFeasibleFlopAtFloor,
    utilizationFloor: result.summary.utilizationFloor,
    utilizationCeiling: result.summary.ceiling,
    stoppedBy: result.summary.stoppedBy,
    gpu: result.gpuId,
    gpuName: result.gpuName,
    sparse: result.sparse,
    batchRule: result.batchRule,
    months: result.months,
  };
}

function compareSummaryTable(results: readonly { label: string; result: SweepResult }[]): Table {
  return {
    columns: ["scenario", "GPU", "model", "linear scaling end", "largest feasible (U)", "first infeasible d_model", "max compute at floor"],
    rows: results.map(({ label, result }) => {
      const s = result.summary;
      return [
        label,
        result.gpuName,
        result.sparse ? "sparse" : "dense",
        s.linearScalingEnd === null ? "not reached" : formatExp(s.linearScalingEnd),
        s.lastFeasibleFlop === null ? "-" : `${formatExp(s.lastFeasibleFlop)} (${formatFixed(s.lastFeasibleUtilization!, 3)})`,
        s.firstInfeasibleDModel === null ? "none" : String(s.firstInfeasibleDModel),
        s.maxFeasibleFlopAtFloor === null ? "none" : formatExp(s.maxFeasibleFlopAtFloor),
      ];
    }),
  };
}

function compareUtilizationTable(results: readonly { label: string; result: SweepResult }[]): Table {
  const widths = [...new Set(results.flatMap(({ result }) => result.points.map((p) => p.dModel)))].sort((a, b) => a - b);
  return {
    columns: ["d_model", ...results.map(({ label }) => `U ${label}`)],
    rows: widths.map((d) => [
      d,
      ...results.map(({ result }) => {
        const p = result.points.find((x) => x.dModel === d);
        return p ? formatFixed(p.utilization, 3) : "-";
      }),
    ]),
  };
}

function utilizationChart(results: readonly { label: string; result: SweepResult }[]): LineChartSpec {
  const ceiling = maxOf(results.map(({ result }) => result.summary.ceiling));
  return {
    title: "FLOP utilization rates of training runs of given sizes",
    xLabel: "Training compute (16-bit FLOP)",
    yLabel: "Best achievable utilization rate",
    xLog: true,
    yDomain: [0, ceiling],
    dots: true,
    series: results.map(({ label, result }) => ({ name: label, points: result.points.map((p) => ({ x: p.flop, y: p.utilization })) })),
  };
}

function parallelismChart(results: readonly { label: string; result: SweepResult }[]): LineChartSpec {
  const many = results.length > 1;
  const kinds: Array<[string, string, (p: SweepPoint) => number]> = [
    ["Tensor parallelism", "TP", (p) => p.parallelism.tpModel * p.parallelism.tpFf],
    ["Data parallelism", "DP", (p) => p.parallelism.dp],
    ["Pipeline parallelism", "PP", (p) => p.parallelism.pp],
    ["Expert parallelism", "EP", (p) => p.parallelism.ep],
  ];
  return {
    title: many ? "Parallelism strategies" : `Parallelism strategies for ${results[0]!.label}`,
    xLabel: "Training compute (16-bit FLOP)",
    yLabel: "Parallelism fraction log N_X / log N",
    xLog: true,
    yDomain: [0, 1],
    dots: true,
    series: results.flatMap(({ label, result }) =>
      kinds.map(([kind, short, degree]) => ({
        name: many ? `${label} ${short}` : kind,
        // log N_X / log N is undefined for a single GPU; such points are left out.
        points: result.points.filter((p) => p.gpus > 1).map((p) => ({ x: p.flop, y: Math.log(degree(p)) / Math.log(p.gpus) })),
      })),
    ),
  };
}

function analyticTable(reports: readonly AnalyticReport[]): Table {
  return {
    columns: ["GPU", "node", "n* (tokens)", "a*", "τ (µs)", "T_crit (FLOP)", "T_limit (FLOP)"],
    rows: reports.map((r) => [
      r.gpuName,
      r.nodeSize,
      Math.round(r.nanobatchTokens),
      Number.isFinite(r.activationShard) ? Math.round(r.activationShard) : "inf",
      formatFixed(r.latencyUnitS * 1e6, 3),
      formatExp(r.tCrit),
      formatExp(r.tLimit),
    ]),
  };
}

function sensitivityTable(reports: readonly AnalyticReport[]): Table {
  const alphas = reports[0]?.sensitivity.map((r) => r.alpha) ?? [];
  return {
    columns: ["α", ...reports.map((r) => `T_crit ${r.gpuId}`), ...reports.map((r) => `T_limit ${r.gpuId}`)],
    rows: alphas.map((alpha, i) => [
      formatFixed(alpha, 2),
      ...reports.map((r) => formatExp(r.sensitivity[i]!.tCrit)),
      ...reports.map((r) => formatExp(r.sensitivity[i]!.tLimit)),
    ]),
  };
}

/** T_crit and T_limit against α (the notebook's sensitivity plot), one pair of lines per GPU. */
function analyticChart(reports: readonly AnalyticReport[]): LineChartSpec {
  const many = reports.length > 1;
  return {
    title: "Closed-form thresholds vs α = α_batch − α_layers",
    xLabel: "α",
    yLabel: "Training compute (FLOP)",
    yLog: true,
    dots: true,
    series: reports.flatMap((r) => [
      { name: many ? `T_crit ${r.gpuId}` : "T_crit", points: r.sensitivity.filter((x) => Number.isFinite(x.tCrit)).map((x) => ({ x: x.alpha, y: x.tCrit })) },
      { name: many ? `T_limit ${r.gpuId}` : "T_limit", points: r.sensitivity.map((x) => ({ x: x.alpha, y: x.tLimit })) },
    ]),
  };
}

/** Re-labels the engine's field names (months, depthScale) with the option or file the value came from. */
function withOptionNames<T>(flags: LimitsFlags, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const options: Record<string, [string, string | undefined]> = {
      months: ["--months", flags.months],
      depthScale: ["--depth-scale", flags.depthScale],
    };
    const mapped = options[error.field];
    if (!mapped) throw error;
    const [option, given] = mapped;
    const name = given !== undefined || flags.scenario === undefined ? option : `${flags.scenario}: ${error.field}`;
    throw new InputError(name, error.value, error.allowed, `${name}${error.message.slice(error.field.length)}`);
  }
}

async function runLimits(flags: LimitsFlags, io: CliIO): Promise<void> {
  const format = outputFormat(flags);
  parseFlags(flags, { plot: plotPathText().optional(), plotParallelism: plotPathText().optional() });
  if (flags.plot !== undefined) checkOutputPath(flags.plot, "--plot");
  if (flags.plotParallelism !== undefined) checkOutputPath(flags.plotParallelism, "--plot-parallelism");
  const scenarios = await resolveScenarios(flags);

  if (flags.analytic) {
    // The closed forms are parametrised by α = α_batch − α_layers (the sensitivity table), not by a batch rule or
    // a depth multiplier: say so instead of ignoring them (issue 14).
    if (flags.batchRule !== undefined) throw new UsageError("--batch-rule: not used by --analytic (its thresholds are tabulated over α = α_batch − α_layers); drop one of them");
    if (flags.depthScale !== undefined) throw new UsageError("--depth-scale: not used by --analytic (its thresholds are tabulated over α = α_batch − α_layers); drop one of them");
    if (flags.plotParallelism !== undefined) throw new UsageError("--plot-parallelism: --analytic has no layouts to plot; use --plot for T_crit and T_limit vs α");
    const reports = scenarios.map(({ scenario, options }) => analyticReport(options.gpu, scenario.months !== undefined ? { months: scenario.months } : {}));
    if (format === "json") printJson(io, { analytic: reports });
    else if (format === "csv") {
      printTable(io, {
        columns: ["gpu", "alpha", "t_crit_flop", "t_limit_flop"],
        rows: reports.flatMap((r) => r.sensitivity.map((s) => [r.gpuId, s.alpha, s.tCrit, s.tLimit])),
      }, "csv");
    } else {
      io.stdout("Closed-form thresholds at α = 0 (spec §2.11; node-level model, 3-month run unless --months):\n");
      printTable(io, analyticTable(reports), "text");
      io.stdout("\nSensitivity to α = α_batch − α_layers:\n");
      printTable(io, sensitivityTable(reports), "text");
    }
    if (flags.plot !== undefined) {
      await writePlotFile(flags.plot, await renderLineChartSvg(analyticChart(reports)), "--plot");
      io.stderr(`wrote ${flags.plot}\n`);
    }
    return;
  }

  const results: Array<{ label: string; result: SweepResult }> = [];
  for (const { label, options } of scenarios) {
    const progress = progressReporter(io, `limits ${label}`);
    let last = 0;
    const result = withOptionNames(flags, () =>
      runSweep(options, (done, total) => {
        last = total;
        progress.update(done, total);
      }),
    );
    progress.update(last, last);
    progress.end();
    results.push({ label, result });
  }

  const svgs: Array<[string, string, string]> = [];
  if (flags.plot !== undefined) svgs.push(["--plot", flags.plot, await renderLineChartSvg(utilizationChart(results))]);
  if (flags.plotParallelism !== undefined) svgs.push(["--plot-parallelism", flags.plotParallelism, await renderLineChartSvg(parallelismChart(results))]);

  if (format === "json") {
    printJson(io, results.length === 1 ? resultJson(results[0]!.result) : { scenarios: results.map(({ label, result }) => ({ name: label, ...resultJson(result) })) });
  } else if (format === "csv") {
    printTable(io, csvTable(results), "csv");
  } else if (results.length === 1) {
    printTable(io, pointsTable(results[0]!.result), "text");
    io.stdout(`\n${summaryLines(results[0]!.result)}`);
  } else {
    printTable(io, compareSummaryTable(results), "text");
    io.stdout("\n");
    printTable(io, compareUtilizationTable(results), "text");
  }
  for (const [option, path, svg] of svgs) {
    await writePlotFile(path, svg, option);
    io.stderr(`wrote ${path}\n`);
  }
}

export function registerLimits(program: Command, io: CliIO): void {
  program
    .command("limits")
    .description(
      "Data-movement limits to training (Erdil & Schneider-Joseph 2024): the utilization of the best parallel layout on the smallest cluster that trains each model of the width grid in time",
    )
    .addOption(new Option("--gpu <id>", `GPU or system of the hardware catalogue: ${DATA_MOVEMENT_IDS.join(", ")} (default h100-sxm)`))
    .option("--sparse", "mixture-of-experts models by the sparsity rule (dense by default)")
    .addOption(new Option("--batch-rule <rule>", "batch-size rule: critical (4 Mi tokens at 3e23 FLOP, ∝ C^1/6; default), fixed (4 Mi tokens), deepseek"))
    .option("--depth-scale <x>", "multiply the rounded depth by x, rounding down (default 1)")
    .option("--months <m>", "training duration limit in months (default 3)")
    .option("--tokens-per-param <r>", "dataset tokens per total parameter (default 20)")
    .option("--datacenter-size <n>", "add a network level above scale-out: datacenters of n GPUs")
    .option("--datacenter-bandwidth <GBps>", "bidirectional per-GPU bandwidth between datacenters, GB/s (default 1)")
    .option("--datacenter-latency <s>", "latency per hop between datacenters, seconds (default 0.001)")
    .option("--diloco <H>", "DiLoCo across the datacenters: data parallelism synchronises there every H steps (docs/diloco.md)")
    .option("--diloco-outer-bits <b>", "with --diloco: bits per outer-gradient value (default: the training width)")
    .option("--utilization-floor <f>", "floor for 'maximum feasible compute', as a fraction of the GPU's ceiling (default 0.8)")
    .option("--zero-bubble-latency <mode>", "zero-bubble pipeline latency: reference (dropped, as the authors' code) or hidden (overlapped, as intended)")
    .option("--analytic", "print the closed-form thresholds T_crit, T_limit and their α sensitivity instead of sweeping")
    .option("--compare <list>", "comma-separated GPU ids and/or scenario files to run side by side")
    .option("--scenario <file>", "YAML/JSON scenario with the same options in camelCase, a custom gpu and network")
    .option("--plot <file>", "write utilization vs training compute to FILE.svg or FILE.png")
    .option("--plot-parallelism <file>", "write log N_X / log N vs training compute to FILE.svg or FILE.png")
    .option("--json", "one JSON document")
    .option("--csv", "CSV rows")
    .action(async (flags) => runLimits(flags, io));
}
