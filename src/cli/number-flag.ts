import { parseDecimal } from "../core/config/number.ts";
import { InputError } from "../core/errors.ts";

/**
 * One number typed on the command line, for a value that is not a declared option (an element of a list, a
 * NAME=VALUE pair). Declared options go through parseFlags (./flags.ts). Both read numbers with parseDecimal,
 * the one number parser: decimal only ("0x10", "", "1e309", "NaN" rejected); otherwise one InputError line naming
 * the option, the value typed and what is allowed (exit 2).
 */
export function numberFlag(option: string, raw: string, allowed: string, check: (x: number) => boolean): number {
  const x = parseDecimal(raw);
  if (x === undefined || !check(x)) throw new InputError(option, raw, allowed);
  return x;
}

/** As numberFlag, for an option that may be absent. */
export function optionalNumberFlag(option: string, raw: string | undefined, allowed: string, check: (x: number) => boolean): number | undefined {
  return raw === undefined ? undefined : numberFlag(option, raw, allowed, check);
}
