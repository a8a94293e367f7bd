// View 2: fit a Chinchilla-form scaling law to your runs (Approach 3), see it against the data and the
// compute-optimal frontier with its bootstrap band, allocate a budget, and compare with a published law.
import { useMemo } from "preact/hooks";
import { formatExp, formatSI } from "../../../../src/core/format.ts";
import { Field, NumberInput, Select } from "../../components/field.tsx";
import { FitChart } from "../../components/fit-chart.tsx";
import { useTask } from "../../worker/use-task.ts";
import { COMPARABLE_PRESETS, DEFAULT_SCALING_STATE, RUNS_NAME, type ScalingState } from "./state.ts";
import { TaskStatus } from "../../components/task-status.tsx";
import { DataDownloads } from "../../components/downloads.tsx";
import { toCsv } from "../../../../src/core/table.ts";
import type { ScalingTaskResult } from "./task.ts";

/** The compute-optimal frontier as drawn: C, the fit's N_opt with its bootstrap band, and the compared law's N_opt. */
function scalingCsv(r: ScalingTaskResult): string {
  const [fit, ...others] = r.frontierChart.lines;
  const band = r.frontierChart.bands?.[0]?.points ?? [];
  return toCsv({
    columns: ["flop", "n_opt", "n_opt_lo", "n_opt_hi", ...others.map((o) => `n_opt_${o.name}`)],
    rows: (fit?.points ?? []).map((p, i) => [p.x, p.y, band[i]?.lo ?? "", band[i]?.hi ?? "", ...others.map((o) => o.points[i]?.y ?? "")]),
  });
}

/** The inputs, the fitted law with its intervals, the allocation and the compared law, as one JSON document. */
function scalingJson(r: ScalingTaskResult, state: ScalingState): string {
  const { fitChart: _fit, frontierChart: _frontier, ...rest } = r;
  return `${JSON.stringify({ inputs: state, ...rest }, null, 2)}\n`;
}

const sig = (v: number, digits = 4) => Number(v.toPrecision(digits)).toString();
/** The fitted law's parameters as table rows: label, then the key in `law` and in `intervals`. */
const PARAMETER_ROWS = [["E", "E"], ["A", "A"], ["B", "B"], ["α", "alpha"], ["β", "beta"]] as const;
const interval = (iv: readonly [number, number] | undefined, f: (v: number) => string = sig) => (iv ? ` (${f(iv[0])} – ${f(iv[1])})` : "");

