import type { Command } from "@commander-js/extra-typings";
import type { CliIO } from "../io.ts";
import { registerFit } from "./fit.ts";
import { registerLaws } from "./laws.ts";
import { registerOptimal } from "./optimal.ts";

/** The scaling-law commands: `laws`, `fit`, `optimal`. */
export function registerScaling(program: Command, io: CliIO): void {
  registerLaws(program, io);
  registerFit(program, io);
  registerOptimal(program, io);
}
