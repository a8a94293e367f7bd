import type { Command } from "@commander-js/extra-typings";
import type { CliIO } from "../io.ts";
import { registerSchedule } from "./schedule.ts";
import { registerLimits } from "./limits.ts";
import { registerScaling } from "./scaling.ts";
import { registerCurve } from "./curve.ts";
import { registerSweep } from "./sweep.ts";
import { registerAverage } from "./average.ts";
import { registerStep } from "./step.ts";
import { registerSearch } from "./search.ts";
import { registerValidate } from "./validate.ts";
import { registerPlan } from "./plan.ts";

/** Every subcommand registers itself here; one line per command keeps merges trivial. */
export function registerCommands(program: Command, io: CliIO): void {
  void program;
  void io;
  registerSchedule(program, io);
  registerLimits(program, io);
  registerScaling(program, io);
  registerCurve(program, io);
  registerSweep(program, io);
  registerAverage(program, io);
  registerStep(program, io);
  registerSearch(program, io);
  registerValidate(program, io);
  registerPlan(program, io);
}
