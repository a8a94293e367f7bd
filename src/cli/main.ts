#!/usr/bin/env node
// The process boundary: the only file that reads process.argv / process.env and sets the exit code.
import { runCli } from "./program.ts";

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
}, process.env["SCALEPLAN_DEBUG"] === "1");
process.exitCode = code;
