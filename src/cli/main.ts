#!/usr/bin/env node
// The process boundary: the only file that reads process.argv / process.env and sets the exit code.
import { removePendingTempFiles } from "../node/files.ts";
import { runCli } from "./program.ts";

// Ctrl-C or a kill while a file is being written: remove the temporary file, so no partial output is left.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.on(signal, () => {
    removePendingTempFiles();
    process.exit(code);
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
}, process.env["SCALEPLAN_DEBUG"] === "1");
process.exitCode = code;
