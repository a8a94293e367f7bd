import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../../core/errors.ts";
import { averageSafetensors } from "../../node/safetensors-average.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
import { intOption, numOption } from "./schedule-input.ts";
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
      const last = intOption(opts.last, "--last", 1);
      if (last !== undefined && last > checkpoints.length) throw new UsageError(`--last: ${last} is not allowed; expected at most the ${checkpoints.length} checkpoints given`);
      const emaDecay = numOption(opts.ema, "--ema", (v) => v > 0 && v < 1, "a decay in (0, 1)");
      if (opts.accumulate !== "f64" && opts.accumulate !== "f32") throw new UsageError(`--accumulate: ${JSON.stringify(opts.accumulate)} is not allowed; expected f64 or f32`);
      let inputs = last === undefined ? checkpoints : checkpoints.slice(-last);
      if (opts.window !== undefined) {
        if (last !== undefined) throw new UsageError("--last and --window cannot be used together; choose one");
        const m = /^(\d+):(\d+)$/.exec(opts.window);
        const [i, j] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
        if (!m || i < 1 || j < i || j > checkpoints.length) {
          throw new UsageError(`--window: ${JSON.stringify(opts.window)} is not allowed; expected i:j with 1 <= i <= j <= ${checkpoints.length}`);
        }
        inputs = checkpoints.slice(i - 1, j);
      }
      if (inputs.includes(opts.output)) throw new UsageError(`--output: ${JSON.stringify(opts.output)} is not allowed; expected a file that is not one of the inputs`);
      const progress = progressReporter(io, "averaging");
      const report = await averageSafetensors({
        inputs,
        output: opts.output,
        method: emaDecay === undefined ? "swa" : "ema",
        accumulate: opts.accumulate,
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
