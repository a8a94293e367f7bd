// View 1: how far training scales on given hardware before data movement and latency stop it
// (Erdil & Schneider-Joseph 2024, the model of data-movement-model.md).
import { useMemo, useState } from "preact/hooks";
import type { LineChartSpec } from "../../../../src/core/plot/line-chart.ts";
import { formatCount, formatDuration, formatExp, formatFixed, formatSI } from "../../../../src/core/format.ts";
import { SECONDS_PER_YEAR } from "../../../../src/core/limits/layout-search.ts";

/** The data-movement model's month: a twelfth of its year (layout-search.ts SECONDS_PER_YEAR). */
const SECONDS_PER_MONTH = SECONDS_PER_YEAR / 12;
import { Field, NumberInput } from "../../components/field.tsx";
import { LineChart, type PointRef } from "../../components/line-chart.tsx";
import { ScenarioEditor, type FieldErrors } from "./form.tsx";
import { useLimitsComputation, type LimitsComputation, GPU_CHOICES, gpuLabel, limitsCsv, limitsJson } from "./compute.ts";
import type { ScenarioResult, SweepPoint } from "./results.ts";
import { scenarioLabels } from "./labels.ts";
import { DEFAULT_SCENARIO, MAX_SCENARIOS, type LimitsState, type ScenarioForm } from "./state.ts";
import { TaskStatus } from "../../components/task-status.tsx";
import { DataDownloads } from "../../components/downloads.tsx";

export function LimitsView(props: { state: LimitsState; onChange: (state: LimitsState) => void }) {
  const { state, onChange } = props;
  const active = Math.min(state.active, state.scenarios.length - 1);
  const computation = useLimitsComputation(state);
  const [hover, setHover] = useState<PointRef | null>(null);

  return (
    <div class="limits">
      <h2>Limits: utilization vs training compute</h2>
      <p class="intro">
        For each model width the data-movement model sizes a compute-optimal model, finds the smallest cluster that trains it within the time
        limit, searches every parallelism layout, and reports the best model FLOP utilization. Utilization falls where data movement and
        latency can no longer be hidden; past the latency wall no cluster finishes in time.
      </p>
      <div class="columns">
        <ScenariosPanel state={state} active={active} computation={computation} onChange={onChange} />
        <ResultsPanel state={state} active={active} computation={computation} hover={hover} onHover={setHover} onChange={onChange} />
      </div>
    </div>
  );
}

interface PanelProps {
  state: LimitsState;
  /** The scenario being edited, clamped to the list. */
  active: number;
  computation: LimitsComputation;
  onChange: (state: LimitsState) => void;
}

/** The left column: the scenario chips, the editor of the active scenario and the utilization floor. */
function ScenariosPanel(props: PanelProps) {
  const { state, active, computation, onChange } = props;
  const setScenario = (index: number, scenario: ScenarioForm) =>
    onChange({ ...state, scenarios: state.scenarios.map((s, i) => (i === index ? scenario : s)) });
  const scenarioErrors = (index: number): FieldErrors => computation.fieldErrors[`s${index}`] ?? {};
  return (
    <section class="panel" aria-labelledby="scenarios-heading">
      <h3 id="scenarios-heading">Scenarios</h3>
      <ScenarioChips {...props} />
      <h4>Editing scenario {active + 1}</h4>
      <ScenarioEditor
        key={active}
        index={active}
        scenario={state.scenarios[active] ?? DEFAULT_SCENARIO}
        gpus={GPU_CHOICES}
        errors={scenarioErrors(active)}
        onChange={(s) => setScenario(active, s)}
      />
      <Field id="floor" label="Utilization floor for maximum feasible compute" unit="fraction of the GPU's ceiling" error={computation.fieldErrors["floor"]?.["floor"]}>
        <NumberInput id="floor" value={state.floor} error={computation.fieldErrors["floor"]?.["floor"]} onInput={(floor) => onChange({ ...state, floor })} />
      </Field>
    </section>
  );
}

