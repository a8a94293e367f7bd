// The Scaling view's input panel: the runs (the bundled Chinchilla example, or pasted / uploaded text), the column
// mapping, and the fit and allocation settings.
import { Field, Select, TextArea } from "../../components/field.tsx";
import { NumberField } from "../../components/number-field.tsx";
import { COMPARABLE_PRESETS, DEFAULT_SCALING_STATE, type ScalingState } from "./state.ts";

type Errors = Readonly<Record<string, string>>;
type Props = { state: ScalingState; errors: Errors; onChange: (state: ScalingState) => void };

const PRESET_OPTIONS = [{ value: "none", label: "No comparison" }, ...COMPARABLE_PRESETS.map((p) => ({ value: p.id, label: p.name }))];

/** Switching to your own runs stops dropping Besiroglu et al.'s 5 runs (unless the user changed the count). */
function withSource(state: ScalingState, source: ScalingState["source"]): ScalingState {
  if (source === "example") return { ...state, source, drop: state.drop === "0" ? DEFAULT_SCALING_STATE.drop : state.drop };
  return { ...state, source, drop: state.drop === DEFAULT_SCALING_STATE.drop ? "0" : state.drop };
}

function RunsData(props: Props) {
  const { state, errors, onChange } = props;
  const onFile = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (file) onChange({ ...(state.source === "example" ? withSource(state, "pasted") : state), data: await file.text() });
  };
  if (state.source !== "pasted") {
    return errors["data"] ? <p class="error" role="alert" id="runs-data-error">{errors["data"]}</p> : null;
  }
  return (
    <>
      <Field id="runs-data" label="Runs: CSV, TSV or JSON Lines" error={errors["data"]}>
        <TextArea id="runs-data" rows={10} placeholder={"N,D,loss\n4.0e8,8.0e9,3.2\n…"} value={state.data} error={errors["data"]} onInput={(data) => onChange({ ...state, data })} />
      </Field>
      <div class="field">
        <label for="runs-file">Or upload a file</label>
        <input id="runs-file" type="file" accept=".csv,.tsv,.jsonl,.txt,text/csv" onChange={onFile} />
      </div>
    </>
  );
}

export function RunsForm(props: Props) {
  const { state, errors, onChange } = props;
  const set = <K extends keyof ScalingState>(key: K) => (value: ScalingState[K]) => onChange({ ...state, [key]: value });
  return (
    <section class="panel" aria-labelledby="runs-heading">
      <h3 id="runs-heading">Runs</h3>
      <fieldset class="choice">
        <legend>Data</legend>
        <label>
          <input type="radio" name="source" checked={state.source === "example"} onChange={() => onChange(withSource(state, "example"))} /> Example: Chinchilla's 245 runs
          (Besiroglu et al. 2024 extraction)
        </label>
        <label>
          <input type="radio" name="source" checked={state.source === "pasted"} onChange={() => onChange(withSource(state, "pasted"))} /> My runs (paste or upload)
        </label>
      </fieldset>
      <RunsData {...props} />
      <Field id="runs-columns" label="Column mapping (optional)" hint="e.g. n=Model Size,c=Training FLOP,loss=loss" error={errors["columns"]}>
        <input id="runs-columns" type="text" value={state.columns} aria-describedby="runs-columns-hint" onInput={(e) => set("columns")((e.currentTarget as HTMLInputElement).value)} />
      </Field>
      <div class="grid">
        <NumberField id="bootstrap" label="Bootstrap resamples" value={state.bootstrap} error={errors["bootstrap"]} inputMode="decimal" onInput={set("bootstrap")} />
        <NumberField id="drop" label="Drop highest-loss runs" hint="Besiroglu et al. drop 5" value={state.drop} error={errors["drop"]} inputMode="decimal" onInput={set("drop")} />
        <NumberField id="seed" label="Seed" value={state.seed} error={errors["seed"]} inputMode="decimal" onInput={set("seed")} />
        <NumberField id="budget" label="Compute budget" unit="FLOP" value={state.budget} error={errors["budget"]} onInput={set("budget")} />
      </div>
      <Field id="preset" label="Compare with a published law">
        <Select id="preset" value={state.preset} options={PRESET_OPTIONS} onChange={set("preset")} />
      </Field>
    </section>
  );
}
