// The Schedules view's results: the per-schedule table, the LR and predicted-loss charts, the PyTorch snippet.
import { useMemo, useState } from "preact/hooks";
import { formatCount, formatExp } from "../../../../src/core/format.ts";
import type { LineChartSpec } from "../../../../src/core/plot/line-chart.ts";
import { toCsv } from "../../../../src/core/table.ts";
import { DataDownloads } from "../../components/downloads.tsx";
import { Field, Select } from "../../components/field.tsx";
import { LineChart } from "../../components/line-chart.tsx";
import { LAW_OPTIONS, type SchedulesState } from "./state.ts";
import type { ScheduleResult } from "./task.ts";

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

/** Everything shown for the schedules' result: table, extrapolation warning, charts, downloads, snippet. */
export function ScheduleResults(props: { results: readonly ScheduleResult[]; state: SchedulesState; onChange: (state: SchedulesState) => void }) {
  const { results, state, onChange } = props;
  const codeIndex = Math.min(state.code, state.specs.length - 1);
  return (
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
