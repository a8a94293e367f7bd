// The reusable-sweep planner of the Schedules view (`scaleplan sweep`).
import { formatCount, formatExp } from "../../../../src/core/format.ts";
import { COOLDOWN_SHAPES } from "../../../../src/core/schedule/types.ts";
import { GPU_CATALOGUE } from "../../../../src/core/hardware/catalogue.ts";
import { findGpu } from "../../../../src/core/hardware/lookup.ts";
import { Field, NumberInput, Select } from "../../components/field.tsx";
import { useTask } from "../../worker/use-task.ts";
import { sweepTaskInput, type SchedulesState } from "./state.ts";
import type { SweepPlan } from "../../../../src/core/sweep/plan.ts";

/** GPU-hours as people write them: 12,345 (whole hours from 100 on), 3.21 below. */
const gpuHours = (h: number) => (h >= 100 ? formatCount(h) : String(Number(h.toPrecision(3))));

function SweepForm(props: { state: SchedulesState; errors: Readonly<Record<string, string>>; set: <K extends keyof SchedulesState>(key: K, value: SchedulesState[K]) => void }) {
  const { state, errors, set } = props;
  return (
    <div class="grid">
      <Field id="sweep-models" label="Sizes and budgets">
        <Select
          id="sweep-models"
          value={state.sweepModels}
          options={[
            { value: "hagele2024", label: "Hägele et al. 2024 family (33M–360M)" },
            { value: "custom", label: "My sizes × tokens per parameter" },
          ]}
          onChange={(v) => set("sweepModels", v)}
        />
      </Field>
      {state.sweepModels === "custom" ? (
        <>
          <Field id="sweep-sizes" label="Model sizes" unit="parameters" error={errors["sizes"]}>
            <NumberInput id="sweep-sizes" inputMode="text" value={state.sweepSizes} error={errors["sizes"]} onInput={(v) => set("sweepSizes", v)} />
          </Field>
          <Field id="sweep-ratios" label="Tokens per parameter" unit="list" error={errors["ratios"]}>
            <NumberInput id="sweep-ratios" inputMode="text" value={state.sweepRatios} error={errors["ratios"]} onInput={(v) => set("sweepRatios", v)} />
          </Field>
          <Field id="sweep-batch" label="Tokens per step" unit="tokens" error={errors["batch"]}>
            <NumberInput id="sweep-batch" inputMode="text" value={state.sweepBatch} error={errors["batch"]} onInput={(v) => set("sweepBatch", v)} />
          </Field>
        </>
      ) : null}
      <Field id="sweep-cooldown" label="Cooldown" unit="fraction of each branch" error={errors["cooldown"]}>
        <NumberInput id="sweep-cooldown" value={state.sweepCooldown} error={errors["cooldown"]} onInput={(v) => set("sweepCooldown", v)} />
      </Field>
      <Field id="sweep-shape" label="Cooldown shape" error={errors["shape"]}>
        <Select id="sweep-shape" value={state.sweepShape} options={COOLDOWN_SHAPES.map((s) => ({ value: s, label: s === "sqrt" ? "1−sqrt" : s }))} onChange={(v) => set("sweepShape", v)} />
      </Field>
      <Field id="sweep-gpu" label="GPU for GPU-hours">
        <Select
          id="sweep-gpu"
          value={findGpu(state.sweepGpu)?.id ?? state.sweepGpu}
          options={[{ value: "none", label: "none" }, ...GPU_CATALOGUE.map((g) => ({ value: g.id, label: g.name }))]}
          onChange={(v) => set("sweepGpu", v)}
        />
      </Field>
      <Field id="sweep-utilization" label="Utilization" unit="fraction" error={errors["utilization"]}>
        <NumberInput id="sweep-utilization" value={state.sweepUtilization} error={errors["utilization"]} onInput={(v) => set("sweepUtilization", v)} />
      </Field>
    </div>
  );
}

function SweepResults(props: { plan: SweepPlan }) {
  const { plan } = props;
  return (
    <>
      <p id="sweep-total" data-ratio={plan.total.costRatio}>
        The reusable sweep costs <strong>{(plan.total.costRatio * 100).toFixed(1)} %</strong> of the cosine grid: {formatExp(plan.total.reuse.sixND)} instead of{" "}
        {formatExp(plan.total.cosine.sixND)} FLOP (6ND)
        {plan.gpuHours ? `; ${gpuHours(plan.gpuHours.reuse)} instead of ${gpuHours(plan.gpuHours.cosine)} GPU-hours (${plan.gpuHours.basis} FLOPs)` : ""}.
      </p>
      {plan.warnings.map((w) => (
        <p class="notice" key={w}>
          {w}
        </p>
      ))}
      <div class="scroll">
        <table class="data" id="sweep-table">
          <caption>Per model size</caption>
          <thead>
            <tr>
              <th scope="col">size</th>
              <th scope="col">budgets (tokens)</th>
              <th scope="col">trunk steps</th>
              <th scope="col">cosine grid (FLOP, 6ND)</th>
              <th scope="col">reusable (FLOP, 6ND)</th>
              <th scope="col">ratio</th>
            </tr>
          </thead>
          <tbody>
            {plan.sizes.map((s) => (
              <tr key={s.name}>
                <th scope="row">{s.name}</th>
                <td>{s.branches.map((b) => formatExp(b.tokens, 1)).join(", ")}</td>
                <td class="num">{s.trunkSteps}</td>
                <td class="num">{formatExp(s.cosine.sixND)}</td>
                <td class="num">{formatExp(s.reuse.sixND)}</td>
                <td class="num">{s.costRatio.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function SweepPlanner(props: { state: SchedulesState; onChange: (state: SchedulesState) => void }) {
  const { state, onChange } = props;
  const computation = useTask("sweep", sweepTaskInput(state));
  const set = <K extends keyof SchedulesState>(key: K, value: SchedulesState[K]) => onChange({ ...state, [key]: value });

  return (
    <section class="panel sweep" aria-labelledby="sweep-heading">
      <h3 id="sweep-heading">Plan a reusable sweep</h3>
      <p class="hint">
        One constant-LR run per model size with cooldown branches at each token budget, instead of one cosine run per (size, budget) (Hägele et al.
        2024, §5): the plan of <code>scaleplan sweep</code>.
      </p>
      <SweepForm state={state} errors={computation.fieldErrors["sweep"] ?? {}} set={set} />
      {computation.error ? (
        <p class="error" role="alert">
          {computation.error}
        </p>
      ) : null}
      {computation.result ? <SweepResults plan={computation.result} /> : null}
    </section>
  );
}