export function ScalingView(props: { state: ScalingState; onChange: (state: ScalingState) => void }) {
  const { state, onChange } = props;
  const computation = useTask("scaling", state);
  const r = computation.result;
  const errors = computation.fieldErrors["scaling"] ?? {};
  const set = <K extends keyof ScalingState>(key: K, value: ScalingState[K]) => onChange({ ...state, [key]: value });
  const presetOptions = useMemo(() => [{ value: "none", label: "No comparison" }, ...COMPARABLE_PRESETS.map((p) => ({ value: p.id, label: p.name }))], []);

  const onFile = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (file) onChange({ ...state, source: "pasted", data: await file.text(), drop: state.source === "example" && state.drop === DEFAULT_SCALING_STATE.drop ? "0" : state.drop });
  };

  return (
    <div class="scaling">
      <h2>Scaling laws: fit your runs, find the compute-optimal frontier</h2>
      <p class="intro">
        Fits L(N, D) = E + A/N^α + B/D^β to final losses by Chinchilla's Approach 3 (Huber loss on log residuals, a grid of L-BFGS starts),
        with bootstrap refits for the intervals: the same fit as <code>scaleplan fit</code>. Columns N (parameters), D (tokens) or C (FLOP),
        and loss are recognised by name.
      </p>
      <div class="columns">
        <section class="panel" aria-labelledby="runs-heading">
          <h3 id="runs-heading">Runs</h3>
          <fieldset class="choice">
            <legend>Data</legend>
            <label>
              <input type="radio" name="source" checked={state.source === "example"} onChange={() => onChange({ ...state, source: "example", drop: state.drop === "0" ? DEFAULT_SCALING_STATE.drop : state.drop })} /> Example: Chinchilla's 245
              runs (Besiroglu et al. 2024 extraction)
            </label>
            <label>
              <input type="radio" name="source" checked={state.source === "pasted"} onChange={() => onChange({ ...state, source: "pasted", drop: state.drop === DEFAULT_SCALING_STATE.drop ? "0" : state.drop })} /> My runs (paste or upload)
            </label>
          </fieldset>
          {state.source === "pasted" ? (
            <>
              <Field id="runs-data" label="Runs: CSV, TSV or JSON Lines" error={errors["data"]}>
                <textarea
                  id="runs-data"
                  rows={10}
                  spellcheck={false}
                  placeholder={"N,D,loss\n4.0e8,8.0e9,3.2\n…"}
                  value={state.data}
                  aria-invalid={errors["data"] ? "true" : "false"}
                  {...(errors["data"] ? { "aria-describedby": "runs-data-error" } : {})}
                  onInput={(e) => set("data", (e.currentTarget as HTMLTextAreaElement).value)}
                />
              </Field>
              <div class="field">
                <label for="runs-file">Or upload a file</label>
                <input id="runs-file" type="file" accept=".csv,.tsv,.jsonl,.txt,text/csv" onChange={onFile} />
              </div>
            </>
          ) : errors["data"] ? (
            <p class="error" role="alert" id="runs-data-error">
              {errors["data"]}
            </p>
          ) : null}
          <Field id="runs-columns" label="Column mapping (optional)" hint="e.g. n=Model Size,c=Training FLOP,loss=loss" error={errors["columns"]}>
            <input
              id="runs-columns"
              type="text"
              value={state.columns}
              aria-describedby="runs-columns-hint"
              onInput={(e) => set("columns", (e.currentTarget as HTMLInputElement).value)}
            />
          </Field>
          <div class="grid">
            <Field id="bootstrap" label="Bootstrap resamples" error={errors["bootstrap"]}>
              <NumberInput id="bootstrap" value={state.bootstrap} error={errors["bootstrap"]} onInput={(v) => set("bootstrap", v)} />
            </Field>
            <Field id="drop" label="Drop highest-loss runs" hint="Besiroglu et al. drop 5" error={errors["drop"]}>
              <NumberInput id="drop" value={state.drop} error={errors["drop"]} hint onInput={(v) => set("drop", v)} />
            </Field>
            <Field id="seed" label="Seed" error={errors["seed"]}>
              <NumberInput id="seed" value={state.seed} error={errors["seed"]} onInput={(v) => set("seed", v)} />
            </Field>
            <Field id="budget" label="Compute budget" unit="FLOP" error={errors["budget"]}>
              <NumberInput id="budget" inputMode="text" value={state.budget} error={errors["budget"]} onInput={(v) => set("budget", v)} />
            </Field>
          </div>
          <Field id="preset" label="Compare with a published law">
            <Select id="preset" value={state.preset} options={presetOptions} onChange={(v) => set("preset", v)} />
          </Field>
        </section>
        <section class="panel results" aria-labelledby="fit-heading">
          <h3 id="fit-heading">Fit</h3>
          <TaskStatus task={computation} hasResult={r !== null && r !== undefined} busy="Fitting…" done="Fitted" progressLabel="Fit progress" />
          {r ? (
            <>
              <table class="data" id="fit-params">
                <caption>
                  Fitted law on {r.points} runs{r.fit.bootstrapUsed > 0 ? ` (95 % intervals from ${r.fit.bootstrapUsed} bootstrap refits)` : ""}
                </caption>
                <tbody>
                  {PARAMETER_ROWS.map(([label, key]) => (
                    <tr key={key}>
                      <th scope="row">{label}</th>
                      <td data-value={r.fit.law[key]}>{sig(r.fit.law[key]) + interval(r.fit.intervals?.[key])}</td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">N_opt ∝ C^a</th>
                    <td>a = {sig(r.fit.frontier.a) + interval(r.fit.intervals?.a)}</td>
                  </tr>
                  <tr>
                    <th scope="row">RMS log residual</th>
                    <td>{sig(r.fit.residuals.rmsLog, 3)}</td>
                  </tr>
                </tbody>
              </table>
              {r.extrapolation ? (
                <p class="notice warning" id="scaling-extrapolation" role="status">
                  {r.extrapolation}
                </p>
              ) : null}
              <table class="data" id="allocation">
                <caption>Allocation of {formatExp(r.allocation.flops)} FLOP (compute-optimal)</caption>
                <thead>
                  <tr>
                    <th scope="col">law</th>
                    <th scope="col">parameters N</th>
                    <th scope="col">tokens D</th>
                    <th scope="col">tokens per parameter</th>
                    <th scope="col">predicted loss</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">your fit</th>
                    <td class="num" data-value={r.allocation.n}>
                      {formatSI(r.allocation.n)}
                      {interval(r.allocation.nInterval, (v) => formatSI(v))}
                    </td>
                    <td class="num" data-value={r.allocation.d}>
                      {formatSI(r.allocation.d)}
                      {interval(r.allocation.dInterval, (v) => formatSI(v))}
                    </td>
                    <td class="num">{r.allocation.tokensPerParam.toFixed(1)}</td>
                    <td class="num" data-value={r.allocation.loss}>
                      {r.allocation.loss.toFixed(3)}
                      {interval(r.allocation.lossInterval, (v) => v.toFixed(3))}
                    </td>
                  </tr>
                  {r.preset ? (
                    <tr>
                      <th scope="row" title={r.preset.source}>
                        {r.preset.name}
                      </th>
                      <td class="num" data-value={r.preset.allocation.n}>
                        {formatSI(r.preset.allocation.n)}
                      </td>
                      <td class="num">{formatSI(r.preset.allocation.d)}</td>
                      <td class="num">{r.preset.allocation.tokensPerParam.toFixed(1)}</td>
                      <td class="num">{r.preset.allocation.loss.toFixed(3)}</td>
                    </tr>
                  ) : null}
                </tbody>
              </table>
              <figure class="figure">
                <FitChart spec={r.fitChart} description="Loss against parameters for each compute budget: the runs as dots, the fitted law as lines" filename="scaleplan-scaling-fit" />
              </figure>
              <figure class="figure">
                <FitChart spec={r.frontierChart} description="Compute-optimal parameters against training compute, with the bootstrap band" filename="scaleplan-scaling-frontier" />
                <figcaption>
                  Dashed rules: the compute range of the fitted runs ({formatExp(r.fitted.flop[0])} – {formatExp(r.fitted.flop[1])} FLOP); outside it the
                  frontier is extrapolated. Data and budgets under the conventions of {RUNS_NAME}: compare laws only when they count N, D and loss the
                  same way.
                </figcaption>
              </figure>
              <DataDownloads id="scaling" filename="scaleplan-scaling" csv={() => scalingCsv(r)} json={() => scalingJson(r, state)} />
            </>
          ) : null}
        </section>
      </div>
    </div>
  );
}
