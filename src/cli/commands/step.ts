import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../../core/errors.ts";
import { describeLayout } from "../../core/run/layout-search.ts";
import { crossSiteTable } from "../../core/run/diloco-report.ts";
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
    .option("--allow-oom", "print the prediction even when the layout does not fit in GPU memory (fitsInMemory: false)")
    .action(async (opts) => {
      const format = outputFormat(opts);
      const config = await loadRunConfig(opts.config);
      const prediction = predictStep(config);
      if (!prediction.fitsInMemory && !opts.allowOom) {
        // Issue 5 §4: a layout that cannot fit is bad input (exit 2), named like every other rule.
        const m = prediction.breakdown.memoryGiB;
        throw new InputError(
          "parallelism",
          describeLayout(prediction.breakdown.layout),
          "a layout that fits",
          `parallelism: ${describeLayout(prediction.breakdown.layout)} needs ${prediction.memoryPerGpuGiB.total.toFixed(1)} GiB per GPU; at most ${m.usable.toFixed(1)} GiB fit (${m.hbm.toFixed(0)} GiB HBM less a ${(m.reserveFraction * 100).toFixed(0)} % reserve). Try more recompute, a higher zero stage, more tp/pp, or --allow-oom to see the prediction anyway`,
        );
      }
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
      if (prediction.sites) {
        io.stdout("\n");
        printTable(io, crossSiteTable(prediction.sites), "text");
      }
    });
}
