// The schedule study's inputs (`scaleplan curve study`) and their defaults, as typed (zod-free: the worker imports it).

export type StudyInput = {
  /** fraction, shape, length, lr, final or swa (src/core/curves/study.ts STUDY_KINDS). */
  readonly studyKind: string;
  /** mpl-25m, mpl-100m, mpl-400m, or "fit": the fit pasted in the Schedules view. */
  readonly studyLaw: string;
  readonly studySteps: string;
  readonly studyPeak: string;
  readonly studyWarmup: string;
  /** SWA windows in steps, comma-separated. */
  readonly studySwa: string;
  /** The pasted fit (the Schedules view's `fitJson`), read when studyLaw is "fit". */
  readonly fitJson: string;
};

/** `curve study`'s defaults with a preset: the run the published MPL fits were made on (spec §C.4), SWA 500/1000/2500. */
export const DEFAULT_STUDY_INPUT: Omit<StudyInput, "fitJson"> = {
  studyKind: "fraction",
  studyLaw: "mpl-25m",
  studySteps: "24000",
  studyPeak: "3e-4",
  studyWarmup: "2160",
  studySwa: "500,1000,2500",
};
