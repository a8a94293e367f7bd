import type { Command } from "@commander-js/extra-typings";
import { predictStep } from "../../core/run/step.ts";
import { stepMemoryTable, stepSummaryTable, stepTimeTable } from "../../core/run/step-report.ts";
import { loadRunConfig } from "../../node/run-config-file.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";

/** `scaleplan step --config run.yaml`: step time, MFU and memory per GPU of one training configuration. */
export function registerStep(program: Command, io: CliIO): void {
  program
    .command("step")
    .description("Predict step time, tokens/s/GPU, MFU and memory per GPU of one training configuration (run-config YAML/JSON)")
    .requiredOption("--config <file>", "run configuration (YAML or JSON; - for stdin)")
    .option("--json", "one JSON document (the run-config.md output shape)")
    .option("--csv", "the time breakdown as CSV")
    .action(async (opts) => {
      const format = outputFormat(opts);
      const config = await loadRunConfig(opts.config);
      const prediction = predictStep(config);
      if (format === "json") {
        printJson(io, prediction);
        return;
      }
      if (format === "csv") {
        printTable(io, stepTimeTable(prediction), "csv");
        return;
      }
      printTable(io, stepSummaryTable(prediction), "text");
      io.stdout("\n");
      printTable(io, stepTimeTable(prediction), "text");
      io.stdout("\n");
      printTable(io, stepMemoryTable(prediction), "text");
    });
}
