// `--fit FILE` or `--law PRESET` for the curve commands, and the once-only extrapolation warning (issue 14).
import { InputError, UsageError } from "../../core/errors.ts";
import { parseConfigText } from "../../core/config/parse.ts";
import { savedFitSchema, type SavedFit } from "../../core/curves/fit-file.ts";
import { CURVE_LAW_PRESET_IDS, findCurveLawPreset } from "../../core/curves/presets.ts";
import { extrapolationWarning, type Extrapolation } from "../../core/curves/extrapolation.ts";
import { readTextInput } from "../../node/files.ts";
import type { CliIO } from "../io.ts";

export const CURVE_LAW_HELP = `a published loss-curve fit: ${CURVE_LAW_PRESET_IDS.join(", ")} (instead of --fit)`;

/** The fit from exactly one of --fit FILE (curve fit --json) and --law PRESET; presets carry their fitted domain. */
export async function resolveCurveFit(opts: { fit?: string; law?: string }): Promise<SavedFit> {
  if (opts.fit !== undefined && opts.law !== undefined) throw new UsageError("give the law either as --fit FILE or as --law PRESET, not both");
  if (opts.law !== undefined) {
    const preset = findCurveLawPreset(opts.law);
    if (!preset) throw new InputError("--law", opts.law, CURVE_LAW_PRESET_IDS.join(", "));
    return { ...preset.fit, domain: preset.domain };
  }
  if (opts.fit === undefined) throw new UsageError(`a law is required: --fit FILE (from \`scaleplan curve fit --json\`) or --law PRESET (${CURVE_LAW_PRESET_IDS.join(", ")})`);
  return parseConfigText(await readTextInput(opts.fit), savedFitSchema, opts.fit) as SavedFit;
}

/** Prints one stderr line when the predictions leave the fitted domain. */
export function warnExtrapolation(io: CliIO, found: readonly Extrapolation[], what: string): void {
  const line = extrapolationWarning(found, what);
  if (line) io.stderr(`${line}\n`);
}
