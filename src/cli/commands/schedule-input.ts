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

/** A whole number ≥ min from an option string, or a one-line InputError-style usage error. */
export function intOption(raw: string | undefined, field: string, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new UsageError(`${field}: ${JSON.stringify(raw)} is not allowed; expected a whole number >= ${min}`);
  return v;
}

/** A finite number from an option string. */
export function numOption(raw: string | undefined, field: string, check: (v: number) => boolean, allowed: string): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v) || !check(v)) throw new UsageError(`${field}: ${JSON.stringify(raw)} is not allowed; expected ${allowed}`);
  return v;
}

