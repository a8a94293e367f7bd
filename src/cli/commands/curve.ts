import type { Command } from "@commander-js/extra-typings";
import { basename } from "node:path";
import { InputError, UsageError } from "../../core/errors.ts";
import { curveFromRows, fitMetrics, parseCurveCsv, requirePositiveLr, type LossCurve } from "../../core/curves/curve.ts";
import { fitMpl } from "../../core/curves/fit-mpl.ts";
import { fitMomentum, DEFAULT_MOMENTUM_DECAY } from "../../core/curves/momentum-law.ts";
import { predictWithFit, type SavedFit } from "../../core/curves/fit-file.ts";
import { gridPredictor, type StepGrid } from "../../core/curves/predict-with-fit.ts";
import { optimizeSchedule } from "../../core/curves/optimize-schedule.ts";
import type { MplParams } from "../../core/curves/multi-power-law.ts";
import { checkOutputPath, readTextInput } from "../../node/files.ts";
import { renderLineChartSvg, writePlotFile } from "../../node/plot-file.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable, streamJson, streamTable } from "../output.ts";
import { scheduleFromOption } from "./schedule-input.ts";
import { choiceText, decimalText, plotPathText } from "../../core/config/schema.ts";
import { OPEN_FRACTION, POSITIVE, parseDecimal, wholeAtLeast } from "../../core/config/number.ts";
import { parseFlags } from "../flags.ts";
import { OPTIMIZE_STEPS, PEAK_LR } from "../../core/config/bounds.ts";
import { progressReporter } from "../progress.ts";
import { curveDomain, extrapolations, worstExtrapolations } from "../../core/curves/extrapolation.ts";
import { CURVE_LAW_HELP, resolveCurveFit, warnExtrapolation } from "./curve-law.ts";
import { registerCurveStudy } from "./curve-study.ts";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Reads curve CSVs; --schedule is given once (for every file) or once per file, in order. */
async function loadCurves(files: readonly string[], schedules: readonly string[]): Promise<LossCurve[]> {
  if (schedules.length > 1 && schedules.length !== files.length) {
    throw new UsageError(`--schedule: given ${schedules.length} times for ${files.length} files; give it once (for all) or once per file, in order`);
  }
  const curves: LossCurve[] = [];
  for (const [i, file] of files.entries()) {
    const text = await readTextInput(file);
    const name = basename(file).replace(/\.csv$/i, "");
    const rows = parseCurveCsv(text, file);
    const spec = schedules.length === 1 ? schedules[0] : schedules[i];
    // "-" (or an empty spec) in a per-file list means: this file lists the LR of every step itself.
    const fromRows = spec === undefined || spec.trim() === "" || spec.trim() === "-";
    const curve = curveFromRows(name, rows, fromRows ? undefined : scheduleFromOption(spec, `--schedule ${spec}`));
    requirePositiveLr(curve);
    curves.push(curve);
  }
  return curves;
}

function round(v: number, digits = 6): number {
  return Number(v.toPrecision(digits));
}

/** MPL parameters --fix may hold (multi-power-law.ts, Luo et al. 2025 eq. 1). */
const MPL_PARAM_NAMES = ["L0", "A", "alpha", "B", "C", "beta", "gamma"] as const;

function parseFixed(values: readonly string[]): Partial<MplParams> | undefined {
  if (values.length === 0) return undefined;
  const out: Partial<Record<(typeof MPL_PARAM_NAMES)[number], number>> = {};
  for (const v of values) {
    if (v === "none") continue;
    const eq = v.indexOf("=");
    const name = eq < 0 ? v : v.slice(0, eq);
    if (eq < 0 || !(MPL_PARAM_NAMES as readonly string[]).includes(name)) {
      throw new InputError("--fix", v, `NAME=VALUE with NAME one of ${MPL_PARAM_NAMES.join(", ")} (e.g. beta=0.5), or none`);
    }
    const raw = v.slice(eq + 1);
    const num = parseDecimal(raw);
    if (num === undefined) throw new InputError(`--fix ${name}`, raw, "a finite decimal number");
    if (name in out) throw new InputError("--fix", v, `each parameter once (${name} is given twice)`);
    out[name as (typeof MPL_PARAM_NAMES)[number]] = num;
  }
  return out as Partial<MplParams>;
}

