// The Schedules view's study panel: one of Hägele et al. 2024's schedule comparisons (their Figs. 3–6, cosine to 0
// vs 10 %, SWA vs cooldown) predicted by a loss-curve law, as `scaleplan curve study`.
import { STUDY_KINDS, STUDY_TITLES } from "../../../../src/core/curves/study.ts";
import { Field, Select } from "../../components/field.tsx";
import { NumberField } from "../../components/number-field.tsx";
import { TaskStatus } from "../../components/task-status.tsx";
import { useTask } from "../../worker/use-task.ts";
import { pickFields } from "../scaling/panel-inputs.ts";
import type { SchedulesState } from "./state.ts";
import { DEFAULT_STUDY_INPUT, type StudyInput } from "./study-input.ts";
import { StudyResults } from "./study-results.tsx";

const KIND_OPTIONS = STUDY_KINDS.map((k) => ({ value: k, label: `${k}: ${STUDY_TITLES[k]}` }));
const LAW_OPTIONS = [
  { value: "mpl-25m", label: "Multi-Power Law, 25M published fit" },
  { value: "mpl-100m", label: "Multi-Power Law, 100M published fit" },
  { value: "mpl-400m", label: "Multi-Power Law, 400M published fit" },
  { value: "fit", label: "The fit pasted above" },
];

export function StudyPanel(props: { state: SchedulesState; onChange: (state: SchedulesState) => void }) {
  const input: StudyInput = { ...pickFields(props.state, DEFAULT_STUDY_INPUT), fitJson: props.state.studyLaw === "fit" ? props.state.fitJson : "" };
  const task = useTask("study", input);
  const errors = task.fieldErrors["study"] ?? {};
  const update = (patch: Partial<StudyInput>) => props.onChange({ ...props.state, ...patch });
  return (
    <section class="panel study" aria-labelledby="study-heading">
      <h3 id="study-heading">Schedule studies (Hägele et al. 2024)</h3>
      <p class="hint">
        The comparisons of Hägele et al. 2024 (arXiv 2405.18392) predicted by a loss-curve law instead of training runs, beside the differences
        their released 124M runs measured: <code>scaleplan curve study --only {input.studyKind}</code>. The law gives the direction of a change, not
        its size (docs/schedule-studies.md says where it disagrees with the runs, and why).
      </p>
      <div class="grid">
        <Field id="study-kind" label="Study" error={errors["kind"]}>
          <Select id="study-kind" value={input.studyKind} options={KIND_OPTIONS} onChange={(studyKind) => update({ studyKind })} />
        </Field>
        <Field id="study-law" label="Law for the study" error={errors["law"]}>
          <Select id="study-law" value={input.studyLaw} options={LAW_OPTIONS} onChange={(studyLaw) => update({ studyLaw })} />
        </Field>
        <NumberField id="study-steps" label="Run length T" unit="steps" value={input.studySteps} error={errors["steps"]} onInput={(studySteps) => update({ studySteps })} />
        <NumberField id="study-peak" label="Peak LR" value={input.studyPeak} error={errors["peak"]} onInput={(studyPeak) => update({ studyPeak })} />
        <NumberField id="study-warmup" label="Warmup" unit="steps, from 0" value={input.studyWarmup} error={errors["warmup"]} onInput={(studyWarmup) => update({ studyWarmup })} />
        {input.studyKind === "swa" ? (
          <NumberField id="study-swa" label="SWA windows" unit="steps, list" value={input.studySwa} error={errors["swa"]} onInput={(studySwa) => update({ studySwa })} />
        ) : null}
      </div>
      <TaskStatus task={task} hasResult={task.result !== null} busy="Studying…" done="Studied" progressLabel="Study progress" progressOnlyWhenKnown />
      {task.result ? <StudyResults r={task.result} inputs={input} /> : null}
    </section>
  );
}
