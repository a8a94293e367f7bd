import { InputError } from "../core/errors.ts";

/**
 * A number typed on the command line: the whole string must be a finite number meeting `check`, otherwise one
 * InputError line naming the option, the value typed and what is allowed (exit 2). `Number("")` is 0, so an empty
 * string is rejected explicitly.
 */
export function numberFlag(option: string, raw: string, allowed: string, check: (x: number) => boolean): number {
  const trimmed = raw.trim();
  const x = trimmed === "" ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(x) || !check(x)) throw new InputError(option, raw, allowed);
  return x;
}

/** As numberFlag, for an option that may be absent. */
export function optionalNumberFlag(option: string, raw: string | undefined, allowed: string, check: (x: number) => boolean): number | undefined {
  return raw === undefined ? undefined : numberFlag(option, raw, allowed, check);
}
