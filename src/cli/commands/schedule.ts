import type { Command } from "@commander-js/extra-typings";
import { formatScheduleSpec } from "../../core/schedule/spec.ts";
import { scheduleLrArray, scheduleFactor } from "../../core/schedule/generators.ts";
import { pytorchLambdaSnippet, referenceTrainerFlags } from "../../core/schedule/snippets.ts";
import { formatExp } from "../../core/format.ts";
import { writePlotFile, renderLineChartSvg } from "../../node/plot-file.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
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
      const lrs = scheduleLrArray(schedule, length);
      const steps: number[] = [];
      for (let s = 0; s < length; s += every) steps.push(s);
      if (steps[steps.length - 1] !== length - 1) steps.push(length - 1);
      let area = 0;
      for (const v of lrs) area += v;
      const flags = referenceTrainerFlags(schedule);
      const code = pytorchLambdaSnippet(schedule);
      if (options.plot !== undefined) {
        const svg = await renderLineChartSvg({
          title: formatScheduleSpec(schedule),
          xLabel: "step",
          yLabel: "learning rate",
          series: [{ name: schedule.kind, points: Array.from(lrs, (y, x) => ({ x, y })).filter((_, i) => i % Math.max(1, Math.floor(length / 2000)) === 0 || i === length - 1) }],
        });
        await writePlotFile(options.plot, svg);
      }
      if (format === "json") {
        printJson(io, {
          spec: formatScheduleSpec(schedule),
          kind: schedule.kind,
          steps: schedule.steps,
          peakLr: schedule.peak,
          every,
          lrArea: area,
          points: steps.map((s) => ({ step: s, factor: scheduleFactor(schedule, s), lr: lrs[s]! })),
          pytorch: code,
          referenceTrainerFlags: flags.flags ?? null,
          ...(flags.reason ? { referenceTrainerNote: flags.reason } : {}),
        });
        return;
      }
      const table = { columns: ["step", "factor", "lr"], rows: steps.map((s) => [s, scheduleFactor(schedule, s), lrs[s]!] as Array<string | number>) };
      if (format === "csv") {
        printTable(io, table, "csv");
        return;
      }
      io.stdout(`${formatScheduleSpec(schedule)}\n${length} steps, peak LR ${schedule.peak}, LR area Σηₜ = ${formatExp(area, 4)}\n\n`);
      printTable(io, { columns: table.columns, rows: steps.map((s) => [s, Number(scheduleFactor(schedule, s).toPrecision(6)), Number(lrs[s]!.toPrecision(6))]) }, "text");
      if (opts.code) {
        io.stdout(`\n# PyTorch\n${code}\n# reference trainer (epfml/schedules-and-scaling)\n${flags.flags ?? `(none: ${flags.reason})`}\n`);
      }
    });
}
