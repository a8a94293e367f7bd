import type { Command } from "@commander-js/extra-typings";
import { DEFAULT_STEP_CONSTANTS } from "../../core/run/calibration.ts";
import { validateAgainstRuns } from "../../core/run/calibration-check.ts";
import { FIT_EXCLUDED, FITTED_PARAMETERS, fitConstants, leaveOneFamilyOut } from "../../core/run/calibration-fit.ts";
import { leaveOneOutTable, refitTable, validationGroupTable, validationTable } from "../../core/run/step-report.ts";
import { loadRealRuns } from "../../node/run-config-file.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
import { progressReporter } from "../progress.ts";

/** `scaleplan validate`: predicted vs measured on every published run of the calibration set. */
export function registerValidate(program: Command, io: CliIO): void {
  program
    .command("validate")
    .description(
      "Compare step-time, tokens/s/GPU, MFU and memory predictions with the published runs of the calibration set: every row, the median per framework and GPU generation, and leave-one-family-out errors",
    )
    .option("--dir <folder>", "folder of real-run JSON files (default: the calibration runs shipped in data/real-runs)")
    .option("--refit", "refit every calibrated constant from the runs (least squares of the log step-time error) and print the table next to the shipped values")
    .option("--json", "one JSON document")
    .option("--csv", "the table as CSV")
    .action(async (opts) => {
      const format = outputFormat(opts);
      const runs = await loadRealRuns(opts.dir);
      const summary = validateAgainstRuns(runs);
      const progress = progressReporter(io, "leave-one-family-out fits");
      const lofo = leaveOneFamilyOut(runs, DEFAULT_STEP_CONSTANTS, { onProgress: (d, t) => progress.update(d, t) });
      progress.end();
      const refit = opts.refit ? fitConstants(runs) : null;
      const refitRows = refit
        ? FITTED_PARAMETERS.map((p, i) => ({ ...refit.parameters[i]!, shipped: p.get(DEFAULT_STEP_CONSTANTS) }))
        : null;
      if (format === "json") {
        printJson(io, { ...summary, leaveOneFamilyOut: lofo, ...(refitRows ? { refit: { objective: refit!.objective, parameters: refitRows, excluded: FIT_EXCLUDED } } : {}) });
        return;
      }
      printTable(io, validationTable(summary), format);
      if (format !== "text") return;
      io.stdout("\n");
      printTable(io, validationGroupTable(summary), format);
      io.stdout("\nLeave one framework out: fit every calibrated constant without its rows, predict them\n");
      printTable(io, leaveOneOutTable(lofo), format);
      io.stdout(`\nNot fitted (predicted and reported only): ${Object.entries(FIT_EXCLUDED).map(([id, why]) => `${id} (${why})`).join("; ")}\n`);
      if (refitRows) {
        io.stdout(`\nRefit (objective: sum of squared ln(predicted/measured step time) = ${refit!.objective.toFixed(4)})\n`);
        printTable(io, refitTable(refitRows), format);
      }
    });
}
