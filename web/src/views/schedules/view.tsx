// View 3: design learning-rate schedules in the CLI's spec language, see them, predict their loss curves with a
// published Multi-Power Law fit, and copy the PyTorch snippet.
import { useMemo, useState } from "preact/hooks";
import { formatCount, formatExp } from "../../../../src/core/format.ts";
import type { LineChartSpec } from "../../../../src/core/plot/line-chart.ts";
import { SCHEDULE_KINDS } from "../../../../src/core/schedule/spec.ts";
import { Field, Select } from "../../components/field.tsx";
import { LineChart } from "../../components/line-chart.tsx";
import { useTask } from "../../worker/use-task.ts";
import { SweepPlanner } from "./sweep-view.tsx";
import { FIT_NAME, LAW_OPTIONS, MAX_SCHEDULES, schedulesTaskInput, type SchedulesState } from "./state.ts";
import type { ScheduleResult } from "./task.ts";
import { TaskStatus } from "../../components/task-status.tsx";
import { DataDownloads } from "../../components/downloads.tsx";
import { toCsv } from "../../../../src/core/table.ts";

/** The charted points of every schedule: its LR at each sampled step and the predicted loss there (when predicted). */
function schedulesCsv(results: readonly ScheduleResult[]): string {
  return toCsv({
    columns: ["schedule", "spec", "step", "lr", "predicted_loss"],
    rows: results.flatMap((r, i) => {
      const loss = new Map((r.lossPoints ?? []).map((p) => [p.step, p.loss]));
      return r.lrPoints.map((p) => [i + 1, r.canonical, p.step, p.lr, loss.get(p.step) ?? ""]);
    }),
  });
}

/** The inputs and every schedule's result (areas, final LR and loss, snippet) as one JSON document. */
function schedulesJson(results: readonly ScheduleResult[], state: SchedulesState): string {
  return `${JSON.stringify({ inputs: { specs: state.specs, law: state.law, fitJson: state.fitJson }, schedules: results }, null, 2)}\n`;
}

const EXAMPLES: ReadonlyArray<{ label: string; spec: string }> = [
  { label: "WSD, 20 % linear cooldown", spec: "wsd:steps=24000,peak=3e-4,warmup=2160,cooldown=0.2,shape=linear,final=0" },
  { label: "WSD, 1−sqrt cooldown", spec: "wsd:steps=24000,peak=3e-4,warmup=2160,cooldown=0.2,shape=sqrt,final=0" },
  { label: "Cosine to 10 %", spec: "cosine:steps=24000,peak=3e-4,warmup=2160,final=0.1" },
  { label: "Multi-step 80/10/10", spec: "multistep:steps=24000,peak=3e-4,warmup=2160,at=0.8/0.9,factors=0.316/0.1" },
];

