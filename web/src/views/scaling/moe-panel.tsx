// The Scaling view's mixture-of-experts panel: a published MoE law, a budget, and the compute-optimal
// configurations over experts (total and active parameters, tokens), as `scaleplan optimal --law moe-…`.
import { Field, Select } from "../../components/field.tsx";
import { NumberField } from "../../components/number-field.tsx";
import { TaskStatus } from "../../components/task-status.tsx";
import { useTask } from "../../worker/use-task.ts";
import { MOE_PRESET_OPTIONS } from "./law-lists.ts";
import { MoeResults } from "./moe-results.tsx";
import { DEFAULT_MOE_INPUT, pickFields, type MoeInput } from "./panel-inputs.ts";

type Errors = Readonly<Record<string, string>>;

function MoeForm(props: { input: MoeInput; errors: Errors; update: (patch: Partial<MoeInput>) => void }) {
  const { input, errors, update } = props;
  const form = MOE_FORMS[input.moeLaw] ?? "joint";
  return (
    <div class="grid">
      <Field id="moe-law" label="MoE law" error={errors["law"]}>
        <Select id="moe-law" value={input.moeLaw} options={MOE_PRESET_OPTIONS} onChange={(moeLaw) => update({ moeLaw })} />
      </Field>
      {form !== "routed" ? (
        <NumberField id="moe-budget" label="Compute budget" unit="FLOP, 6·N_act·D" value={input.moeBudget} error={errors["budget"]} onInput={(moeBudget) => update({ moeBudget })} />
      ) : (
        <NumberField id="moe-params" label="Base (active) parameters" unit="130B tokens fixed" value={input.moeParams} error={errors["params"]} onInput={(moeParams) => update({ moeParams })} />
      )}
      {form !== "granular" ? (
        <NumberField id="moe-experts" label="Expert counts" unit="list" value={input.moeExperts} error={errors["experts"]} onInput={(moeExperts) => update({ moeExperts })} />
      ) : (
        <NumberField id="moe-granularity" label="Granularity G" unit="d_ff / d_expert" value={input.moeGranularity} error={errors["granularity"]} onInput={(moeGranularity) => update({ moeGranularity })} />
      )}
      {form === "joint" ? (
        <NumberField id="moe-max-total" label="Cap on total parameters" unit="optional" hint="memory (their §4.2)" value={input.moeMaxTotal} error={errors["maxTotal"]} onInput={(moeMaxTotal) => update({ moeMaxTotal })} />
      ) : null}
    </div>
  );
}

/** Which fields each preset reads (the task says the same by the law's form). */
const MOE_FORMS: Readonly<Record<string, "joint" | "granular" | "routed">> = { "moe-joint-2025": "joint", "moe-granular-2024": "granular", "moe-clark-sbase": "routed" };

export function MoePanel(props: { state: MoeInput; update: (patch: Partial<MoeInput>) => void }) {
  const input = pickFields(props.state, DEFAULT_MOE_INPUT);
  const task = useTask("moe", input);
  const r = task.result;
  return (
    <section class="panel law-panel" aria-labelledby="moe-heading">
      <h3 id="moe-heading">Mixture of experts: loss and compute-optimal allocation</h3>
      <p class="hint">
        Published MoE laws (docs/moe-and-precision-laws.md): the joint dense/MoE law of Ludziejewski et al. 2025 over active parameters, experts
        and tokens; their 2024 granularity law at expansion rate 64; Clark et al. 2022 at a fixed 130B tokens. The same numbers as{" "}
        <code>scaleplan optimal --law {input.moeLaw}</code>.
      </p>
      <MoeForm input={input} errors={task.fieldErrors["moe"] ?? {}} update={props.update} />
      <TaskStatus task={task} hasResult={r !== null} busy="Allocating…" done="Allocated" />
      {r ? <MoeResults r={r} inputs={input} /> : null}
    </section>
  );
}