/** `curve fit`: fits a loss-curve law (MPL or momentum) to step,lr,loss CSVs and reports per-curve errors. */
function registerCurveFit(curve: Command, io: CliIO): void {
  curve
    .command("fit")
    .description("fit a loss-curve law to one or more step,lr,loss CSVs")
    .argument("<files...>", "curve CSVs with columns step,lr,loss (loss may be empty)")
    .option("--law <law>", "mpl or momentum", "mpl")
    .option("--schedule <spec>", "the LR schedule of the curve (once for all files, or once per file in order; - = the file lists every step's LR)", collect, [] as string[])
    .option("--fix <name=value>", "hold an MPL parameter fixed, repeatable; replaces the default beta=0.5 + gamma=0.5 ('none' frees all seven)", collect, [] as string[])
    .option("--decay <lambda>", `momentum-law decay λ (default ${DEFAULT_MOMENTUM_DECAY})`)
    .option("--json", "one JSON document (save it: > fit.json)")
    .option("--csv", "CSV of the per-curve metrics")
    .action(async (files, opts) => {
      const format = outputFormat(opts);
      const { law, decay } = parseFlags(opts, { law: choiceText(["mpl", "momentum"]), decay: decimalText(OPEN_FRACTION).optional() });
      const fixed = parseFixed(opts.fix);
      const curves = await loadCurves(files, opts.schedule);
      const progress = progressReporter(io, "fitting");
      const fit =
        law === "mpl"
          ? fitMpl(curves, { onProgress: (d, t) => progress.update(d, t), ...(fixed ? { fixed } : {}) })
          : fitMomentum(curves, decay ?? DEFAULT_MOMENTUM_DECAY);
      progress.end();
      const saved = { law: fit.law, params: fit.params } as SavedFit;
      const perCurve = curves.map((c) => {
        const m = fitMetrics(c.points.map((p) => p.loss), predictWithFit(saved, c.lr, c.points.map((p) => p.step)));
        return { name: c.name, points: m.points, r2: m.r2, meanRelError: m.meanRelError, worstRelError: m.worstRelError };
      });
      if (format === "json") {
        printJson(io, { ...fit, domain: curveDomain(curves), fitCurves: perCurve });
        return;
      }
      const table = { columns: ["curve", "points", "R2", "meanRelError", "worstRelError"], rows: perCurve.map((m) => [m.name, m.points, m.r2 === null ? "-" : round(m.r2), round(m.meanRelError, 4), round(m.worstRelError, 4)]) };
      if (format === "csv") return printTable(io, table, "csv");
      io.stdout(`${fit.law === "mpl" ? "Multi-Power Law" : "momentum law"} fit on ${fit.points} points (${fit.reason}, ${fit.iterations} iterations)\n`);
      io.stdout(`${Object.entries(fit.params).map(([k, v]) => `${k} = ${round(v)}`).join(", ")}${"fixed" in fit && Object.keys(fit.fixed).length > 0 ? `  (held: ${Object.keys(fit.fixed).join(", ")})` : ""}\n\n`);
      printTable(io, table, "text");
    });
}

