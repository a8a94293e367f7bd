import { Command, CommanderError, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { ComputationError, InputError, IoError, UsageError } from "../core/errors.ts";
import type { CliIO } from "./io.ts";
import { registerCommands } from "./commands/index.ts";
import packageJson from "../../package.json" with { type: "json" };

/** Exit codes of every scaleplan command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** The program with the commands `args` needs (all of them when `args` is omitted: lazy loading, commands/index.ts). */
export async function buildProgram(io: CliIO, args?: readonly string[]): Promise<Command> {
  const program = new Command()
    .name("scaleplan")
    .description("Plan large-model training runs: data-movement limits, scaling laws, LR schedules, step time and memory.")
    .version(packageJson.version)
    .showHelpAfterError(false)
    .configureOutput(output(io))
    .exitOverride();
  await registerCommands(program, io, args);
  const configure = (command: { commands: readonly CommandUnknownOpts[] }): void => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput(output(io));
      configure(sub);
    }
  };
  configure(program);
  return program;
}

/**
 * Where commander writes: help to stdout, its errors (unknown command or option, missing argument) as the one
 * line every scaleplan error is: "scaleplan: unknown command 'limts' (did you mean limits?)".
 */
function output(io: CliIO) {
  return {
    writeOut: (s: string) => io.stdout(s),
    writeErr: (s: string) => io.stderr(s),
    outputError: (s: string, write: (s: string) => void) => {
      const text = s.replace(/^error:\s*/i, "").split("\n").map((l) => l.trim()).filter((l) => l !== "").join(" ");
      write(`scaleplan: ${text.replace(/\(Did you mean/g, "(did you mean")}\n`);
    },
  };
}

/**
 * Runs scaleplan with the given arguments (without "node" and the script) and returns the exit code.
 * Every error becomes one line on stderr: bad input exits 2, a failed computation exits 1; no stack traces
 * except for genuine bugs (SCALEPLAN_DEBUG=1 prints them always).
 */
export async function runCli(args: readonly string[], io: CliIO, debug = false): Promise<number> {
  const program = await buildProgram(io, args);
  try {
    await program.parseAsync([...args], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (debug && error instanceof Error) io.stderr(`${error.stack ?? error.message}\n`);
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed what they had to.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") {
        return EXIT_OK;
      }
      return EXIT_BAD_INPUT; // commander already wrote its one-line message
    }
    if (error instanceof InputError || error instanceof UsageError) {
      io.stderr(`scaleplan: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof ComputationError || error instanceof IoError) {
      io.stderr(`scaleplan: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    // A bug: one line (the stack with SCALEPLAN_DEBUG=1, printed above).
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`scaleplan: internal error: ${message.split("\n")[0]}${debug ? "" : " (SCALEPLAN_DEBUG=1 shows where)"}\n`);
    return EXIT_FAILURE;
  }
}
