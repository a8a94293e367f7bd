// The MoE panel's results: the configurations table (or Clark et al.'s effective parameter counts), where they leave
// the law's fitted range, the chart, and the downloads.
import { formatSI } from "../../../../src/core/format.ts";
import { toCsv } from "../../../../src/core/table.ts";
import { DataDownloads } from "../../components/downloads.tsx";
import { LineChart } from "../../components/line-chart.tsx";
import type { MoeRow, MoeTaskResult } from "./moe-task.ts";

function note(r: MoeTaskResult, c: MoeRow, i: number): string {
  return [i === r.bestIndex && r.configurations.length > 1 ? "best" : "", c.memoryBound ? "memory-bound" : "", c.extrapolation.length > 0 ? "extrapolated" : ""].filter(Boolean).join(", ");
}

function ConfigurationTable(props: { r: MoeTaskResult }) {
  const { r } = props;
  return (
    <div class="scroll">
      <table class="data" id="moe-table">
        <caption>Compute-optimal configurations under {r.law.id} (N counts {r.law.params})</caption>
        <thead>
          <tr>
            {["experts", "N_act", "N_total", "tokens D", "D/N_act", "loss", "note"].map((c) => (
              <th scope="col" key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.configurations.map((c, i) => (
            <tr key={c.experts} class={i === r.bestIndex ? "best" : undefined}>
              <th scope="row">{c.granularity !== undefined ? `${c.experts} (G = ${c.granularity})` : c.experts}</th>
              <td class="num" data-value={c.activeParams}>{formatSI(c.activeParams, 3)}</td>
              <td class="num" data-value={c.totalParams}>{formatSI(c.totalParams, 3)}</td>
              <td class="num" data-value={c.tokens}>{formatSI(c.tokens, 3)}</td>
              <td class="num">{c.tokensPerActiveParam.toFixed(1)}</td>
              <td class="num" data-value={c.loss}>{c.loss.toFixed(4)}</td>
              <td>{note(r, c, i)}</td>
            </tr>
          ))}
          {r.dense ? (
            <tr>
              <th scope="row">dense ({r.dense.id})</th>
              <td class="num" data-value={r.dense.n}>{formatSI(r.dense.n, 3)}</td>
              <td class="num">{formatSI(r.dense.n, 3)}</td>
              <td class="num">{formatSI(r.dense.d, 3)}</td>
              <td class="num">{r.dense.tokensPerParam.toFixed(1)}</td>
              <td class="num" data-value={r.dense.loss}>{r.dense.loss.toFixed(4)}</td>
              <td>same paper's dense fit</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function RoutedTable(props: { r: MoeTaskResult }) {
  return (
    <table class="data" id="moe-table">
      <caption>Loss and effective parameter count (the dense size with the same loss) under {props.r.law.id}</caption>
      <thead>
        <tr>
          <th scope="col">experts</th>
          <th scope="col">base N</th>
          <th scope="col">effective N</th>
          <th scope="col">loss</th>
        </tr>
      </thead>
      <tbody>
        {props.r.routed.map((row) => (
          <tr key={row.experts}>
            <th scope="row">{row.experts}</th>
            <td class="num">{formatSI(row.params)}</td>
            <td class="num" data-value={row.effectiveParams}>{formatSI(row.effectiveParams, 4)}</td>
            <td class="num" data-value={row.loss}>{row.loss.toFixed(4)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function moeCsv(r: MoeTaskResult): string {
  if (r.routed.length > 0) return toCsv({ columns: ["experts", "base_params", "effective_params", "loss"], rows: r.routed.map((x) => [x.experts, x.params, x.effectiveParams, x.loss]) });
  return toCsv({
    columns: ["experts", "granularity", "active_params", "total_params", "tokens", "tokens_per_active_param", "loss", "memory_bound", "extrapolation"],
    rows: r.configurations.map((c) => [c.experts, c.granularity ?? "", c.activeParams, c.totalParams, c.tokens, c.tokensPerActiveParam, c.loss, String(c.memoryBound), c.extrapolation.join("; ")]),
  });
}

export function MoeResults(props: { r: MoeTaskResult; inputs: object }) {
  const { r } = props;
  const outside = r.configurations.filter((c) => c.extrapolation.length > 0);
  return (
    <>
      {r.routed.length > 0 ? <RoutedTable r={r} /> : <ConfigurationTable r={r} />}
      {outside.length > 0 ? (
        <div class="notice warning" id="moe-extrapolation" role="status">
          <p>Outside the range the law was fitted on (read off the law where no run constrains it):</p>
          <ul>
            {outside.map((c) => (
              <li key={c.experts}>{`${c.experts} experts: ${c.extrapolation.join("; ")}`}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <figure class="figure">
        <LineChart spec={r.chart} description={r.chart.title} filename="scaleplan-moe" />
        <figcaption>{r.law.source}. Dashed rules: the fitted range.</figcaption>
      </figure>
      <DataDownloads id="moe" filename="scaleplan-moe" csv={() => moeCsv(r)} json={() => `${JSON.stringify({ inputs: props.inputs, ...r }, null, 2)}\n`} />
    </>
  );
}