/** `curve predict`: a saved or published fit's loss curve for a schedule, with metrics where losses are logged. */
function registerCurvePredict(curve: Command, io: CliIO): void {
  curve
    .command("predict")
    .description("predict a loss curve for a schedule from a saved fit")
    .argument("<file>", "CSV step,lr,loss: the steps to predict (loss optional: metrics where given)")
    .option("--fit <fit.json>", "output of `scaleplan curve fit --json`")
    .option("--law <preset>", CURVE_LAW_HELP)
    .option("--schedule <spec>", "the LR schedule (needed unless the CSV lists the LR of every step)", collect, [] as string[])
    .option("--every <k>", "predict every k-th step from the first to the last row instead of at the rows")
    .option("--json", "one JSON document")
    .option("--csv", "CSV step,loss,actual")
    .option("--plot <file>", "plot predicted (and actual) loss (.svg or .png)")
    .action(async (file, opts) => {
      const startedAt = Date.now();
      const format = outputFormat(opts);
      const { every, plot } = parseFlags(opts, { every: decimalText(wholeAtLeast(1)).optional(), plot: plotPathText().optional() });
      if (plot !== undefined) checkOutputPath(plot, "--plot");
      const fit = await resolveCurveFit(opts);
      if (opts.schedule.length > 1) throw new UsageError("--schedule: give it once for predict");
      const [cur] = await loadCurves([file], opts.schedule);
      const rows = parseCurveCsv(await readTextInput(file), file);
      const grid = predictionGrid(rows.map((r) => r.step), cur!.lr, every);
      if (grid.count === 0) throw new InputError(file, "no step >= 1", "a curve with a step >= 1 to predict", `${file}: no step >= 1 to predict`);
      const lastStep = grid.step(grid.count - 1);
      if (fit.domain) warnExtrapolation(io, extrapolations(fit.domain, cur!.lr, lastStep), `predicting ${cur!.name}`);
      await printPrediction(io, fit, cur!, grid, { format, plot, startedAt });
    });
}

/**
 * The steps `curve predict` predicts, without an array of them: the CSV's rows, or with --every k the steps first,
 * first + k, … and always the last row's step. The laws need a positive LR area: a leading step 0 with η_0 = 0 is
 * skipped.
 */
function predictionGrid(rowSteps: readonly number[], lr: readonly number[], every: number | undefined): StepGrid {
  const first = rowSteps[0]!;
  const skip = first === 0 && !(lr[0]! > 0) ? 1 : 0;
  if (every === undefined) return { count: rowSteps.length - skip, step: (i) => rowSteps[i + skip]! };
  const last = lr.length - 1;
  const regular = Math.floor((last - first) / every) + 1;
  const lastIncluded = first + (regular - 1) * every === last;
  return { count: regular + (lastIncluded ? 0 : 1) - skip, step: (i) => (i + skip < regular ? first + (i + skip) * every : last) };
}

/** Points of the predicted curve in a plot: about this many (every ⌊count/2000⌋-th step and the last). */
const PLOT_POINTS = 2000;

/**
 * Predictions along the grid, one at a time and in order, and what they leave behind: the predicted loss at every
 * logged step (for the metrics), the points of the plot and the final loss. Memory: the logged points and ~2,000
 * plot points, whatever the grid's length.
 */
function predictionPass(fit: SavedFit, cur: LossCurve, grid: StepGrid) {
  const predict = gridPredictor(fit, cur.lr, grid);
  const actual = new Map(cur.points.map((p) => [p.step, p.loss]));
  const atLogged = new Map<number, number>();
  const plotEvery = Math.max(1, Math.floor(grid.count / PLOT_POINTS));
  const plotted: Array<{ x: number; y: number }> = [];
  let finalLoss = Number.NaN;
  return {
    actual,
    plotted,
    /** The i-th prediction; call with i = 0, 1, … count − 1, each once. */
    row(i: number): { step: number; loss: number } {
      const step = grid.step(i);
      const loss = predict(i);
      if (actual.has(step)) atLogged.set(step, loss);
      if (i % plotEvery === 0 || i === grid.count - 1) plotted.push({ x: step, y: loss });
      if (i === grid.count - 1) finalLoss = loss;
      return { step, loss };
    },
    finalLoss: () => finalLoss,
    /** R² and errors against the logged losses the grid reached (null when it reached none). */
    metrics() {
      const matched = cur.points.filter((p) => atLogged.has(p.step));
      return matched.length > 0 ? fitMetrics(matched.map((p) => p.loss), matched.map((p) => atLogged.get(p.step)!)) : null;
    },
  };
}

/**
 * `curve predict`'s output. JSON and CSV are streamed a chunk at a time (`--every 1` over millions of steps, with
 * progress after a second); the text table shows ~20 rows, picked during one pass over the grid. The plot is
 * written once its points are known.
 */
