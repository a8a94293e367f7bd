// The Scaling view's results: the fitted law with its bootstrap intervals, the allocation of the budget beside a
// published law, the fit and frontier charts, and the downloads.
import { formatExp, formatSI } from "../../../../src/core/format.ts";
import { toCsv } from "../../../../src/core/table.ts";
import { DataDownloads } from "../../components/downloads.tsx";
import { FitChart } from "../../components/fit-chart.tsx";
import { RUNS_NAME, type ScalingState } from "./state.ts";
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

function ParameterTable(props: { r: ScalingTaskResult }) {
  const { r } = props;
  return (
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
  );
}

function AllocationTable(props: { r: ScalingTaskResult }) {
  const { allocation: a, preset } = props.r;
  return (
    <table class="data" id="allocation">
      <caption>Allocation of {formatExp(a.flops)} FLOP (compute-optimal)</caption>
      <thead>
        <tr>
          {["law", "parameters N", "tokens D", "tokens per parameter", "predicted loss"].map((c) => <th scope="col" key={c}>{c}</th>)}
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">your fit</th>
          <td class="num" data-value={a.n}>{formatSI(a.n)}{interval(a.nInterval, (v) => formatSI(v))}</td>
          <td class="num" data-value={a.d}>{formatSI(a.d)}{interval(a.dInterval, (v) => formatSI(v))}</td>
          <td class="num">{a.tokensPerParam.toFixed(1)}</td>
          <td class="num" data-value={a.loss}>{a.loss.toFixed(3)}{interval(a.lossInterval, (v) => v.toFixed(3))}</td>
        </tr>
        {preset ? (
          <tr>
            <th scope="row" title={preset.source}>{preset.name}</th>
            <td class="num" data-value={preset.allocation.n}>{formatSI(preset.allocation.n)}</td>
            <td class="num">{formatSI(preset.allocation.d)}</td>
            <td class="num">{preset.allocation.tokensPerParam.toFixed(1)}</td>
            <td class="num">{preset.allocation.loss.toFixed(3)}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

export function FitResults(props: { r: ScalingTaskResult; state: ScalingState }) {
  const { r } = props;
  return (
    <>
      <ParameterTable r={r} />
      {r.extrapolation ? <p class="notice warning" id="scaling-extrapolation" role="status">{r.extrapolation}</p> : null}
      <AllocationTable r={r} />
      <figure class="figure">
        <FitChart spec={r.fitChart} description="Loss against parameters for each compute budget: the runs as dots, the fitted law as lines" filename="scaleplan-scaling-fit" />
      </figure>
      <figure class="figure">
        <FitChart spec={r.frontierChart} description="Compute-optimal parameters against training compute, with the bootstrap band" filename="scaleplan-scaling-frontier" />
        <figcaption>
          Dashed rules: the compute range of the fitted runs ({formatExp(r.fitted.flop[0])} – {formatExp(r.fitted.flop[1])} FLOP); outside it the frontier is
          extrapolated. Data and budgets under the conventions of {RUNS_NAME}: compare laws only when they count N, D and loss the same way.
        </figcaption>
      </figure>
      <DataDownloads id="scaling" filename="scaleplan-scaling" csv={() => scalingCsv(r)} json={() => scalingJson(r, props.state)} />
    </>
  );
}
