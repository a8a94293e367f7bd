import type { Command } from "@commander-js/extra-typings";
import { parseLawText } from "../../core/scaling/law-file.ts";
import type { ScalingLaw } from "../../core/scaling/law-types.ts";
import { LAW_PRESETS } from "../../core/scaling/presets.ts";
import type { MoeLaw } from "../../core/scaling/moe-law-types.ts";
import { MOE_LAW_PRESETS } from "../../core/scaling/moe-presets.ts";
import { PRECISION_LAW_PRESETS, type PrecisionLaw } from "../../core/scaling/precision-law.ts";

/** Every law `scaleplan laws` lists: dense loss and batch/LR laws, then the MoE and precision laws (issue 14). */
type ListedLaw = ScalingLaw | MoeLaw | PrecisionLaw;
const LISTED: readonly ListedLaw[] = [...LAW_PRESETS, ...MOE_LAW_PRESETS, ...PRECISION_LAW_PRESETS];
import { readTextInput } from "../../node/files.ts";
import { InputError } from "../../core/errors.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";

const g = (v: number) => (Math.abs(v) >= 1e6 ? v.toExponential(3).replace(/\.?0+e/, "e").replace("e+", "e") : Number(v.toPrecision(6)).toString());

/** The law's formula with its constants, one line. */
export function lawFormula(law: ListedLaw): string {
  switch (law.form) {
    case "moe-routed":
      return `log10 L = ${g(law.a)}·log10 N + ${g(law.b)}·log10 Ê + ${g(law.c)}·log10 N·log10 Ê + ${g(law.d)}, Ê(E; ${g(law.eStart)}, ${g(law.eMax)})`;
    case "moe-granular":
      return `L = ${g(law.c)} + (${g(law.g)}/G^${g(law.gamma)} + ${g(law.a)})/N^${g(law.alpha)} + ${g(law.b)}/D^${g(law.beta)} (E = ${law.expansion})`;
    case "moe-joint":
      return `L = ${g(law.a)}·Ê^${g(law.delta)}·N_act^(${g(law.alpha)} + ${g(law.gamma)}·ln Ê) + ${g(law.b)}·Ê^${g(law.omega)}·D^(${g(law.beta)} + ${g(law.zeta)}·ln Ê) + ${g(law.c)}, Ê(E; ${g(law.eStart)}, ${g(law.eMax)})`;
    case "moe-sparsity":
      return `L = ${g(law.a)}/N^${g(law.alpha)} + ${g(law.b)}/D^${g(law.beta)} + ${g(law.c)}/(1−S)^${g(law.lambda)} + ${g(law.d)}/((1−S)^${g(law.delta)}·N^${g(law.gamma)}) + ${g(law.e)}`;
    case "precision": {
      const part = (p: string, gamma: number, n = 0) => `(1 − e^(${n ? `${g(n)} − ` : "−"}P_${p}/${g(gamma)}))`;
      const neff = `N_eff = N·${part("w", law.gammaW, law.nW)}·${part("a", law.gammaA, law.nA)}·${part("kv", law.gammaKv, law.nKv)}`;
      return law.base ? `L = ${g(law.base.E)} + ${g(law.base.A)}/N_eff^${g(law.base.alpha)} + ${g(law.base.B)}/D^${g(law.base.beta)}, ${neff}` : neff;
    }
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
      let laws: readonly ListedLaw[] = LISTED;
      if (opts.file !== undefined) laws = [await readLawFile(opts.file)];
      const listed = laws;
      if (id !== undefined) {
        laws = laws.filter((l) => l.id === id);
        if (laws.length === 0) throw new InputError("laws", id, `one of ${listed.map((l) => l.id).join(", ")}`);
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

/** A law document (JSON or YAML) from a file. */
export async function readLawFile(path: string): Promise<ScalingLaw> {
  return parseLawText(await readTextInput(path), path);
}
