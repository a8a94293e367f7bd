import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../../core/errors.ts";
import { formatExp, formatSI } from "../../core/format.ts";
import { fitApproach1 } from "../../core/scaling/approach1.ts";
import { fitApproach2 } from "../../core/scaling/approach2.ts";
import { CHINCHILLA_GRID, DEFAULT_GRID, fitApproach3, predictWithInterval, type Approach3Fit, type RunPoint } from "../../core/scaling/approach3.ts";
import { chinchillaOptimum } from "../../core/scaling/chinchilla-law.ts";
import { approach2Chart, approach3FitChart, frontierChart } from "../../core/scaling/fit-charts.ts";
import { fitCriticalBatch, fitSaturatingPowerLaw } from "../../core/scaling/one-variable.ts";
import { centralInterval } from "../../core/scaling/percentile.ts";
import { parseColumnMapping, parseRuns, toRunPoints, type ParsedRuns } from "../../core/scaling/runs.ts";
import type { Table } from "../../core/table.ts";
import { checkOutputPath, readTextInput } from "../../node/files.ts";
import { renderFitChartSvg, writePlotFile } from "../../node/plot-file.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
import { progressReporter } from "../progress.ts";
import { choiceText, decimalText, plotPathText } from "../../core/config/schema.ts";
import { NON_NEGATIVE, OPEN_FRACTION, POSITIVE } from "../../core/config/number.ts";
import { parseFlags, rejectUnusedOptions } from "../flags.ts";
import { BOOTSTRAP_RESAMPLES } from "../../core/config/bounds.ts";
import { runMoeFit } from "./moe-commands.ts";
import { runPrecisionFit } from "./precision-option.ts";
import { maxOf, minOf } from "../../core/util/extent.ts";

const sig = (v: number, digits = 4) => Number(v.toPrecision(digits)).toString();

/** The --json document of an Approach-3 fit; `optimal --fit FILE` reads it back. */
export function approach3Json(fit: Approach3Fit): Record<string, unknown> {
  return {
    kind: "scaleplan-fit",
    approach: 3,
    law: fit.law,
    intervals: fit.intervals ?? null,
    frontier: fit.frontier,
    objective: fit.objective,
    points: fit.points,
    delta: fit.delta,
    optimizer: fit.optimizer,
    residuals: fit.residuals,
    ...(fit.bootstrap ? { bootstrap: fit.bootstrap } : {}),
  };
}

/** JSON with the bootstrap samples one per line (a 1,000-sample file stays readable and diffable). */
function stringifyFit(doc: Record<string, unknown>): string {
  const boot = doc.bootstrap as { samples: unknown[] } | undefined;
  if (!boot) return `${JSON.stringify(doc, null, 2)}\n`;
  const placeholder = "__SAMPLES__";
  const text = JSON.stringify({ ...doc, bootstrap: { ...boot, samples: placeholder } }, null, 2);
  const rows = boot.samples.map((s) => `      ${JSON.stringify(s)}`).join(",\n");
  return `${text.replace(`"${placeholder}"`, `[\n${rows}\n    ]`)}\n`;
}

const FRONTIER_BUDGETS = [1e19, 1e20, 1e21, 1e22, 1e23, 5.76e23, 1e24, 1e25, 1e26];

