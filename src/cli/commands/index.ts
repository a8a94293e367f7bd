import type { Command } from "@commander-js/extra-typings";
import type { CliIO } from "../io.ts";
import { registerStep } from "./step.ts";
import { registerSearch } from "./search.ts";
import { registerValidate } from "./validate.ts";

/** Every subcommand registers itself here; one line per command keeps merges trivial. */
export function registerCommands(program: Command, io: CliIO): void {
  void program;
  void io;
  registerStep(program, io);
  registerSearch(program, io);
  registerValidate(program, io);
}
