import { readFileSync } from "node:fs";
import { UsageError } from "../../core/errors.ts";
import { parseScheduleSpec } from "../../core/schedule/spec.ts";
import type { Schedule } from "../../core/schedule/types.ts";
import { optionalNumberFlag } from "../number-flag.ts";

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

/** A whole number ≥ min from an option string (one line naming the option otherwise, exit 2). */
export function intOption(raw: string | undefined, field: string, min: number): number | undefined {
  return optionalNumberFlag(field, raw, `a whole number >= ${min}`, (v) => Number.isInteger(v) && v >= min);
}

/** A finite number from an option string, meeting `check`. */
export function numOption(raw: string | undefined, field: string, check: (v: number) => boolean, allowed: string): number | undefined {
  return optionalNumberFlag(field, raw, allowed, check);
}