async function printPrediction(io: CliIO, fit: SavedFit, cur: LossCurve, grid: StepGrid, how: { format: "json" | "csv" | "text"; plot: string | undefined; startedAt: number }): Promise<void> {
  const { format, plot, startedAt } = how;
  const pass = predictionPass(fit, cur, grid);
  const metricsJson = () => {
    const m = pass.metrics();
    return m && { r2: m.r2, meanRelError: m.meanRelError, worstRelError: m.worstRelError, points: m.points };
  };
  const writePlot = async () => {
    if (plot === undefined) return;
    const series = [{ name: "predicted", points: pass.plotted }];
    if (cur.points.length > 0) series.push({ name: "actual", points: cur.points.map((p) => ({ x: p.step, y: p.loss })) });
    await writePlotFile(plot, await renderLineChartSvg({ title: `${cur.name}: ${fit.law} prediction`, xLabel: "step", yLabel: "loss", series }));
  };
  if (format === "json") {
    const head = { law: fit.law, curve: cur.name, predictions: null, finalLoss: null, metrics: null };
    await streamJson(io, head, "predictions", { count: grid.count, row: (i) => pass.row(i) }, { startedAt, tail: () => ({ finalLoss: pass.finalLoss(), metrics: metricsJson() }) });
    return writePlot();
  }
  if (format === "csv") {
    await streamTable(io, ["step", "predicted", "actual"], { count: grid.count, row: (i) => { const r = pass.row(i); return [r.step, r.loss, pass.actual.get(r.step) ?? ""]; } }, "csv", { startedAt });
    return writePlot();
  }
  // About 20 rows (every ⌈count/20⌉-th and the last) once there are more than 25.
  const shownEvery = grid.count > 25 ? Math.ceil(grid.count / 20) : 1;
  const shown: Array<Array<string | number>> = [];
  const progress = progressReporter(io, "predicting", undefined, startedAt);
  for (let i = 0; i < grid.count; i++) {
    const r = pass.row(i);
    if (i % shownEvery === 0 || i === grid.count - 1) shown.push([r.step, round(r.loss, 5), pass.actual.get(r.step) ?? ""]);
    if (i % 65_536 === 0) progress.update(i, grid.count);
  }
  progress.end();
  await writePlot();
  printTable(io, { columns: ["step", "predicted", "actual"], rows: shown }, "text");
  const metrics = pass.metrics();
  io.stdout(`\nfinal predicted loss ${round(pass.finalLoss(), 5)} at step ${grid.step(grid.count - 1)}\n`);
  if (metrics) io.stdout(`vs ${metrics.points} logged losses: R² ${metrics.r2 === null ? "-" : round(metrics.r2, 5)}, mean relative error ${(metrics.meanRelError * 100).toFixed(3)} %, worst ${(metrics.worstRelError * 100).toFixed(3)} %\n`);
}

