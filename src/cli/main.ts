#!/usr/bin/env node
// The process boundary: the only file that reads process.argv / process.env and sets the exit code.
// Signals: no handler is installed here. While a temporary file is being written, src/node/files.ts handles
// SIGINT/SIGTERM (removes it, exits 130/143); otherwise the default action ends the process at once, also in the
// middle of a long synchronous computation.
import { removePendingTempFiles } from "../node/files.ts";
import { runCli } from "./program.ts";

// `scaleplan limits | head -1`: the reader is gone, so there is nobody to tell; end quietly with success, as
// `cat` and `seq` do (exit 0 here rather than SIGPIPE's 141, so `set -o pipefail` scripts keep working).
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    removePendingTempFiles();
    if (error.code === "EPIPE") process.exit(0);
    // Any other failure of a standard stream cannot be reported on it: exit 1 without a word.
    process.exit(1);
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  drained: () => (process.stdout.writableNeedDrain ? new Promise<void>((resolve) => process.stdout.once("drain", () => resolve())) : Promise.resolve()),
}, process.env["SCALEPLAN_DEBUG"] === "1");
process.exitCode = code;
