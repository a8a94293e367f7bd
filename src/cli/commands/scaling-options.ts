import { InputError } from "../../core/errors.ts";
import { optionalNumberFlag } from "../number-flag.ts";

/** A numeric option value: finite, and > 0 unless zero is allowed; otherwise exit 2 naming the option. */
export function numberOption(option: string, raw: string | undefined, { allowZero = false, integer = false } = {}): number | undefined {
  const allowed = `${integer ? "a whole number" : "a finite number"} ${allowZero ? ">= 0" : "> 0"}`;
  return optionalNumberFlag(option, raw, allowed, (x) => (allowZero ? x >= 0 : x > 0) && (!integer || Number.isInteger(x)));
}

export function choiceOption<T extends string>(option: string, raw: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw)) throw new InputError(option, raw, `one of ${choices.join(", ")}`);
  return raw as T;
}
