import type { Command } from "@commander-js/extra-typings";
import { parseLawDocument } from "../../core/scaling/law-file.ts";
import type { ScalingLaw } from "../../core/scaling/law-types.ts";
import { LAW_PRESETS } from "../../core/scaling/presets.ts";
import { readTextInput } from "../../node/files.ts";
import { UsageError } from "../../core/errors.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";

const g = (v: number) => (Math.abs(v) >= 1e6 ? v.toExponential(3).replace(/\.?0+e/, "e").replace("e+", "e") : Number(v.toPrecision(6)).toString());

/** The law's formula with its constants, one line. */
export function lawFormula(law: ScalingLaw): string {
  switch (law.form) {
    case "chinchilla":
      return `L = ${g(law.E)} + ${g(law.A)}/N^${g(law.alpha)} + ${g(law.B)}/D^${g(law.beta)}`;
    case "data-constrained":
      return `L = ${g(law.E)} + ${g(law.A)}/N'^${g(law.alpha)} + ${g(law.B)}/D'^${g(law.beta)}, R_D* ${g(law.rdStar)}, R_N* ${g(law.rnStar)}`;
    case "overtraining":
      return `L = ${g(law.E)} + (${g(law.a)}·M^${g(law.eta)} + ${g(law.b)}·M^-${g(law.eta)})·C^-${g(law.eta)}, M = D/N`;
    case "kaplan-nd":
      return `L = [(${g(law.nc)}/N)^(${g(law.alphaN)}/${g(law.alphaD)}) + ${g(law.dc)}/D]^${g(law.alphaD)}`;
    case "power-1d":
      return `L = (${g(law.xc)}/${law.variable === "C" ? "C" : law.variable})^${g(law.exponent)} (${law.variable} in ${law.unit})`;
    case "hparams-compute":
      return `B = ${g(law.batch.coef)}·C^${g(law.batch.exp)} tokens; lr = ${g(law.lr.coef)}·C^${g(law.lr.exp)}`;
    case "hparams-nd":
      return `lr = ${g(law.lr.coef)}·N^${g(law.lr.expN)}·D^${g(law.lr.expD)}; B = ${g(law.batch.coef)}·D^${g(law.batch.expD)} tokens`;
    case "bcrit-loss":
      return `B_crit = ${g(law.bStar)}/L^(1/${g(law.alphaB)}) tokens`;
    case "cbs-params":
      return `CBS = ${g(law.coef)}·(N/1e6)^${g(law.exp)} sequences × ${law.sequenceLength} tokens`;
  }
}

export function registerLaws(program: Command, io: CliIO): void {
  program
    .command("laws")
    .description("List the scaling-law presets (or check a law file): form, constants, conventions, source")
    .argument("[id]", "show only this preset")
    .option("--file <law.json>", "read and validate a law document instead of the presets")
    .option("--json", "one JSON document")
    .option("--csv", "CSV")
    .action(async (id, opts) => {
      const format = outputFormat(opts);
      let laws: readonly ScalingLaw[] = LAW_PRESETS;
      if (opts.file !== undefined) laws = [parseLawDocument(parseJson(await readTextInput(opts.file), opts.file), opts.file)];
      if (id !== undefined) {
        laws = laws.filter((l) => l.id === id);
        if (laws.length === 0) throw new UsageError(`laws: ${JSON.stringify(id)} is not a preset; expected one of ${LAW_PRESETS.map((l) => l.id).join(", ")}`);
      }
      if (format === "json") return printJson(io, { laws });
      printTable(
        io,
        {
          columns: format === "csv" ? ["id", "form", "formula", "params", "loss", "source"] : ["id", "formula", "N counts"],
          rows: laws.map((l) => (format === "csv" ? [l.id, l.form, lawFormula(l), l.conventions.params, l.conventions.loss, l.source] : [l.id, lawFormula(l), l.conventions.params])),
        },
        format,
      );
      if (format === "text") {
        io.stdout("\n");
        for (const l of laws) io.stdout(`${l.id}: ${l.name}. ${l.source}. Loss: ${l.conventions.loss}; compute: ${l.conventions.compute}.${l.notes ? ` ${l.notes}` : ""}\n`);
      }
    });
}

export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