function approach3Text(fit: Approach3Fit, dropped: number): string {
  const o = fit.optimizer;
  const iv = fit.intervals;
  const lines: string[] = [];
  lines.push(`Approach 3: L(N, D) = E + A/N^alpha + B/D^beta; ${fit.points} runs${dropped ? ` (${dropped} highest-loss runs dropped)` : ""}; summed Huber (delta ${fit.delta}) on log residuals`);
  const s = o.bestStart;
  lines.push(
    `L-BFGS from ${o.starts} starts (${o.startsConverged} converged, ${o.startsReachingBest} within 0.1% of the optimum); best start alpha ${s.alpha}, beta ${s.beta}, e ${s.e}, a ${s.a}, b ${s.b}: ${o.bestStartOnBoundary ? "on the grid boundary" : "inside the grid"}; the optimum is ${o.optimumInsideGrid ? "inside the grid's box" : "OUTSIDE the grid's box (widen the grid)"}`,
  );
  lines.push(`objective ${fit.objective.toExponential(6)}, gradient norm ${o.gradNorm.toExponential(1)} (${o.reason}); rms log residual ${fit.residuals.rmsLog.toFixed(4)}, max ${fit.residuals.maxAbsLog.toFixed(4)}`);
  lines.push("");
  const level = fit.bootstrap ? `${Math.round(fit.bootstrap.level * 100)}%` : "";
  const table: Table = {
    columns: iv ? ["parameter", "estimate", `${level} lo`, `${level} hi`] : ["parameter", "estimate"],
    rows: [
      ["E", fit.law.E, iv?.E],
      ["A", fit.law.A, iv?.A],
      ["B", fit.law.B, iv?.B],
      ["alpha", fit.law.alpha, iv?.alpha],
      ["beta", fit.law.beta, iv?.beta],
      ["a = beta/(alpha+beta)", fit.frontier.a, iv?.a],
      ["b = alpha/(alpha+beta)", fit.frontier.b, iv?.b],
    ].map(([name, v, i]) => {
      const row: Array<string | number> = [name as string, sig(v as number, 5)];
      if (iv) row.push(sig((i as [number, number])[0], 4), sig((i as [number, number])[1], 4));
      return row;
    }),
  };
  let out = `${lines.join("\n")}\n`;
  out += (printable(table));
  if (fit.bootstrap) out += `(${fit.bootstrap.samples.length} of ${fit.bootstrap.resamples} bootstrap refits converged; seed ${fit.bootstrap.seed}; A and B are poorly identified, compare fits by predictions and a)\n`;
  out += `\nCompute-optimal frontier (C = 6ND): N_opt = ${sig(fit.frontier.G)}·(C/6)^${sig(fit.frontier.a)}, D_opt = (C/6)^${sig(fit.frontier.b)}/${sig(fit.frontier.G)}\n`;
  const samples = fit.bootstrap?.samples ?? [];
  const frontier: Table = {
    columns: ["C (FLOP)", "N_opt", ...(samples.length ? ["N lo", "N hi"] : []), "D_opt", "tokens/param", "loss", ...(samples.length ? ["loss lo", "loss hi"] : [])],
    rows: FRONTIER_BUDGETS.map((c) => {
      const opt = chinchillaOptimum(fit.law, c);
      const pred = predictWithInterval(fit, opt.n, opt.d);
      const nIv = samples.length ? centralInterval(samples.map(([E, A, B, alpha, beta]) => chinchillaOptimum({ E, A, B, alpha, beta }, c).n), fit.bootstrap!.level) : undefined;
      return [
        formatExp(c),
        formatSI(opt.n),
        ...(nIv ? [formatSI(nIv[0]), formatSI(nIv[1])] : []),
        formatSI(opt.d),
        (opt.d / opt.n).toFixed(1),
        pred.loss.toFixed(4),
        ...(pred.interval ? [pred.interval[0].toFixed(4), pred.interval[1].toFixed(4)] : []),
      ];
    }),
  };
  return out + printable(frontier);
}

function printable(table: Table): string {
  let s = "";
  printTable({ stdout: (t) => (s += t), stderr: () => {}, stderrIsTTY: false }, table, "text");
  return s;
}

