import { InputError } from "../../core/errors.ts";

/** A numeric option value: finite, and > 0 unless zero is allowed; otherwise exit 2 naming the option. */
export function numberOption(option: string, raw: string | undefined, { allowZero = false, integer = false } = {}): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const ok = raw.trim() !== "" && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!ok) throw new InputError(option, raw, `${integer ? "a whole number" : "a finite number"} ${allowZero ? ">= 0" : "> 0"}`);
  return value;
}

export function choiceOption<T extends string>(option: string, raw: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw)) throw new InputError(option, raw, `one of ${choices.join(", ")}`);
  return raw as T;
}
