// Reading a panel's form fields in a worker task: every number inside its bound, every error collected (one message
// per field, shown under it), so a panel with two bad fields names both at once.
import { InputError } from "../../../../src/core/errors.ts";
import { readBounded, type Bound } from "../../worker/bounds.ts";
import { FormErrors } from "../limits/task.ts";

export interface FieldReader {
  /** The number typed into `field`, or undefined (its error recorded). */
  number(field: string, text: string, bound: Bound): number | undefined;
  /** A comma-separated list of numbers, each inside `bound`, at most `max` of them. */
  list(field: string, text: string, bound: Bound, max: number): number[] | undefined;
  /** Runs `f`; an InputError it throws becomes `field`'s message. */
  guard<T>(field: string, f: () => T): T | undefined;
  /** Throws the collected errors (a FormErrors), if any. */
  done(): void;
}

/** A reader whose errors belong to the form part `key` (TaskState.fieldErrors[key]). */
export function fieldReader(key: string): FieldReader {
  const errors: Array<{ key: string; field: string; message: string }> = [];
  const guard = <T>(field: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push({ key, field, message: error.message });
      return undefined;
    }
  };
  return {
    guard,
    number: (field, text, bound) => guard(field, () => readBounded(field, text, bound)),
    list: (field, text, bound, max) =>
      guard(field, () => {
        const items = text.split(",");
        if (items.length > max) throw new InputError(field, `${items.length} entries`, `at most ${max} entries`);
        return items.map((item) => readBounded(field, item.trim(), bound));
      }),
    done: () => {
      if (errors.length > 0) throw new FormErrors(errors);
    },
  };
}
