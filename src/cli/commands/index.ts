import type { Command } from "@commander-js/extra-typings";
import type { CliIO } from "../io.ts";

type Register = (program: Command, io: CliIO) => void;

/**
 * Every subcommand, loaded only when it is asked for (the bundled CLI then starts without parsing the other
 * commands' code: docs/benchmarks.md, "Command-line start-up"). One line per command keeps merges trivial; the
 * order is the order of `scaleplan --help`.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  schedule: async () => (await import("./schedule.ts")).registerSchedule,
  limits: async () => (await import("./limits.ts")).registerLimits,
  diloco: async () => (await import("./diloco.ts")).registerDiloco,
  laws: async () => (await import("./laws.ts")).registerLaws,
  fit: async () => (await import("./fit.ts")).registerFit,
  optimal: async () => (await import("./optimal.ts")).registerOptimal,
  curve: async () => (await import("./curve.ts")).registerCurve,
  sweep: async () => (await import("./sweep.ts")).registerSweep,
  average: async () => (await import("./average.ts")).registerAverage,
  step: async () => (await import("./step.ts")).registerStep,
  search: async () => (await import("./search.ts")).registerSearch,
  validate: async () => (await import("./validate.ts")).registerValidate,
  plan: async () => (await import("./plan.ts")).registerPlan,
};

/**
 * The commands an invocation needs: the named command's only (`limits …`, `help limits`); none for a bare
 * `--version`; all of them to list every command (`--help`, no command) or to suggest one for a typo.
 */
export function modulesFor(args: readonly string[]): string[] {
  const all = Object.keys(COMMANDS);
  const words = args.filter((a) => !a.startsWith("-"));
  const moduleOf = (name: string | undefined): string | undefined => (name !== undefined && Object.hasOwn(COMMANDS, name) ? name : undefined);
  const first = words[0];
  if (first === undefined) return args.length > 0 && args.every((a) => a === "-V" || a === "--version") ? [] : all;
  const named = moduleOf(first === "help" ? words[1] : first);
  return named === undefined ? all : [named];
}

/** Registers the commands `args` needs (every command when `args` is omitted). */
export async function registerCommands(program: Command, io: CliIO, args?: readonly string[]): Promise<void> {
  const names = args === undefined ? Object.keys(COMMANDS) : modulesFor(args);
  const registers = await Promise.all(names.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program, io);
}
