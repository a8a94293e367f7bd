// Reading a panel's form fields in a worker task: every number inside its bound, every error collected (one message
// per field, shown under it), so a panel with two bad fields names both at once.
import { InputError } from "../../../../src/core/errors.ts";
import { requireListLength } from "../../../../src/core/config/bounds.ts";
import { readBounded, type Bound } from "../../worker/bounds.ts";
import { FormErrors } from "../limits/task.ts";

export interface FieldReader {
  /** The number typed into `field`, or undefined (its error recorded). */
  number(field: string, text: string, bound: Bound): number | undefined;
  /**
   * A comma-separated list of numbers, each inside `bound`, at most MAX_LIST_ENTRIES of them: the one list bound of
   * the CLI and the core (config/bounds.ts), with the same error line.
   */
  list(field: string, text: string, bound: Bound): number[] | undefined;
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
    list: (field, text, bound) => guard(field, () => requireListLength(field, text.split(",")).map((item) => readBounded(field, item.trim(), bound))),
    done: () => {
      if (errors.length > 0) throw new FormErrors(errors);
    },
  };
}
