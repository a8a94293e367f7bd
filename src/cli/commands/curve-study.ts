// `scaleplan curve study`: Hägele et al. 2024's schedule comparisons (Figs. 3–6, cosine to 0 vs 10 %, SWA vs
// cooldown) predicted with a fitted or published loss-curve law, next to the measured 124M differences (§A.6).
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../../core/errors.ts";
import { runScheduleStudy, STUDY_KINDS, STUDY_TITLES, type StudyKind, type StudyRow, type StudySetup } from "../../core/curves/study.ts";
import { studyChart } from "../../core/curves/study-chart.ts";
import { compareWithPaper, disagreementNote, type PaperComparison } from "../../core/curves/study-paper.ts";
import { renderLineChartSvg, writePlotFile } from "../../node/plot-file.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
import { progressReporter } from "../progress.ts";
import { CURVE_LAW_HELP, resolveCurveFit, warnExtrapolation } from "./curve-law.ts";
import { choiceText, countListText, decimalText, plotPathText } from "../../core/config/schema.ts";
import { POSITIVE, wholeAtLeast } from "../../core/config/number.ts";
import { parseFlags } from "../flags.ts";
import { MAX_SCHEDULE_STEPS, PEAK_LR } from "../../core/config/bounds.ts";

/** The run the published MPL fits were made on (spec §C.4): 24000 steps, peak 3e-4, 2160-step warmup from 0. */
const MPL_SETUP = { steps: "24000", peak: "3e-4", warmup: "2160" } as const;

function parseKinds(raw: string): StudyKind[] {
  if (raw === "all") return [...STUDY_KINDS];
  const kinds = raw.split(",").map((k) => k.trim());
  for (const k of kinds) if (!(STUDY_KINDS as readonly string[]).includes(k)) throw new InputError("--only", k, `all or a comma-separated list of ${STUDY_KINDS.join(", ")}`);
  return kinds as StudyKind[];
}

const f4 = (v: number) => v.toFixed(4);
const signed = (v: number | null) => (v === null ? "-" : `${v >= 0 ? "+" : ""}${v.toFixed(4)}`);

const AGREEMENT_LABEL: Readonly<Record<PaperComparison["agreement"], string>> = { agrees: "same sign", opposite: "OPPOSITE", mixed: "mixed", unmeasured: "-" };

/**
 * The text report: each study's table, a one-line note under it for every comparison of that study the law orders
 * differently from the measured runs, then the law-vs-runs table with its sign check.
 */
function printStudies(io: CliIO, head: { lawName: string; steps: number; peak: number; warmupSteps: number }, kinds: readonly StudyKind[], rows: readonly StudyRow[], paper: readonly PaperComparison[]): void {
  io.stdout(`Schedule studies with ${head.lawName}: T = ${head.steps} steps, peak ${head.peak}, warmup ${head.warmupSteps}\n`);
  for (const kind of kinds) {
    io.stdout(`\n${kind}: ${STUDY_TITLES[kind]}\n`);
    const own = rows.filter((r) => r.study === kind);
    printTable(io, { columns: ["schedule", "final loss", "Δ vs reference", "reference"], rows: own.map((r) => [r.label, f4(r.finalLoss), signed(r.delta), r.reference]) }, "text");
    // Each comparison is noted once, under the first of its studies that was run.
    for (const p of paper.filter((c) => c.studies.find((k) => kinds.includes(k)) === kind)) {
      const note = disagreementNote(p);
      if (note !== undefined) io.stdout(`${note}\n`);
    }
  }
  io.stdout("\nOurs at T and 2T vs the measured 124M runs at 25k and 50k steps (Hägele et al. / Schaipp et al. logs, spec §A.6):\n");
  printTable(io, {
    columns: ["difference (nats)", "ours T", "ours 2T", "paper 25k", "paper 50k", "law vs runs", "ours at the runs' LRs, T / 2T", "paper LRs"],
    rows: paper.map((p) => [p.quantity, signed(p.ours[0]), signed(p.ours[1]), signed(p.paper[0]), signed(p.paper[1]), AGREEMENT_LABEL[p.agreement], `${signed(p.oursAtRunPeaks[0])} / ${signed(p.oursAtRunPeaks[1])} ${AGREEMENT_LABEL[p.agreementAtRunPeaks]}`, p.paperNote]),
  }, "text");
}

