import type { Command } from "@commander-js/extra-typings";
import { validateAgainstRuns } from "../../core/run/calibration-check.ts";
import { validationTable } from "../../core/run/step-report.ts";
import { loadRealRuns } from "../../node/run-config-file.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";

/** `scaleplan validate`: predicted vs measured on every published run of the calibration set. */
export function registerValidate(program: Command, io: CliIO): void {
  program
    .command("validate")
    .description("Compare step-time, tokens/s/GPU, MFU and memory predictions with the published runs of the calibration set")
    .option("--dir <folder>", "folder of real-run JSON files (default: the repository's test/fixtures/real-runs)")
    .option("--json", "one JSON document")
    .option("--csv", "the table as CSV")
    .action(async (opts) => {
      const format = outputFormat(opts);
      const runs = await loadRealRuns(opts.dir);
      const summary = validateAgainstRuns(runs);
      if (format === "json") printJson(io, summary);
      else printTable(io, validationTable(summary), format);
    });
}
