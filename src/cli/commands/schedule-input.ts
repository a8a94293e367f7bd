import { readFileSync } from "node:fs";
import { fileError } from "../../node/files.ts";
import { parseScheduleSpec } from "../../core/schedule/spec.ts";
import type { Schedule } from "../../core/schedule/types.ts";

/** Parses a schedule spec on the command line; `table:FILE` reads FILE (a step,lr CSV). */
export function scheduleFromOption(text: string, field: string): Schedule {
  return parseScheduleSpec(text, field, (name) => {
    try {
      return readFileSync(name, "utf8");
    } catch (error) {
      throw fileError(error, "read", name, field);
    }
  });
}
