import type { Command } from "@commander-js/extra-typings";
import { requireSomethingFits, searchLayouts } from "../../core/run/layout-search.ts";
import { searchTable } from "../../core/run/step-report.ts";
import { layoutOutput } from "../../core/run/run-config.ts";
import { loadRunConfig } from "../../node/run-config-file.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
import { decimalText } from "../../core/config/schema.ts";
import { parseFlags } from "../flags.ts";
import { GPU_COUNT, SEARCH_TOP } from "../../core/config/bounds.ts";
import { progressReporter } from "../progress.ts";

/** `scaleplan search --config run.yaml [--gpus N] [--top K]`: the fastest layouts that fit, best first. */
export function registerSearch(program: Command, io: CliIO): void {
  program
    .command("search")
    .description("Search every valid parallel layout (tp, pp, vp, cp, ep, dp, zero, recompute, micro-batch, schedule) that fits; fastest first")
    .requiredOption("--config <file>", "run configuration without parallelism, or with the fields to hold fixed")
    .option("--gpus <n>", "number of GPUs (overrides hardware.count)")
    .option("--top <k>", "how many layouts to list", "10")
    .option("--json", "one JSON document")
    .option("--csv", "the ranking as CSV")
    .action(async (opts) => {
      const format = outputFormat(opts);
      const { gpus, top } = parseFlags(opts, { gpus: decimalText(GPU_COUNT).optional(), top: decimalText(SEARCH_TOP) });
      const config = await loadRunConfig(opts.config);
      const progress = progressReporter(io, "search (tensor-parallel degrees)");
      const result = searchLayouts(config, { gpus, top, onProgress: (d, t) => progress.update(d, t) });
      progress.end();
      io.stderr(`${result.considered} valid layouts: ${result.evaluated} evaluated (the others provably slower or unable to fit), ${result.fitting} of these fit in ${result.usableMemoryGiB.toFixed(1)} GiB\n`);
      const sites = config.hardware.sites ?? 1;
      if (sites > 1) io.stderr(`${sites} sites: each layout is one site's replica (its dp counts the ranks inside a site); step times include the cross-site synchronisation\n`);
      requireSomethingFits(result);
      if (format === "json") printJson(io, { ...result, best: result.best.map((b) => ({ ...b, layout: layoutOutput(b.layout) })), smallestMemoryLayout: result.smallestMemoryLayout && layoutOutput(result.smallestMemoryLayout) });
      else printTable(io, searchTable(result), format);
    });
}
