import type { Command } from "@commander-js/extra-typings";
import type { CliIO } from "../io.ts";
import { registerSchedule } from "./schedule.ts";

/** Every subcommand registers itself here; one line per command keeps merges trivial. */
export function registerCommands(program: Command, io: CliIO): void {
  void program;
  void io;
  registerSchedule(program, io);
}
