// The Scaling view's precision panel: FP8 (FP6, FP4) against BF16 on the same GPU time with the precision-aware law
// of Kumar et al. 2024 on a Chinchilla-form preset, as `scaleplan optimal --precision P --precision-speedup s`.
import { formatExp, formatSI } from "../../../../src/core/format.ts";
import { toCsv } from "../../../../src/core/table.ts";
import { DataDownloads } from "../../components/downloads.tsx";
import { Field, Select } from "../../components/field.tsx";
import { LineChart } from "../../components/line-chart.tsx";
import { NumberField } from "../../components/number-field.tsx";
import { TaskStatus } from "../../components/task-status.tsx";
import { useTask } from "../../worker/use-task.ts";
import { CHINCHILLA_FORM_PRESETS } from "./law-lists.ts";
import { DEFAULT_PRECISION_INPUT, pickFields, type PrecisionInput } from "./panel-inputs.ts";
import { LOW_PRECISIONS, type PrecisionTaskResult } from "./precision-task.ts";

const LAW_OPTIONS = CHINCHILLA_FORM_PRESETS.map((l) => ({ value: l.id, label: `${l.id}: ${l.name}` }));
const PRECISION_OPTIONS = LOW_PRECISIONS.map((p) => ({ value: p, label: p.toUpperCase() }));

/** The paper's own law: the compute-optimal training precision and 16/8/4 bits at the same budget. */
function PaperLawTable(props: { r: PrecisionTaskResult }) {
  const { optimum, compared } = props.r.paperLaw;
  return (
    <table class="data" id="precision-optimal">
      <caption>Kumar et al.'s own law (precision-kumar-2024): N, D and bits P chosen jointly, a P-bit run costing (6/16)·N·D·P of the budget</caption>
      <thead>
        <tr>
          {["run", "bits P", "parameters N", "tokens D", "N_eff/N", "loss"].map((c) => <th scope="col" key={c}>{c}</th>)}
        </tr>
      </thead>
      <tbody>
        {[optimum, ...compared].map((a, i) => (
          <tr key={i}>
            <th scope="row">{i === 0 ? "compute-optimal P" : `${a.bits}-bit`}</th>
            <td class="num" data-value={a.bits}>{a.bits.toFixed(2)}</td>
            <td class="num">{formatSI(a.n)}</td>
            <td class="num">{formatSI(a.d)}</td>
            <td class="num">{a.factor.toFixed(4)}</td>
            <td class="num" data-value={a.loss}>{a.loss.toFixed(4)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PrecisionResults(props: { r: PrecisionTaskResult; inputs: object }) {
  const { r } = props;
  const t = r.tradeoff;
  const label = r.precision.toUpperCase();
  const wins = t.lowPrecisionLoss < t.baselineLoss;
  const csv = () => toCsv({ columns: [`${r.precision}_speedup`, `${r.precision}_loss`, "bf16_loss"], rows: r.chart.series[0]!.points.map((p) => [p.x, p.y, t.baselineLoss]) });
  return (
    <>
      <p id="precision-summary" data-break-even={t.breakEvenSpeedup}>
        {label} keeps <strong data-value={t.relativeEffectiveParams}>{t.relativeEffectiveParams.toFixed(4)}</strong> of BF16's effective parameters, so it
        must run at least <strong>{t.breakEvenSpeedup.toFixed(3)}×</strong> faster than BF16 to reach a lower loss (for any Chinchilla-form law).
      </p>
      <table class="data" id="precision-table">
        <caption>Compute-optimal runs on the GPU time of {formatExp(r.budget)} BF16 FLOP, {label} at {r.speedup}× the FLOP</caption>
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">parameters N</th>
            <th scope="col">tokens D</th>
            <th scope="col">loss</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">BF16</th>
            <td class="num">{formatSI(r.baseline.n)}</td>
            <td class="num">{formatSI(r.baseline.d)}</td>
            <td class="num" data-value={t.baselineLoss}>{t.baselineLoss.toFixed(4)}</td>
          </tr>
          <tr>
            <th scope="row">{label}{wins ? " (wins)" : ""}</th>
            <td class="num">{formatSI(t.n)}</td>
            <td class="num">{formatSI(t.d)}</td>
            <td class="num" data-value={t.lowPrecisionLoss}>{t.lowPrecisionLoss.toFixed(4)}</td>
          </tr>
        </tbody>
      </table>
      <PaperLawTable r={r} />
      <figure class="figure">
        <LineChart spec={r.chart} description={r.chart.title} filename="scaleplan-precision" />
        <figcaption>
          {r.source}. The dashed rule marks the break-even speed-up. The paper's own law prices precision in FLOP, not speed: its optimum does not
          depend on the budget, and it was fitted on 30M–220M models (the authors call the constants unlikely to transfer).
        </figcaption>
      </figure>
      <DataDownloads id="precision" filename="scaleplan-precision" csv={csv} json={() => `${JSON.stringify({ inputs: props.inputs, ...r }, null, 2)}\n`} />
    </>
  );
}

export function PrecisionPanel(props: { state: PrecisionInput & { budget: string }; update: (patch: Partial<PrecisionInput>) => void }) {
  const input = { ...pickFields(props.state, DEFAULT_PRECISION_INPUT), budget: props.state.budget };
  const task = useTask("precision", input);
  const errors = task.fieldErrors["precision"] ?? {};
  const { update } = props;
  return (
    <section class="panel law-panel" aria-labelledby="precision-heading">
      <h3 id="precision-heading">Low-precision training: FP8's speed against its quality</h3>
      <p class="hint">
        Kumar et al. 2024: training in fewer bits acts like fewer parameters; a faster run gets more FLOP in the same GPU time. On the compute budget
        above, as <code>scaleplan optimal --precision {input.precision} --precision-speedup {input.precisionSpeedup}</code>.
      </p>
      <div class="grid">
        <Field id="precision-law" label="Base law (Chinchilla form)" error={errors["law"]}>
          <Select id="precision-law" value={input.precisionLaw} options={LAW_OPTIONS} onChange={(precisionLaw) => update({ precisionLaw })} />
        </Field>
        <Field id="precision" label="Training precision" error={errors["precision"]}>
          <Select id="precision" value={input.precision} options={PRECISION_OPTIONS} onChange={(precision) => update({ precision })} />
        </Field>
        <NumberField id="precision-speedup" label="Speed-up over BF16" unit="×" value={input.precisionSpeedup} error={errors["speedup"]} inputMode="decimal" onInput={(precisionSpeedup) => update({ precisionSpeedup })} />
      </div>
      {errors["budget"] ? <p class="error" role="alert">Compute budget (above): {errors["budget"]}</p> : null}
      <TaskStatus task={task} hasResult={task.result !== null} busy="Computing…" done="Computed" />
      {task.result ? <PrecisionResults r={task.result} inputs={input} /> : null}
    </section>
  );
}
