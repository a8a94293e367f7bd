// The study panel's results: the figure, every schedule's predicted final loss and its difference to the study's
// reference, the law against the measured 124M runs, and the downloads.
import { toCsv } from "../../../../src/core/table.ts";
import { DataDownloads } from "../../components/downloads.tsx";
import { LineChart } from "../../components/line-chart.tsx";
import type { StudyTaskResult } from "./study-task.ts";

const AGREEMENT: Readonly<Record<StudyTaskResult["paper"][number]["agreement"], string>> = { agrees: "same sign", opposite: "opposite", mixed: "mixed", unmeasured: "—" };
const signed = (v: number | null) => (v === null ? "—" : `${v >= 0 ? "+" : ""}${v.toFixed(4)}`);

function RowsTable(props: { r: StudyTaskResult }) {
  return (
    <div class="scroll">
      <table class="data" id="study-table">
        <caption>Predicted final loss by schedule ({props.r.lawName}; T = {props.r.setup.steps} steps, peak {props.r.setup.peak})</caption>
        <thead>
          <tr>
            {["schedule", "steps", "final loss", "Δ vs reference", "reference"].map((c) => <th scope="col" key={c}>{c}</th>)}
          </tr>
        </thead>
        <tbody>
          {props.r.rows.map((row) => (
            <tr key={row.label}>
              <th scope="row" title={row.spec}>{row.label}</th>
              <td class="num">{row.steps}</td>
              <td class="num" data-value={row.finalLoss}>{row.finalLoss.toFixed(4)}</td>
              <td class="num" data-value={row.delta}>{signed(row.delta)}</td>
              <td>{row.reference}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PaperTable(props: { r: StudyTaskResult }) {
  return (
    <div class="scroll">
      <table class="data" id="study-paper">
        <caption>The law at T and 2T against the measured 124M runs at 25k and 50k steps (Hägele et al. / Schaipp et al. logs, spec §A.6)</caption>
        <thead>
          <tr>
            {["difference (nats)", "law, T", "law, 2T", "runs, 25k", "runs, 50k", "law vs runs", "runs' LRs"].map((c) => <th scope="col" key={c}>{c}</th>)}
          </tr>
        </thead>
        <tbody>
          {props.r.paper.map((p) => (
            <tr key={p.quantity}>
              <th scope="row">{p.quantity}</th>
              <td class="num" data-value={p.ours[0]}>{signed(p.ours[0])}</td>
              <td class="num">{signed(p.ours[1])}</td>
              <td class="num">{signed(p.paper[0])}</td>
              <td class="num">{signed(p.paper[1])}</td>
              <td>{AGREEMENT[p.agreement]}</td>
              <td>{p.paperNote}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StudyResults(props: { r: StudyTaskResult; inputs: object }) {
  const { r } = props;
  const csv = () => toCsv({ columns: ["study", "schedule", "steps", "final_loss", "delta", "reference", "spec"], rows: r.rows.map((x) => [x.study, x.label, x.steps, x.finalLoss, x.delta, x.reference, x.spec]) });
  return (
    <>
      {r.extrapolation ? <p class="notice warning" id="study-extrapolation" role="status">{r.extrapolation}</p> : null}
      <figure class="figure">
        <LineChart spec={r.chart} description={r.chart.title} filename={`scaleplan-study-${r.kind}`} />
      </figure>
      <RowsTable r={r} />
      <PaperTable r={r} />
      {r.notes.length > 0 ? (
        <div class="notice" id="study-notes">
          {r.notes.map((n) => <p key={n}>{n}</p>)}
        </div>
      ) : null}
      <DataDownloads id="study" filename={`scaleplan-study-${r.kind}`} csv={csv} json={() => `${JSON.stringify({ inputs: props.inputs, ...r }, null, 2)}\n`} />
    </>
  );
}