export function registerFit(program: Command, io: CliIO): void {
  program
    .command("fit")
    .description("Fit a scaling law to your runs (Chinchilla Approach 3 by default; 2 = IsoFLOP, 1 = envelope; one-variable and critical-batch forms)")
    .argument("<runs>", "CSV, TSV or JSONL of runs (\"-\" = stdin); headers N/params, D/tokens, C/flops, loss are recognised")
    .option("--columns <map>", 'map fields to your headers, e.g. "n=Model Size,c=Training FLOP,loss=loss"')
    .option("--approach <k>", "3 (parametric L(N, D)), 2 (IsoFLOP parabolas), 1 (envelope of per-step curves; needs a run column)", "3")
    .option("--form <form>", "nd (default), n / d / c (one-variable L(X) = E + A/X^alpha), batch (S(B) = S_min + E_min/B; needs batch and steps columns), moe (joint dense/MoE law; columns active, experts, tokens, loss), precision (Kumar et al. precision law; columns params, tokens, bits, loss)", "nd")
    .option("--delta <d>", "Huber threshold on log residuals", "1e-3")
    .option("--grid <grid>", "start grid for Approach 3: default (243 starts) or chinchilla (4,500)", "default")
    .option("--bootstrap <k>", "bootstrap resamples for intervals (0 = none)", "1000")
    .option("--seed <s>", "seed of the bootstrap", "1")
    .option("--level <p>", "interval level", "0.95")
    .option("--drop-highest <k>", "drop the k runs with the highest loss first (Besiroglu et al. drop 5)", "0")
    .option("--isoflop-tolerance <decades>", "Approach 2: runs within this many decades of C form one IsoFLOP profile", "0.05")
    .option("--plot <file>", "fitted law vs the runs, loss against N per compute budget (.svg or .png)")
    .option("--frontier-plot <file>", "N_opt(C) with its bootstrap band (.svg or .png)")
    .option("--json", "one JSON document (save it and pass it to `optimal --fit`)")
    .option("--csv", "CSV")
    .action(async (runsPath, opts, command) => {
      const format = outputFormat(opts);
      const flags = parseFlags(opts, {
        approach: choiceText(["1", "2", "3"]),
        form: choiceText(["nd", "n", "d", "c", "batch", "moe", "precision"]),
        grid: choiceText(["default", "chinchilla"]),
        delta: decimalText(POSITIVE),
        bootstrap: decimalText(BOOTSTRAP_RESAMPLES),
        seed: decimalText({ ...NON_NEGATIVE, integer: true }),
        level: decimalText(OPEN_FRACTION),
        dropHighest: decimalText({ ...NON_NEGATIVE, integer: true }),
        isoflopTolerance: decimalText(POSITIVE),
        plot: plotPathText().optional(),
        frontierPlot: plotPathText().optional(),
      });
      if (flags.form === "moe" || flags.form === "precision") {
        // These forms read fixed columns and fit by their own method: the Approach options do not apply.
        const unused = ["columns", "approach", "delta", "grid", "bootstrap", "seed", "level", "dropHighest", "isoflopTolerance", "plot", "frontierPlot"];
        rejectUnusedOptions(command, unused, `--form ${flags.form}`, flags.form === "moe" ? "it reads the columns active, experts, tokens, loss and fits the joint law" : "it reads the columns params, tokens, bits, loss and fits the tied precision law");
        const text = await readTextInput(runsPath);
        return flags.form === "moe" ? runMoeFit(io, text, runsPath, format) : runPrecisionFit(io, text, runsPath, format);
      }
      const { approach, form, grid, delta, bootstrap, seed, level, isoflopTolerance: tolerance } = flags;
      const drop = flags.dropHighest;
      // Output paths are checked before a fit that may take minutes.
      if (flags.plot !== undefined) checkOutputPath(flags.plot, "--plot");
      if (flags.frontierPlot !== undefined) checkOutputPath(flags.frontierPlot, "--frontier-plot");
      const columns = opts.columns !== undefined ? parseColumnMapping(opts.columns) : {};
      const parsed = parseRuns(await readTextInput(runsPath), runsPath, columns);

      if (form === "batch") return fitBatch(io, parsed, runsPath, format);
      let points = toRunPoints(parsed, runsPath);
      if (drop > 0) {
        if (drop >= points.length) throw new InputError("--drop-highest", opts.dropHighest, `fewer than the ${points.length} runs`);
        points = [...points].sort((p, q) => p.loss - q.loss).slice(0, points.length - drop);
      }
      if (form !== "nd") return fitOneVariable(io, points, form, delta, format);

      const options = { delta, grid, bootstrap, seed, level, tolerance, drop, plot: flags.plot, frontierPlot: flags.frontierPlot };
      if (approach === "1") return runApproach1(io, points, runsPath, options, format);
      if (approach === "2") return runApproach2(io, points, options, format);
      return runApproach3(io, points, options, format);
    });
}

