// The Schedules view's state: schedules in the CLI's spec language, the loss law to predict with.
import type { ViewCodec } from "../../url-state.ts";
import { listOf, oneOf, text, wholeNumber, type Fields } from "../../url-fields.ts";
import { DEFAULT_STUDY_INPUT, type StudyInput } from "./study-input.ts";

export const MAX_SCHEDULES = 4;

/** Error messages name a pasted fit as the CLI names the file. */
export const FIT_NAME = "fit.json";

/** Loss-curve laws the view can predict with: the published Multi-Power Law fits (spec §C.2). */
export const LAW_OPTIONS = [
  { value: "none", label: "No loss prediction" },
  { value: "mpl-25m", label: "Multi-Power Law, 25M published fit" },
  { value: "mpl-100m", label: "Multi-Power Law, 100M published fit" },
  { value: "mpl-400m", label: "Multi-Power Law, 400M published fit" },
  { value: "fit", label: "My fit (paste `scaleplan curve fit --json`)" },
] as const;
export type LawId = (typeof LAW_OPTIONS)[number]["value"];

export type SchedulesState = {
  specs: string[];
  law: LawId;
  /** The saved fit (MPL or momentum law) when `law` is "fit". */
  fitJson: string;
  /** Which schedule's PyTorch snippet is shown. */
  code: number;
  /** Reusable-sweep planner (`scaleplan sweep`): "hagele2024" or "custom" sizes × tokens-per-parameter ratios. */
  sweepModels: "hagele2024" | "custom";
  sweepSizes: string;
  sweepRatios: string;
  sweepBatch: string;
  sweepCooldown: string;
  sweepShape: string;
  sweepGpu: string;
  sweepUtilization: string;
} & Omit<StudyInput, "fitJson">;

const schedulesFields: Fields<SchedulesState> = {
  specs: listOf(text(), 1, MAX_SCHEDULES),
  law: oneOf(LAW_OPTIONS.map((o) => o.value)),
  fitJson: text(),
  code: wholeNumber(0, MAX_SCHEDULES - 1),
  sweepModels: oneOf(["hagele2024", "custom"]),
  sweepSizes: text(),
  sweepRatios: text(),
  sweepBatch: text(),
  sweepCooldown: text(),
  sweepShape: text(),
  sweepGpu: text(),
  sweepUtilization: text(),
  // The schedule study (study-input.ts), as typed: its task checks the values.
  studyKind: text(),
  studyLaw: text(),
  studySteps: text(),
  studyPeak: text(),
  studyWarmup: text(),
  studySwa: text(),
};

// The 25M runs of the Multi-Power Law paper (test/fixtures/loss-curves/mpl-specs.ts: cosine_24000 and
// wsd_20000_24000), so the published law predicts the curves it was fitted on.
export const DEFAULT_SCHEDULES_STATE: SchedulesState = {
  specs: [
    "cosine:steps=24000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,final=0.1",
    "wsd:steps=24000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,cooldown-steps=4000,shape=exp,final=0.1",
  ],
  law: "mpl-25m",
  fitJson: "",
  code: 0,
  // The CLI's defaults (`scaleplan sweep`): 20 % 1−sqrt cooldowns, 0.5M tokens per step, 40 % utilization.
  sweepModels: "hagele2024",
  sweepSizes: "124M,350M,760M",
  sweepRatios: "10,15,20,25",
  sweepBatch: "0.5M",
  sweepCooldown: "0.2",
  sweepShape: "sqrt",
  sweepGpu: "h100-sxm",
  sweepUtilization: "0.4",
  ...DEFAULT_STUDY_INPUT,
};

export const schedulesCodec: ViewCodec<SchedulesState> = { prefix: "s", fields: schedulesFields, defaults: DEFAULT_SCHEDULES_STATE };

/** The schedules task's input: the specs and the law to predict with. */
export const schedulesTaskInput = (state: SchedulesState) => ({ specs: state.specs, law: state.law, fitJson: state.fitJson });

/** The reusable-sweep planner's input (`scaleplan sweep`). */
export const sweepTaskInput = (state: SchedulesState) => ({
  sweepModels: state.sweepModels,
  sweepSizes: state.sweepSizes,
  sweepRatios: state.sweepRatios,
  sweepBatch: state.sweepBatch,
  sweepCooldown: state.sweepCooldown,
  sweepShape: state.sweepShape,
  sweepGpu: state.sweepGpu,
  sweepUtilization: state.sweepUtilization,
});
