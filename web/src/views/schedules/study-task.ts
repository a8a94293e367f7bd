// Runs inside the worker: one of Hägele et al. 2024's schedule studies (cooldown length, shape, run length, peak
// and final LR, SWA) predicted with a published Multi-Power-Law fit or the pasted one, beside the differences the
// released 124M runs measured — `scaleplan curve study`.
import { InputError } from "../../../../src/core/errors.ts";
import { parseConfigText } from "../../../../src/core/config/parse.ts";
import { MAX_SCHEDULE_STEPS, PEAK_LR } from "../../../../src/core/config/bounds.ts";
import { extrapolationWarning } from "../../../../src/core/curves/extrapolation.ts";
import { savedFitSchema, type SavedFit } from "../../../../src/core/curves/fit-file.ts";
import { findCurveLawPreset } from "../../../../src/core/curves/presets.ts";
import { runScheduleStudy, STUDY_KINDS, STUDY_TITLES, type StudyKind, type StudyRow } from "../../../../src/core/curves/study.ts";
import { studyChart } from "../../../../src/core/curves/study-chart.ts";
import { compareWithPaper, disagreementNote, type PaperComparison } from "../../../../src/core/curves/study-paper.ts";
import type { LineChartSpec } from "../../../../src/core/plot/line-chart.ts";
import type { Bound } from "../../worker/bounds.ts";
import type { ProgressFn } from "../../worker/protocol.ts";
import { fieldReader } from "../scaling/read-fields.ts";
import { FIT_NAME } from "./state.ts";
import { FormErrors } from "../limits/task.ts";
import type { StudyInput } from "./study-input.ts";

/** What the study's fields accept. */
export const STUDY_BOUNDS = {
  // The studies also run 2T, 4T and 8T steps (as `curve study --steps`), so T is capped at the schedules' limit / 8.
  steps: { min: 2, max: Math.floor(MAX_SCHEDULE_STEPS / 8), integer: true },
  // The one peak-LR bound of `curve study --peak`, schedule specs and the core (config/bounds.ts PEAK_LR).
  peak: { min: PEAK_LR.min, max: PEAK_LR.max, note: `(${PEAK_LR.reason})` },
  warmup: { min: 0, max: MAX_SCHEDULE_STEPS, integer: true },
  swa: { min: 1, max: MAX_SCHEDULE_STEPS, integer: true },
} as const satisfies Readonly<Record<string, Bound>>;

export interface StudyTaskResult {
  readonly kind: StudyKind;
  readonly title: string;
  readonly lawName: string;
  readonly rows: readonly StudyRow[];
  readonly chart: LineChartSpec;
  /** Ours at T and 2T against the measured 124M differences (spec §A.6), for the same schedules. */
  readonly paper: readonly PaperComparison[];
  /** Where the law orders this study's comparisons differently from the measured runs (the core's notes). */
  readonly notes: readonly string[];
  /** The furthest the predictions leave the law's fitted domain, as one sentence, or null. */
  readonly extrapolation: string | null;
  readonly setup: { readonly steps: number; readonly peak: number; readonly warmup: number; readonly swa: readonly number[] };
}

function studyLaw(input: StudyInput): { fit: SavedFit; name: string } {
  if (input.studyLaw === "fit") {
    try {
      return { fit: parseConfigText(input.fitJson, savedFitSchema, FIT_NAME) as SavedFit, name: "your fit" };
    } catch (error) {
      // The pasted fit's own error shows under it (the Schedules task reports it); here it names the law field.
      if (error instanceof InputError) throw new InputError("law", "fit", `a valid fit pasted above (${error.message})`);
      throw error;
    }
  }
  const preset = findCurveLawPreset(input.studyLaw);
  if (!preset) throw new InputError("law", input.studyLaw, "mpl-25m, mpl-100m, mpl-400m or fit");
  return { fit: { ...preset.fit, domain: preset.domain }, name: preset.id };
}

export function studyTask(input: StudyInput, progress: ProgressFn): StudyTaskResult {
  const f = fieldReader("study");
  const kind = f.guard("kind", () => {
    if (!(STUDY_KINDS as readonly string[]).includes(input.studyKind)) throw new InputError("kind", input.studyKind, `one of ${STUDY_KINDS.join(", ")}`);
    return input.studyKind as StudyKind;
  });
  const law = f.guard("law", () => studyLaw(input));
  const steps = f.number("steps", input.studySteps, STUDY_BOUNDS.steps);
  const peak = f.number("peak", input.studyPeak, STUDY_BOUNDS.peak);
  const warmup = f.number("warmup", input.studyWarmup, STUDY_BOUNDS.warmup);
  const swa = f.list("swa", input.studySwa, STUDY_BOUNDS.swa);
  f.done();
  // The warmup as the published fits' runs had it: linear from 0 (spec §C.4), as `curve study`'s defaults.
  const setup = { fit: law!.fit, steps: steps!, peak: peak!, warmup: { steps: warmup!, from: 0, shape: "linspace" as const }, swaWindows: swa! };
  let result;
  try {
    result = runScheduleStudy(setup, [kind!], (done, total) => progress(done, total + 1, "studying schedules"));
  } catch (error) {
    // The core checks what only the combination decides (T > warmup + 10, SWA windows shorter than the run).
    if (error instanceof InputError) throw new FormErrors([{ key: "study", field: error.field === "swa window" ? "swa" : "steps", message: error.message }]);
    throw error;
  }
  const paper = compareWithPaper(setup);
  const warning = extrapolationWarning(result.extrapolation, "The study");
  return {
    kind: kind!,
    title: STUDY_TITLES[kind!],
    lawName: law!.name,
    rows: result.rows,
    chart: studyChart(result.rows, kind!, law!.name),
    paper,
    notes: paper.filter((p) => p.studies.includes(kind!)).flatMap((p) => disagreementNote(p) ?? []),
    extrapolation: warning === null ? null : warning.replace(/^warning: /, ""),
    setup: { steps: steps!, peak: peak!, warmup: warmup!, swa: swa! },
  };
}