export function SchedulesView(props: { state: SchedulesState; onChange: (state: SchedulesState) => void }) {
  const { state, onChange } = props;
  const computation = useTask("schedules", schedulesTaskInput(state));
  const results = computation.result;
  const setSpec = (i: number, spec: string) => onChange({ ...state, specs: state.specs.map((s, j) => (j === i ? spec : s)) });
  const add = (spec: string) => {
    if (state.specs.length < MAX_SCHEDULES) onChange({ ...state, specs: [...state.specs, spec] });
  };
  const remove = (i: number) => {
    if (state.specs.length > 1) onChange({ ...state, specs: state.specs.filter((_, j) => j !== i), code: 0 });
  };
  const codeIndex = Math.min(state.code, state.specs.length - 1);

  return (
    <div class="schedules">
      <h2>Schedules: design, compare, predict the loss</h2>
      <p class="intro">
        Write schedules in the same language as <code>scaleplan schedule</code> (<code>KIND:key=value,…</code>, kinds {SCHEDULE_KINDS.filter((k) => k !== "table").join(", ")}).
        The loss is predicted by the published Multi-Power Law fits of Luo et al. (2025), fitted on runs with peak LR 3e-4 and a 2160-step
        warmup from 0 (for other LR scales, treat it as a shape, not a forecast), or by your own fit from <code>scaleplan curve fit --json</code>.
      </p>
      <div class="columns">
        <section class="panel" aria-labelledby="schedules-heading">
          <h3 id="schedules-heading">Schedules</h3>
          {state.specs.map((spec, i) => (
            <div class="schedule-row" key={i}>
              <Field id={`schedule-${i}`} label={`Schedule ${i + 1}`} error={computation.fieldErrors[`schedule${i}`]?.["spec"]}>
                <textarea
                  id={`schedule-${i}`}
                  rows={3}
                  spellcheck={false}
                  value={spec}
                  aria-invalid={computation.fieldErrors[`schedule${i}`] ? "true" : "false"}
                  {...(computation.fieldErrors[`schedule${i}`] ? { "aria-describedby": `schedule-${i}-error` } : {})}
                  onInput={(e) => setSpec(i, (e.currentTarget as HTMLTextAreaElement).value)}
                />
              </Field>
              {state.specs.length > 1 ? (
                <button type="button" class="link" onClick={() => remove(i)} aria-label={`Remove schedule ${i + 1}`}>
                  Remove
                </button>
              ) : null}
            </div>
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
            <Field id="fit-json" label={`Saved fit (${FIT_NAME}: MPL or momentum law)`} error={computation.fieldErrors["law"]?.["fit"]}>
              <textarea
                id="fit-json"
                rows={6}
                spellcheck={false}
                placeholder={'{"law": "mpl", "params": {"L0": 3.04, "A": 0.52, "alpha": 0.51, "B": 364, "C": 2.07, "beta": 0.58, "gamma": 0.64}}'}
                value={state.fitJson}
                aria-invalid={computation.fieldErrors["law"] ? "true" : "false"}
                {...(computation.fieldErrors["law"] ? { "aria-describedby": "fit-json-error" } : {})}
                onInput={(e) => onChange({ ...state, fitJson: (e.currentTarget as HTMLTextAreaElement).value })}
              />
            </Field>
          ) : null}
        </section>
        <section class="panel results" aria-labelledby="schedule-results-heading">
          <h3 id="schedule-results-heading">Results</h3>
          <TaskStatus task={computation} hasResult={results !== null && results !== undefined} busy="Computing…" done="Computed" />
          {results ? (
            <>
              <ScheduleTable results={results} law={state.law !== "none"} />
              {results.some((r) => r.extrapolation) ? (
                <div class="notice warning" id="schedules-extrapolation" role="status">
                  <p>The loss predictions extrapolate beyond what the law was fitted on:</p>
                  <ul>
                    {results.flatMap((r, i) => (r.extrapolation ? [<li key={i}>{r.extrapolation}</li>] : []))}
                  </ul>
                </div>
              ) : null}
              <ScheduleCharts results={results} law={state.law} />
              <DataDownloads id="schedules" filename="scaleplan-schedules" csv={() => schedulesCsv(results)} json={() => schedulesJson(results, state)} />
              <Snippet results={results} index={codeIndex} onIndex={(code) => onChange({ ...state, code })} />
            </>
          ) : null}
        </section>
      </div>
      <SweepPlanner state={state} onChange={onChange} />
    </div>
  );
}

function ScheduleTable(props: { results: readonly ScheduleResult[]; law: boolean }) {
  return (
    <table class="data" id="schedule-table">
      <caption>Per schedule</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">steps</th>
          <th scope="col">peak LR</th>
          <th scope="col">final LR</th>
          <th scope="col">LR area Σ η</th>
          {props.law ? <th scope="col">predicted final loss (nats)</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.results.map((r, i) => (
          <tr key={i}>
            <th scope="row">{i + 1}</th>
            <td class="num">{r.steps}</td>
            <td class="num">{formatExp(r.peak)}</td>
            <td class="num">{formatExp(r.finalLr)}</td>
            <td class="num">{r.lrArea.toPrecision(5)}</td>
            {props.law ? (
              <td class="num" data-value={r.finalLoss ?? ""}>
                {r.finalLoss === null ? "n/a" : r.finalLoss.toFixed(4)}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ScheduleCharts(props: { results: readonly ScheduleResult[]; law: string }) {
  const lrSpec = useMemo<LineChartSpec>(() => {
    // Small LRs (3e-4) make long tick labels: plot them in units of 10^e instead and say so on the axis.
    const max = Math.max(...props.results.map((r) => r.peak));
    const e = max > 0 && max < 1e-2 ? Math.floor(Math.log10(max)) : 0;
    const unit = 10 ** e;
    return {
      title: "Learning rate",
      xLabel: "Optimizer step",
      yLabel: e === 0 ? "Learning rate" : `Learning rate (× 1e${e})`,
      series: props.results.map((r, i) => ({ name: `schedule ${i + 1}`, points: r.lrPoints.map((p) => ({ x: p.step, y: p.lr / unit })) })),
    };
  }, [props.results]);
  const lossSpec = useMemo<LineChartSpec | null>(() => {
    if (props.results.every((r) => r.lossPoints === null)) return null;
    const losses = props.results.flatMap((r) => (r.lossPoints ?? []).map((p) => p.loss));
    // Skip the first 10 % of steps on the y range: the warmup's huge early losses would flatten what matters.
    const late = props.results.flatMap((r) => (r.lossPoints ?? []).filter((p) => p.step >= 0.1 * r.steps).map((p) => p.loss));
    const lo = Math.min(...late);
    const hi = Math.max(...late);
    const pad = (hi - lo) * 0.08 || 0.01;
    // Past the law's fitted horizon the curves are extrapolated: mark the horizon when a schedule runs past it.
    const horizon = props.results.find((r) => r.fittedHorizon !== null)?.fittedHorizon ?? null;
    const beyond = horizon !== null && props.results.some((r) => r.steps - 1 > horizon);
    return {
      ...(beyond ? { markedRange: { from: horizon, to: horizon, label: "fitted horizon" } } : {}),
      title: `Predicted loss (${LAW_NAMES[props.law] ?? props.law})`,
      xLabel: "Optimizer step",
      yLabel: "Loss (nats per token)",
      yDomain: [Math.max(Math.min(...losses), lo - pad), hi + pad],
      series: props.results.map((r, i) => ({ name: `schedule ${i + 1}`, points: (r.lossPoints ?? []).filter((p) => p.step >= 0.1 * r.steps).map((p) => ({ x: p.step, y: p.loss })) })),
    };
  }, [props.results, props.law]);
  return (
    <>
      <figure class="figure">
        <LineChart spec={lrSpec} description="Learning rate against optimizer step for each schedule" filename="scaleplan-schedules-lr" />
      </figure>
      {lossSpec ? (
        <figure class="figure">
          <LineChart spec={lossSpec} description="Predicted training loss against optimizer step for each schedule" filename="scaleplan-schedules-loss" />
          <figcaption>
            From 10 % of the steps on (the warmup's early losses are off this scale).
            {props.results[0]?.fittedHorizon ? ` The law was fitted up to step ${formatCount(props.results[0].fittedHorizon)}: a dashed rule marks it when a schedule runs past it.` : ""}
          </figcaption>
        </figure>
      ) : null}
    </>
  );
}

const LAW_NAMES: Record<string, string> = Object.fromEntries(LAW_OPTIONS.map((o) => [o.value, o.label]));

function Snippet(props: { results: readonly ScheduleResult[]; index: number; onIndex: (i: number) => void }) {
  const r = props.results[props.index] ?? props.results[0]!;
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(r.snippet);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section class="snippet" aria-labelledby="snippet-heading">
      <h4 id="snippet-heading">PyTorch</h4>
      {props.results.length > 1 ? (
        <Field id="snippet-for" label="Code for">
          <Select
            id="snippet-for"
            value={String(props.index)}
            options={props.results.map((_, i) => ({ value: String(i), label: `Schedule ${i + 1}` }))}
            onChange={(v) => props.onIndex(Number(v))}
          />
        </Field>
      ) : null}
      <pre id="snippet-code" tabIndex={0} aria-label="PyTorch LambdaLR snippet">
        <code>{r.snippet}</code>
      </pre>
      <button type="button" class="add" onClick={copy}>
        {copied ? "Copied" : "Copy the snippet"}
      </button>
      <p class="hint">
        {r.trainerFlags ? (
          <>
            epfml/schedules-and-scaling trainer flags: <code>{r.trainerFlags}</code>
          </>
        ) : (
          `No epfml/schedules-and-scaling trainer flags: ${r.trainerFlagsReason ?? ""}.`
        )}
      </p>
    </section>
  );
}
