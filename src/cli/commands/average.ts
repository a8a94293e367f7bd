import type { Command } from "@commander-js/extra-typings";
import { InputError, UsageError } from "../../core/errors.ts";
import { averageSafetensors } from "../../node/safetensors-average.ts";
import { checkOutputPath } from "../../node/files.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
import { choiceText, decimalText } from "../../core/config/schema.ts";
import { OPEN_FRACTION, wholeAtLeast } from "../../core/config/number.ts";
import { parseFlags } from "../flags.ts";
import { progressReporter } from "../progress.ts";

export function registerAverage(program: Command, io: CliIO): void {
  program
    .command("average")
    .description("SWA / EMA weight averaging of safetensors checkpoints, streamed tensor by tensor (dtype kept, atomic write)")
    .argument("<checkpoints...>", "input .safetensors files, oldest first")
    .requiredOption("-o, --output <file>", "output .safetensors file (written atomically)")
    .option("--last <k>", "average only the last k checkpoints")
    .option("--window <i:j>", "average only checkpoints i … j of the list (1-based, inclusive)")
    .option("--ema <decay>", "exponential moving average with this decay instead of a uniform average")
    .option("--accumulate <type>", "accumulator precision: f64 or f32", "f64")
    .option("--json", "one JSON document")
    .option("--csv", "CSV report")
    .action(async (checkpoints, opts) => {
      const format = outputFormat(opts);
      const flags = parseFlags(opts, {
        last: decimalText(wholeAtLeast(1, checkpoints.length)).optional(),
        ema: decimalText({ ...OPEN_FRACTION, allowed: "a decay in (0, 1)" }).optional(),
        accumulate: choiceText(["f64", "f32"]),
      });
      checkOutputPath(opts.output, "--output");
      const last = flags.last;
      const emaDecay = flags.ema;
      let inputs = last === undefined ? checkpoints : checkpoints.slice(-last);
      if (opts.window !== undefined) {
        if (last !== undefined) throw new UsageError("--last and --window cannot be used together; choose one");
        const m = /^(\d+):(\d+)$/.exec(opts.window);
        const [i, j] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
        if (!m || i < 1 || j < i || j > checkpoints.length) {
          throw new InputError("--window", opts.window, `i:j with 1 <= i <= j <= ${checkpoints.length}`);
        }
        inputs = checkpoints.slice(i - 1, j);
      }
      if (inputs.includes(opts.output)) throw new InputError("--output", opts.output, "a file that is not one of the inputs");
      const progress = progressReporter(io, "averaging");
      const report = await averageSafetensors({
        inputs,
        output: opts.output,
        method: emaDecay === undefined ? "swa" : "ema",
        accumulate: flags.accumulate,
        ...(emaDecay !== undefined ? { emaDecay } : {}),
        onProgress: (d, t) => progress.update(d, t),
      });
      progress.end();
      if (format === "json") return printJson(io, { ...report, inputs });
      const rows: Array<[string, string | number]> = [
        ["output", report.output],
        ["method", report.method === "swa" ? `SWA (uniform) over ${inputs.length}` : `EMA decay ${emaDecay} over ${inputs.length}`],
        ["weights", report.weights.map((w) => Number(w.toPrecision(4))).join(" ")],
        ["tensors", `${report.tensors} (${Object.entries(report.dtypes).map(([d, n]) => `${n} ${d}`).join(", ")})`],
        ["read", `${(report.bytesRead / 1e6).toFixed(1)} MB`],
        ["written", `${(report.bytesWritten / 1e6).toFixed(1)} MB`],
        ["time", `${report.seconds.toFixed(2)} s`],
        ["throughput", `${report.readMBps.toFixed(0)} MB/s read`],
      ];
      printTable(io, { columns: ["average", ""], rows }, format === "csv" ? "csv" : "text");
    });
}