/** One chip per scenario (select, remove) and the add button, which copies the active scenario. */
function ScenarioChips(props: PanelProps) {
  const { state, active, computation, onChange } = props;
  const titles = scenarioTitles(state.scenarios);
  const addScenario = () => {
    if (state.scenarios.length >= MAX_SCENARIOS) return;
    const base = state.scenarios[active] ?? DEFAULT_SCENARIO;
    onChange({ ...state, scenarios: [...state.scenarios, { ...base }], active: state.scenarios.length });
  };
  const removeScenario = (index: number) => {
    if (state.scenarios.length <= 1) return;
    const scenarios = state.scenarios.filter((_, i) => i !== index);
    onChange({ ...state, scenarios, active: Math.min(active >= index && active > 0 ? active - 1 : active, scenarios.length - 1) });
  };
  return (
    <div class="scenario-list" role="group" aria-label="Scenarios to compare">
      {state.scenarios.map((s, i) => (
        <div class="scenario-chip" key={i}>
          <button
            type="button"
            aria-pressed={i === active}
            class={computation.fieldErrors[`s${i}`] ? "invalid" : undefined}
            onClick={() => onChange({ ...state, active: i })}
          >
            {titles[i]}
            {computation.fieldErrors[`s${i}`] ? <span class="flag"> (invalid value)</span> : null}
          </button>
          {state.scenarios.length > 1 ? (
            <button type="button" class="remove" aria-label={`Remove scenario ${i + 1}`} onClick={() => removeScenario(i)}>
              ×
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" class="add" onClick={addScenario} disabled={state.scenarios.length >= MAX_SCENARIOS}>
        + Add scenario
      </button>
    </div>
  );
}

/** The right column: status, invalid scenarios, the max-feasible table, the chosen chart, downloads and every point. */
function ResultsPanel(props: PanelProps & { hover: PointRef | null; onHover: (ref: PointRef | null) => void }) {
  const { state, active, computation, onChange } = props;
  const results = computation.results;
  return (
    <section class="panel results" aria-labelledby="results-heading">
      <h3 id="results-heading">Results</h3>
      <Status computation={computation} />
      <InvalidScenarios state={state} active={active} errors={computation.fieldErrors} onSelect={(i) => onChange({ ...state, active: i })} />
      {results.length > 0 ? (
        <>
          <MaxFeasibleTable results={results} />
          <ChartSwitch state={state} active={active} onChange={onChange} />
          {state.chart === "utilization" ? (
            <UtilizationChart results={results} hover={props.hover} onHover={props.onHover} />
          ) : (
            <ParallelismChart result={results[active] ?? results[0]!} />
          )}
          <Downloads results={results} state={state} />
          <PointsTable result={results[active] ?? results[0]!} />
        </>
      ) : null}
    </section>
  );
}

/** The radio group choosing between the utilization chart and the active scenario's parallelism chart. */
function ChartSwitch(props: { state: LimitsState; active: number; onChange: (state: LimitsState) => void }) {
  const { state, active, onChange } = props;
  return (
    <div class="chart-switch" role="radiogroup" aria-label="Chart">
      {(["utilization", "parallelism"] as const).map((c) => (
        <label key={c}>
          <input type="radio" name="chart" value={c} checked={state.chart === c} onChange={() => onChange({ ...state, chart: c })} />
          {c === "utilization" ? "Utilization vs compute" : `Parallelism strategy (scenario ${active + 1})`}
        </label>
      ))}
    </div>
  );
}

/** The chips' labels: the GPU and model type, plus what tells scenarios with the same GPU apart (labels.ts). */
function scenarioTitles(forms: readonly ScenarioForm[]): string[] {
  return scenarioLabels(forms, (s) => (s.gpu === "custom" ? s.custom?.name || "Custom GPU" : gpuLabel(s.gpu)));
}

/**
 * Every invalid value of every scenario, named in Results: the form shows only the scenario being edited, and an
 * error in another one would otherwise leave Results empty without a word.
 */
function InvalidScenarios(props: {
  state: LimitsState;
  active: number;
  errors: LimitsComputation["fieldErrors"];
  onSelect: (index: number) => void;
}) {
  const titles = scenarioTitles(props.state.scenarios);
  const invalid = props.state.scenarios.flatMap((_, i) => {
    const fields = props.errors[`s${i}`];
    return fields ? [{ index: i, title: titles[i]!, messages: Object.values(fields) }] : [];
  });
  if (invalid.length === 0) return null;
  return (
    <div class="error-summary" role="alert" id="invalid-scenarios">
      <p>No results until every scenario is valid:</p>
      <ul>
        {invalid.map((x) => (
          <li key={x.index}>
            <strong>Scenario {x.title}</strong>: {x.messages.join("; ")}{" "}
            {x.index !== props.active ? (
              <button type="button" class="link" onClick={() => props.onSelect(x.index)}>
                Edit scenario {x.index + 1}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Status(props: { computation: ReturnType<typeof useLimitsComputation> }) {
  const c = props.computation;
  return <TaskStatus task={c} hasResult={c.results.length > 0} busy="Computing…" done="Computed" progressLabel="Sweep progress" />;
}

function MaxFeasibleTable(props: { results: readonly ScenarioResult[] }) {
  return (
    <table class="data" id="max-feasible">
      <caption>Maximum feasible training compute at the utilization floor</caption>
      <thead>
        <tr>
          <th scope="col">Scenario</th>
          <th scope="col">GPU</th>
          <th scope="col">Model type</th>
          <th scope="col">Floor (utilization)</th>
          <th scope="col">Max feasible compute (FLOP)</th>
          <th scope="col">End of linear scaling (FLOP)</th>
          <th scope="col">Largest feasible run (FLOP)</th>
          <th scope="col">First infeasible d_model</th>
        </tr>
      </thead>
      <tbody>
        {props.results.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td>{r.gpuName}</td>
            <td>{r.modelType}</td>
            <td class="num">{formatFixed(r.floorUtilization)}</td>
            <td class="num" data-value={r.maxFeasibleFlop ?? ""}>
              {r.maxFeasibleFlop === null ? "none" : formatExp(r.maxFeasibleFlop)}
            </td>
            <td class="num">{r.linearScalingEnd === null ? "not reached" : formatExp(r.linearScalingEnd)}</td>
            <td class="num">{r.lastFeasibleFlop === null ? "none" : formatExp(r.lastFeasibleFlop)}</td>
            <td class="num">{r.firstInfeasibleDModel === null ? (r.stoppedBy === "end-of-grid" ? "none on the grid" : "none (utilization < 0.001)") : r.firstInfeasibleDModel}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function UtilizationChart(props: { results: readonly ScenarioResult[]; hover: PointRef | null; onHover: (ref: PointRef | null) => void }) {
  const spec = useMemo<LineChartSpec>(
    () => ({
      title: "Best achievable utilization vs training compute",
      xLabel: "Training compute (16-bit FLOP)",
      yLabel: "Model FLOP utilization (fraction of peak)",
      xLog: true,
      dots: true,
      series: props.results.map((r) => ({ name: r.label, points: r.points.map((p) => ({ x: p.flop, y: p.utilization })) })),
    }),
    [props.results],
  );
  const hovered = props.hover ? props.results[props.hover.series]?.points[props.hover.point] : undefined;
  return (
    <figure class="figure">
      <LineChart
        spec={spec}
        description={`Utilization against training compute for ${props.results.length} scenario(s)`}
        filename="scaleplan-limits-utilization"
        onPoint={props.onHover}
        selected={hovered ? props.hover : null}
        tip={(ref) => {
          const p = props.results[ref.series]?.points[ref.point];
          return p ? `${formatExp(p.flop)} FLOP · utilization ${formatFixed(p.utilization)} · ${formatCount(p.gpus)} GPUs · ${layoutText(p)}` : null;
        }}
      />
      <figcaption id="point-details" aria-live="polite">
        {hovered && props.hover ? (
          <PointDetails label={props.results[props.hover.series]!.label} point={hovered} />
        ) : (
          "Point at a dot (or focus the chart and use the arrow keys) to see its full layout."
        )}
      </figcaption>
    </figure>
  );
}

/** "DP × TP(m×f) × PP(v) × EP", as the CLI table writes the layout. */
export function layoutText(p: SweepPoint): string {
  const q = p.parallelism;
  return `${q.dp} × ${q.tpModel}×${q.tpFf} × ${q.pp}(${q.interleave}) × ${q.ep}`;
}

function PointDetails(props: { label: string; point: SweepPoint }) {
  const p = props.point;
  const q = p.parallelism;
  return (
    <dl class="details">
      <dt>Scenario</dt>
      <dd>{props.label}</dd>
      <dt>Training compute</dt>
      <dd>{formatExp(p.flop)} FLOP</dd>
      <dt>Utilization</dt>
      <dd data-testid="hover-utilization">{formatFixed(p.utilization)}</dd>
      <dt>Model</dt>
      <dd>
        d_model {p.dModel}, {p.layers} layers, {p.experts} expert{p.experts === 1 ? "" : "s"}, batch {formatSI(p.batchTokens)} tokens
      </dd>
      <dt>Cluster</dt>
      <dd>
        {formatCount(p.gpus)} GPUs, {formatFixed(p.months, 2)} months ({formatDuration(p.months * SECONDS_PER_MONTH)})
      </dd>
      <dt>Layout</dt>
      <dd>
        DP {q.dp} × TP {q.tpModel}×{q.tpFf} (model×ff) × PP {q.pp} (interleave {q.interleave}, {q.schedule}) × EP {q.ep}; {q.microbatches} microbatches
      </dd>
      <dt>Split over network levels</dt>
      <dd>
        DP [{p.layout.dp.join(", ")}] / TPm [{p.layout.tpModel.join(", ")}] / TPff [{p.layout.tpFf.join(", ")}] / PP [{p.layout.pp.join(", ")}] / EP [
        {p.layout.ep.join(", ")}] (lowest level first)
      </dd>
      <dt>Time spent (whole run)</dt>
      <dd>
        TP comm {formatDuration(p.tpCommS)}, DP comm {formatDuration(p.dpCommS)}, PP/EP comm {formatDuration(p.ppEpCommS)}, latency {formatDuration(p.latencyS)};{" "}
        {formatSI(p.tokensPerMatmul)} tokens per matmul per GPU
      </dd>
    </dl>
  );
}

function ParallelismChart(props: { result: ScenarioResult }) {
  const spec = useMemo<LineChartSpec>(() => {
    const share = (degree: (p: SweepPoint) => number) =>
      props.result.points.filter((p) => p.gpus > 1).map((p) => ({ x: p.flop, y: Math.log(degree(p)) / Math.log(p.gpus) }));
    return {
      title: `How the cluster is split: ${props.result.label}`,
      xLabel: "Training compute (16-bit FLOP)",
      yLabel: "Share of the cluster, log N_X / log N",
      xLog: true,
      dots: true,
      yDomain: [0, 1],
      series: [
        { name: "data (DP)", points: share((p) => p.parallelism.dp) },
        { name: "tensor (TP)", points: share((p) => p.parallelism.tpModel * p.parallelism.tpFf) },
        { name: "pipeline (PP)", points: share((p) => p.parallelism.pp) },
        { name: "expert (EP)", points: share((p) => p.parallelism.ep) },
      ],
    };
  }, [props.result]);
  return (
    <figure class="figure">
      <LineChart spec={spec} description={`Parallelism strategy against training compute for ${props.result.label}`} filename="scaleplan-limits-parallelism" />
      <figcaption>Each degree's share of the cluster size on a log scale: the four shares add up to 1 at every point.</figcaption>
    </figure>
  );
}

function Downloads(props: { results: readonly ScenarioResult[]; state: LimitsState }) {
  return <DataDownloads id="limits" filename="scaleplan-limits" csv={() => limitsCsv(props.results)} json={() => limitsJson(props.results, props.state)} />;
}

/**
 * Every point of the active scenario, in a closed <details>. Its rows are built when it is first opened (a click or
 * key on the summary, or any other toggle), not with the first result: 31+ rows of ten formatted cells were a third of
 * the Limits view's render after the worker's answer (docs/web-app.md, "From answer to pixels").
 */
function PointsTable(props: { result: ScenarioResult }) {
  const r = props.result;
  const [opened, setOpened] = useState(false);
  return (
    <details class="points" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && setOpened(true)}>
      <summary onClick={() => setOpened(true)}>
        Every point of {r.label} ({r.points.length} model sizes)
      </summary>
      {opened ? <PointRows result={r} /> : null}
    </details>
  );
}

function PointRows(props: { result: ScenarioResult }) {
  const r = props.result;
  return (
    <div class="scroll">
      <table class="data" id="points-table">
        <thead>
          <tr>
            <th scope="col">d_model</th>
            <th scope="col">layers</th>
            <th scope="col">experts</th>
            <th scope="col">batch (tokens)</th>
            <th scope="col">compute (FLOP)</th>
            <th scope="col">months</th>
            <th scope="col">utilization</th>
            <th scope="col">GPUs</th>
            <th scope="col">DP × TP(m×f) × PP(v) × EP</th>
            <th scope="col">microbatches</th>
          </tr>
        </thead>
        <tbody>
          {r.points.map((p) => (
            <tr key={p.dModel}>
              <td class="num">{p.dModel}</td>
              <td class="num">{p.layers}</td>
              <td class="num">{p.experts}</td>
              <td class="num">{formatExp(p.batchTokens)}</td>
              <td class="num">{formatExp(p.flop)}</td>
              <td class="num">{formatFixed(p.months, 2)}</td>
              <td class="num">{formatFixed(p.utilization)}</td>
              <td class="num">{formatCount(p.gpus)}</td>
              <td>{layoutText(p)}</td>
              <td class="num">{p.parallelism.microbatches}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
