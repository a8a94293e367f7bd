import { readFileSync } from "node:fs";
import { UsageError } from "../../core/errors.ts";
import { parseScheduleSpec } from "../../core/schedule/spec.ts";
import type { Schedule } from "../../core/schedule/types.ts";

/** Parses a schedule spec on the command line; `table:FILE` reads FILE (a step,lr CSV). */
export function scheduleFromOption(text: string, field: string): Schedule {
  return parseScheduleSpec(text, field, (name) => {
    try {
      return readFileSync(name, "utf8");
    } catch (error) {
      const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
      throw new UsageError(`${field}: cannot read table ${name}: ${reason}`);
    }
  });
}
