// Reads a pasted `scaleplan curve fit --json` with the CLI's parser and schema (yaml and zod). A module of its own,
// loaded by the Schedules task only when the "My fit" law is chosen: the published fits need neither.
import { parseConfigText } from "../../../../src/core/config/parse.ts";
import { savedFitSchema, type SavedFit } from "../../../../src/core/curves/fit-file.ts";
import { FIT_NAME } from "./state.ts";

export function readPastedFit(text: string): SavedFit {
  return parseConfigText(text, savedFitSchema, FIT_NAME) as SavedFit;
}