/** The fit options the three approaches share (as parsed from the flags). */
interface FitFlags {
  readonly delta: number;
  readonly grid: "default" | "chinchilla";
  readonly bootstrap: number;
  readonly seed: number;
  readonly level: number;
  readonly tolerance: number;
  readonly drop: number;
  readonly plot: string | undefined;
  readonly frontierPlot: string | undefined;
}
type Format = "json" | "csv" | "text";

/** Approach 1: the lower envelope of per-step training curves (needs a run column). */
function runApproach1(io: CliIO, points: ReturnType<typeof toRunPoints>, runsPath: string, o: FitFlags, format: Format): void {
  const curves = points.map((p) => {
    if (p.run === undefined) throw new InputError(`${runsPath}:${p.line}`, "no run id", "a run column (per-step curves) for Approach 1", `${runsPath}:${p.line}: Approach 1 needs a run column naming the training curve of each row`);
    return { run: p.run, n: p.n, d: p.d, loss: p.loss };
  });
  const fit = fitApproach1(curves, { bootstrap: Math.min(o.bootstrap, 1000), seed: o.seed, level: o.level });
  if (format === "json") return printJson(io, { kind: "scaleplan-fit", approach: 1, frontier: { a: fit.a, b: fit.b, kN: fit.kN }, intervals: fit.intervals ?? null, runs: fit.runs, envelope: fit.envelope });
  io.stdout(`Approach 1: lower envelope of ${fit.runs} training curves at ${fit.envelope.length} budgets; N_opt = ${sig(fit.kN)}·C^${sig(fit.a)}\n`);
  return printTable(io, { columns: ["exponent", "estimate", "lo", "hi"], rows: [["a (N_opt ∝ C^a)", sig(fit.a), ...(fit.intervals ? fit.intervals.a.map((v) => sig(v)) : ["", ""])], ["b (D_opt ∝ C^b)", sig(fit.b), ...(fit.intervals ? fit.intervals.b.map((v) => sig(v)) : ["", ""])]] }, format === "csv" ? "csv" : "text");
}

/** Approach 2: IsoFLOP parabolas and the frontier through their vertices. */
async function runApproach2(io: CliIO, points: readonly RunPoint[], o: FitFlags, format: Format): Promise<void> {
  const fit = fitApproach2(points, { groupTolerance: o.tolerance, bootstrap: o.bootstrap, seed: o.seed, level: o.level });
  if (o.plot !== undefined) await writePlotFile(o.plot, await renderFitChartSvg(approach2Chart(fit, points, o.tolerance)));
  if (format === "json") return printJson(io, { kind: "scaleplan-fit", approach: 2, frontier: { a: fit.a, b: fit.b, kN: fit.kN, kD: fit.kD }, intervals: fit.intervals ?? null, profiles: fit.profiles });
  if (format === "text") io.stdout(`Approach 2: ${fit.profiles.length} IsoFLOP profiles; N_opt = ${sig(fit.kN)}·C^${sig(fit.a)}, D_opt = ${sig(fit.kD)}·C^${sig(fit.b)}${fit.intervals ? ` (a ${Math.round(o.level * 100)}% CI ${fit.intervals.a.map((v) => sig(v)).join("–")})` : ""}\n`);
  return printTable(
    io,
    {
      columns: ["C (FLOP)", "runs", "N_opt", "D_opt", "loss at N_opt", "vertex"],
      rows: fit.profiles.map((p) => [formatExp(p.flops), p.runs, formatSI(p.nOpt), formatSI(p.dOpt), p.lossAtOpt.toFixed(4), p.extrapolated ? "outside sampled N" : "inside"]),
    },
    format === "csv" ? "csv" : "text",
  );
}

