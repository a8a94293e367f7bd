// Shared by the tests that hold the web forms to the CLI's bounds: the field errors a web task throws.
import { FormErrors } from "../../web/src/views/limits/task.ts";

/** The form errors `run` (a web task called with some input) throws; empty when it computed its result. */
export function formErrors(run: () => unknown): ReadonlyArray<{ field: string; message: string }> {
  try {
    run();
    return [];
  } catch (error) {
    if (error instanceof FormErrors) return error.fields;
    throw error;
  }
}
