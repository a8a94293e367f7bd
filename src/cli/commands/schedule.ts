import type { Command } from "@commander-js/extra-typings";
import { formatScheduleSpec } from "../../core/schedule/spec.ts";
import { scheduleFactor, scheduleLr } from "../../core/schedule/generators.ts";
import type { Schedule } from "../../core/schedule/types.ts";
import { pytorchLambdaSnippet, referenceTrainerFlags } from "../../core/schedule/snippets.ts";
import { formatExp } from "../../core/format.ts";
import { writePlotFile, renderLineChartSvg } from "../../node/plot-file.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, streamJson, streamTable, type RowSource } from "../output.ts";
import { scheduleFromOption } from "./schedule-input.ts";
import { decimalText, plotPathText } from "../../core/config/schema.ts";
import { wholeAtLeast } from "../../core/config/number.ts";
import { parseFlags } from "../flags.ts";
import { SCHEDULE_STEPS } from "../../core/config/bounds.ts";

export function registerSchedule(program: Command, io: CliIO): void {
  program
    .command("schedule")
    .description("Per-step learning rates of a schedule (WSD, OneCycle cosine, cosine, cos-inf, multistep, two-stage, table), with PyTorch code and reference-trainer flags")
    .argument("<spec>", "schedule spec, e.g. wsd:steps=1000,warmup=100,cooldown=0.2,shape=sqrt,peak=1e-3")
    .option("--every <k>", "print every k-th step (the last step is always included)")
    .option("--steps <n>", "number of steps to print (default: the schedule's own length)")
    .option("--json", "one JSON document")
    .option("--csv", "CSV: step,factor,lr")
    .option("--plot <file>", "write a plot (.svg or .png)")
    .option("--code", "print the PyTorch LambdaLR snippet and the reference-trainer flags (always in --json)")
    .action(async (spec, opts) => {
      const format = outputFormat(opts);
      const options = parseFlags(opts, { steps: decimalText(SCHEDULE_STEPS).optional(), every: decimalText(wholeAtLeast(1)).optional(), plot: plotPathText().optional() });
      const schedule = scheduleFromOption(spec, "spec");
      const length = options.steps ?? schedule.steps;
      const every = options.every ?? (format === "text" ? Math.max(1, Math.ceil(length / 20)) : 1);
      const steps = sampledSteps(length, every);
      const area = lrArea(schedule, length);
      const flags = referenceTrainerFlags(schedule);
      const code = pytorchLambdaSnippet(schedule);
      if (options.plot !== undefined) {
        const svg = await renderLineChartSvg({
          title: formatScheduleSpec(schedule),
          xLabel: "step",
          yLabel: "learning rate",
          series: [{ name: schedule.kind, points: plotPoints(schedule, length) }],
        });
        await writePlotFile(options.plot, svg);
      }
      if (format === "json") {
        await streamJson(io, {
          spec: formatScheduleSpec(schedule),
          kind: schedule.kind,
          steps: schedule.steps,
          peakLr: schedule.peak,
          every,
          lrArea: area,
          points: null,
          pytorch: code,
          referenceTrainerFlags: flags.flags ?? null,
          ...(flags.reason ? { referenceTrainerNote: flags.reason } : {}),
        }, "points", { count: steps.count, row: (i) => { const s = steps.row(i); return { step: s, factor: scheduleFactor(schedule, s), lr: scheduleLr(schedule, s) }; } });
        return;
      }
      const columns = ["step", "factor", "lr"];
      if (format === "csv") {
        await streamTable(io, columns, { count: steps.count, row: (i) => { const s = steps.row(i); return [s, scheduleFactor(schedule, s), scheduleLr(schedule, s)]; } }, "csv");
        return;
      }
      io.stdout(`${formatScheduleSpec(schedule)}\n${length} steps, peak LR ${schedule.peak}, LR area Σηₜ = ${formatExp(area, 4)}\n\n`);
      await streamTable(io, columns, { count: steps.count, row: (i) => { const s = steps.row(i); return [s, Number(scheduleFactor(schedule, s).toPrecision(6)), Number(scheduleLr(schedule, s).toPrecision(6))]; } }, "text");
      if (opts.code) {
        io.stdout(`\n# PyTorch\n${code}\n# reference trainer (epfml/schedules-and-scaling)\n${flags.flags ?? `(none: ${flags.reason})`}\n`);
      }
    });
}

/** Steps 0, every, 2·every, … and always the last step (length − 1), without an array of them. */
function sampledSteps(length: number, every: number): RowSource<number> {
  const regular = Math.ceil(length / every);
  const lastIncluded = (regular - 1) * every === length - 1;
  return { count: regular + (lastIncluded ? 0 : 1), row: (i) => (i < regular ? i * every : length - 1) };
}

/** Σ η_s over steps 0 … length − 1, summed in step order (as over scheduleLrArray) without holding the array. */
function lrArea(schedule: Schedule, length: number): number {
  let area = 0;
  for (let s = 0; s < length; s++) area += scheduleLr(schedule, s);
  return area;
}

/** About 2,000 points of the LR curve (every ⌊length/2000⌋-th step and the last) for the plot. */
function plotPoints(schedule: Schedule, length: number): Array<{ x: number; y: number }> {
  const every = Math.max(1, Math.floor(length / 2000));
  const points: Array<{ x: number; y: number }> = [];
  for (let x = 0; x < length; x += every) points.push({ x, y: scheduleLr(schedule, x) });
  if (points[points.length - 1]!.x !== length - 1) points.push({ x: length - 1, y: scheduleLr(schedule, length - 1) });
  return points;
}
