// The Schedules view's input panel: schedules in the CLI's spec language (with examples to add), and the
// loss-curve law that predicts their loss (a published Multi-Power-Law fit or a pasted `curve fit --json`).
import { Field, Select, TextArea } from "../../components/field.tsx";
import { FIT_NAME, LAW_OPTIONS, MAX_SCHEDULES, type SchedulesState } from "./state.ts";

type FieldErrors = Readonly<Record<string, Readonly<Record<string, string>>>>;

const EXAMPLES: ReadonlyArray<{ label: string; spec: string }> = [
  { label: "WSD, 20 % linear cooldown", spec: "wsd:steps=24000,peak=3e-4,warmup=2160,cooldown=0.2,shape=linear,final=0" },
  { label: "WSD, 1−sqrt cooldown", spec: "wsd:steps=24000,peak=3e-4,warmup=2160,cooldown=0.2,shape=sqrt,final=0" },
  { label: "Cosine to 10 %", spec: "cosine:steps=24000,peak=3e-4,warmup=2160,final=0.1" },
  { label: "Multi-step 80/10/10", spec: "multistep:steps=24000,peak=3e-4,warmup=2160,at=0.8/0.9,factors=0.316/0.1" },
];

function SpecRow(props: { i: number; spec: string; error: string | undefined; count: number; onSpec: (spec: string) => void; onRemove: () => void }) {
  const { i, error } = props;
  return (
    <div class="schedule-row">
      <Field id={`schedule-${i}`} label={`Schedule ${i + 1}`} error={error}>
        <TextArea id={`schedule-${i}`} rows={3} value={props.spec} error={error} onInput={props.onSpec} />
      </Field>
      {props.count > 1 ? (
        <button type="button" class="link" onClick={props.onRemove} aria-label={`Remove schedule ${i + 1}`}>
          Remove
        </button>
      ) : null}
    </div>
  );
}

export function ScheduleEditor(props: { state: SchedulesState; errors: FieldErrors; onChange: (state: SchedulesState) => void }) {
  const { state, errors, onChange } = props;
  const setSpec = (i: number, spec: string) => onChange({ ...state, specs: state.specs.map((s, j) => (j === i ? spec : s)) });
  const add = (spec: string) => state.specs.length < MAX_SCHEDULES && onChange({ ...state, specs: [...state.specs, spec] });
  const remove = (i: number) => state.specs.length > 1 && onChange({ ...state, specs: state.specs.filter((_, j) => j !== i), code: 0 });
  const fitError = errors["law"]?.["fit"];
  return (
    <section class="panel" aria-labelledby="schedules-heading">
      <h3 id="schedules-heading">Schedules</h3>
      {state.specs.map((spec, i) => (
        <SpecRow key={i} i={i} spec={spec} error={errors[`schedule${i}`]?.["spec"]} count={state.specs.length} onSpec={(s) => setSpec(i, s)} onRemove={() => remove(i)} />
      ))}
      <p class="examples">
        Add an example:{" "}
        {EXAMPLES.map((e) => (
          <button key={e.label} type="button" class="add" disabled={state.specs.length >= MAX_SCHEDULES} onClick={() => add(e.spec)}>
            {e.label}
          </button>
        ))}
      </p>
      <Field id="law" label="Loss-curve law">
        <Select id="law" value={state.law} options={LAW_OPTIONS} onChange={(law) => onChange({ ...state, law })} />
      </Field>
      {state.law === "fit" ? (
        <Field id="fit-json" label={`Saved fit (${FIT_NAME}: MPL or momentum law)`} error={fitError}>
          <TextArea
            id="fit-json"
            rows={6}
            placeholder={'{"law": "mpl", "params": {"L0": 3.04, "A": 0.52, "alpha": 0.51, "B": 364, "C": 2.07, "beta": 0.58, "gamma": 0.64}}'}
            value={state.fitJson}
            error={fitError}
            onInput={(fitJson) => onChange({ ...state, fitJson })}
          />
        </Field>
      ) : null}
    </section>
  );
}