/** `curve optimize`: the MPL-optimal non-increasing schedule against the cosine and WSD baselines. */
function registerCurveOptimize(curve: Command, io: CliIO): void {
  curve
    .command("optimize")
    .description("the non-increasing schedule minimising the predicted final loss (MPL), vs cosine and WSD")
    .option("--fit <fit.json>", "an MPL fit (`scaleplan curve fit --law mpl --json`)")
    .option("--law <preset>", CURVE_LAW_HELP)
    .requiredOption("--steps <n>", "total steps of the run")
    .requiredOption("--peak <lr>", "peak learning rate")
    .option("--warmup <w>", "warmup steps (linear)", "0")
    .option("--warmup-from <f>", "warmup start factor", "0")
    .option("--warmup-shape <shape>", "linear or linspace", "linspace")
    .option("--knots <k>", "control points of the optimised decay", "48")
    .option("--every <k>", "print every k-th step of the optimised schedule")
    .option("--json", "one JSON document")
    .option("--csv", "CSV step,lr of the optimised schedule")
    .option("--plot <file>", "plot the optimised schedule against the baselines (.svg or .png)")
    .action(async (opts) => {
      const format = outputFormat(opts);
      const flags = parseFlags(opts, {
        steps: decimalText(OPTIMIZE_STEPS),
        peak: decimalText(PEAK_LR),
        warmup: decimalText(wholeAtLeast(0)),
        warmupFrom: decimalText({ min: 0, max: 1, allowed: "a factor in [0, 1]" }),
        warmupShape: choiceText(["linear", "linspace"]),
        knots: decimalText(wholeAtLeast(2)),
        every: decimalText(wholeAtLeast(1)).optional(),
        plot: plotPathText().optional(),
      });
      const { steps, peak, warmup, knots } = flags;
      const from = flags.warmupFrom;
      if (flags.plot !== undefined) checkOutputPath(flags.plot, "--plot");
      const fit = await resolveCurveFit(opts);
      if (fit.law !== "mpl") throw new InputError("--fit", opts.fit, "an MPL fit (`scaleplan curve fit --law mpl --json`)", `--fit: ${opts.fit} is a ${fit.law} fit; optimize needs an MPL fit`);
      const progress = progressReporter(io, "optimising");
      const result = optimizeSchedule(fit.params, {
        steps,
        peak,
        warmup: { steps: warmup, from, shape: flags.warmupShape },
        knots,
        onProgress: (d, t) => progress.update(d, t),
      });
      progress.end();
      if (fit.domain) {
        const found = [result.lr, ...result.baselines.map((b) => b.lr)].flatMap((lr) => extrapolations(fit.domain!, lr, steps - 1));
        warnExtrapolation(io, worstExtrapolations(found), "optimising the schedule");
      }
      const every = flags.every ?? (format === "text" ? Math.ceil(steps / 20) : Math.max(1, Math.floor(steps / 1000)));
      const sampled: Array<{ step: number; lr: number }> = [];
      for (let s = 0; s < steps; s += every) sampled.push({ step: s, lr: result.lr[s]! });
      if (sampled[sampled.length - 1]!.step !== steps - 1) sampled.push({ step: steps - 1, lr: result.lr[steps - 1]! });
      if (flags.plot !== undefined) {
        const thin = (lr: readonly number[]) => lr.map((y, x) => ({ x, y })).filter((p) => p.x % Math.max(1, Math.floor(steps / 1500)) === 0);
        await writePlotFile(flags.plot, await renderLineChartSvg({
          title: "MPL-optimised schedule vs baselines",
          xLabel: "step",
          yLabel: "learning rate",
          series: [{ name: "optimised", points: thin(result.lr) }, ...result.baselines.map((b) => ({ name: b.name, points: thin(b.lr) }))],
        }));
      }
      if (format === "json") {
        printJson(io, {
          finalLoss: result.finalLoss,
          baselines: result.baselines.map((b) => ({ name: b.name, spec: b.spec, finalLoss: b.finalLoss, gainOverBaseline: b.finalLoss - result.finalLoss })),
          iterations: result.iterations,
          converged: result.converged,
          schedule: sampled,
        });
        return;
      }
      if (format === "csv") return printTable(io, { columns: ["step", "lr"], rows: sampled.map((p) => [p.step, p.lr]) }, "csv");
      io.stdout(`predicted final loss at step ${steps - 1}: optimised ${round(result.finalLoss, 5)}\n\n`);
      printTable(io, {
        columns: ["baseline", "final loss", "optimised gain"],
        rows: result.baselines.map((b) => [b.name, round(b.finalLoss, 5), round(b.finalLoss - result.finalLoss, 3)]),
      }, "text");
      io.stdout("\n");
      printTable(io, { columns: ["step", "lr"], rows: sampled.map((p) => [p.step, round(p.lr, 5)]) }, "text");
    });
}

export function registerCurve(program: Command, io: CliIO): void {
  const curve = program.command("curve").description("Loss curves across LR schedules: Multi-Power Law (Luo et al. 2025) and momentum law (Tissue et al. 2024)");
  registerCurveFit(curve, io);
  registerCurvePredict(curve, io);
  registerCurveOptimize(curve, io);
  registerCurveStudy(curve, io);
}