/** Approach 3: the parametric law L(N, D) (Huber fit from a grid of starts), with its plots and bootstrap intervals. */
async function runApproach3(io: CliIO, points: readonly RunPoint[], o: FitFlags, format: Format): Promise<void> {
  const gridProgress = progressReporter(io, "fit: starts");
  const bootProgress = progressReporter(io, "fit: bootstrap");
  const fit = fitApproach3(points, {
    delta: o.delta,
    grid: o.grid === "chinchilla" ? CHINCHILLA_GRID : DEFAULT_GRID,
    bootstrap: o.bootstrap,
    seed: o.seed,
    level: o.level,
    onProgress: (stage, done, total) => (stage === "grid" ? gridProgress : bootProgress).update(done, total),
  });
  gridProgress.end();
  bootProgress.end();
  if (o.plot !== undefined) await writePlotFile(o.plot, await renderFitChartSvg(approach3FitChart(fit, points)));
  if (o.frontierPlot !== undefined) {
    const cs = points.map((p: RunPoint) => 6 * p.n * p.d);
    await writePlotFile(o.frontierPlot, await renderFitChartSvg(frontierChart(fit, minOf(cs), maxOf([1e26, ...cs]))), "--frontier-plot");
  }
  if (format === "json") return io.stdout(stringifyFit(approach3Json(fit)));
  if (format === "csv") {
    const iv = fit.intervals;
    return printTable(
      io,
      {
        columns: ["parameter", "estimate", "lo", "hi"],
        rows: (["E", "A", "B", "alpha", "beta"] as const).map((k) => [k, fit.law[k], iv ? iv[k][0] : "", iv ? iv[k][1] : ""]).concat([["a", fit.frontier.a, iv ? iv.a[0] : "", iv ? iv.a[1] : ""]]),
      },
      "csv",
    );
  }
  io.stdout(approach3Text(fit, o.drop));
}

function fitOneVariable(io: CliIO, points: ReadonlyArray<{ n: number; d: number; loss: number }>, form: "n" | "d" | "c", delta: number, format: "json" | "csv" | "text"): void {
  const xs = points.map((p) => (form === "n" ? p.n : form === "d" ? p.d : 6 * p.n * p.d));
  const progress = progressReporter(io, "fit: starts");
  const fit = fitSaturatingPowerLaw(xs, points.map((p) => p.loss), { delta, onProgress: (done, total) => progress.update(done, total) });
  progress.end();
  const X = form.toUpperCase();
  if (format === "json") return printJson(io, { kind: "scaleplan-fit", form, law: fit.law, objective: fit.objective, points: fit.points, rmsLog: fit.rmsLog });
  if (format === "text") io.stdout(`L(${X}) = E + A/${X}^alpha fitted to ${fit.points} runs (rms log residual ${fit.rmsLog.toFixed(4)})\n`);
  printTable(io, { columns: ["parameter", "estimate"], rows: [["E", sig(fit.law.E, 5)], ["A", sig(fit.law.A, 5)], ["alpha", sig(fit.law.alpha, 5)]] }, format === "csv" ? "csv" : "text");
}

function fitBatch(io: CliIO, parsed: ParsedRuns, source: string, format: "json" | "csv" | "text"): void {
  if (parsed.columns.batch === undefined || parsed.columns.steps === undefined) {
    throw new InputError("--columns", source, "batch and steps columns", `${source}: --form batch needs columns batch (B) and steps (S); map them with --columns "batch=...,steps=..."`);
  }
  const groups = new Map<string, { batch: number[]; steps: number[] }>();
  for (const r of parsed.rows) {
    const key = r.run ?? (r.n !== undefined ? formatSI(r.n) : "all");
    const g = groups.get(key) ?? { batch: [], steps: [] };
    g.batch.push(r.batch!);
    g.steps.push(r.steps!);
    groups.set(key, g);
  }
  const fits = [...groups].map(([group, g]) => ({ group, ...fitCriticalBatch(g.batch, g.steps) }));
  if (format === "json") return printJson(io, { kind: "scaleplan-fit", form: "batch", fits });
  if (format === "text") io.stdout("S(B) = S_min + E_min/B per group (least squares in log space); B_crit = E_min/S_min (McCandlish et al. 2018)\n");
  printTable(
    io,
    { columns: ["group", "S_min", "E_min", "B_crit", "rms log"], rows: fits.map((f) => [f.group, sig(f.sMin), sig(f.eMin), sig(f.bCrit), f.rmsLog.toFixed(4)]) },
    format === "csv" ? "csv" : "text",
  );
}