export function registerCurveStudy(curve: Command, io: CliIO): void {
  curve
    .command("study")
    .description("Hägele et al. 2024 schedule studies (cooldown length/shape, run length, peak and final LR, SWA) with a loss-curve law")
    .option("--fit <fit.json>", "a saved fit (`scaleplan curve fit --json`)")
    .option("--law <preset>", CURVE_LAW_HELP)
    .option("--steps <n>", `total steps T of the base run (default with a preset: ${MPL_SETUP.steps}; the studies also use 2T, 4T, 8T)`)
    .option("--peak <lr>", `peak LR (default with a preset: ${MPL_SETUP.peak})`)
    .option("--warmup <w>", `warmup steps (default with a preset: ${MPL_SETUP.warmup}, else 0)`)
    .option("--warmup-from <f>", "warmup start factor", "0")
    .option("--warmup-shape <shape>", "linear or linspace", "linspace")
    .option("--swa <windows>", "SWA windows in steps, comma-separated", "500,1000,2500")
    .option("--only <studies>", `all or some of ${STUDY_KINDS.join(", ")}`, "all")
    .option("--json", "one JSON document")
    .option("--csv", "CSV of every row")
    .option("--plot <file>", "plot the cooldown-length study (Fig. 5) to .svg or .png")
    .action(async (opts) => {
      const format = outputFormat(opts);
      const fit = await resolveCurveFit(opts);
      const preset = opts.law !== undefined;
      const flags = parseFlags(
        {
          ...opts,
          steps: opts.steps ?? (preset ? MPL_SETUP.steps : fit.domain ? String(fit.domain.maxStep) : undefined),
          peak: opts.peak ?? (preset ? MPL_SETUP.peak : fit.domain ? String(fit.domain.maxLr) : undefined),
          warmup: opts.warmup ?? (preset ? MPL_SETUP.warmup : "0"),
        },
        {
          // The studies run 2T, 4T and 8T steps too.
          steps: decimalText(wholeAtLeast(2, Math.floor(MAX_SCHEDULE_STEPS / 8))).optional(),
          peak: decimalText(PEAK_LR).optional(),
          warmup: decimalText(wholeAtLeast(0)),
          warmupFrom: decimalText({ min: 0, max: 1, allowed: "a factor in [0, 1]" }),
          warmupShape: choiceText(["linear", "linspace"]),
          swa: countListText({ integer: true, min: 1, allowed: "a whole number of steps >= 1" }),
          plot: plotPathText().optional(),
        },
      );
      const { steps, peak } = flags;
      if (steps === undefined || peak === undefined) throw new InputError("--steps", opts.steps ?? "", "a value (and --peak) for a fit without its domain");
      const warmup = { steps: flags.warmup, from: flags.warmupFrom, shape: flags.warmupShape };
      const swaWindows = flags.swa;
      const kinds = parseKinds(opts.only);
      if (opts.plot !== undefined && !kinds.includes("fraction")) throw new InputError("--plot", opts.plot, "a plot of the fraction study (add fraction to --only)");
      const setup: StudySetup = { fit, steps, peak, warmup, swaWindows };
      const progress = progressReporter(io, "studying schedules");
      const result = runScheduleStudy(setup, kinds, (d, t) => progress.update(d, t));
      const paper = compareWithPaper(setup);
      progress.end();
      warnExtrapolation(io, result.extrapolation, "the study");
      const lawName = opts.law ?? `${fit.law} fit ${opts.fit}`;
      if (opts.plot !== undefined) await writePlotFile(opts.plot, await renderLineChartSvg(studyChart(result.rows, "fraction", lawName)));
      if (format === "json") {
        const notes = paper.map(disagreementNote).filter((n) => n !== undefined);
        return printJson(io, { law: lawName, setup: { steps, peak, warmup }, rows: result.rows, paper, notes, extrapolation: result.extrapolation });
      }
      if (format === "csv") {
        return printTable(io, { columns: ["study", "schedule", "steps", "final_loss", "delta", "reference", "spec"], rows: result.rows.map((r) => [r.study, r.label, r.steps, r.finalLoss, r.delta, r.reference, r.spec]) }, "csv");
      }
      printStudies(io, { lawName, steps, peak, warmupSteps: warmup.steps }, kinds, result.rows, paper);
      io.stdout("\nWhere and why the law disagrees with the runs: docs/schedule-studies.md.\n");
    });
}
