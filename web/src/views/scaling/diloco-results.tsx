// The DiLoCo panel's results: step times, loss cost, crossovers, the bandwidth each method needs, the chart.
import { formatCount, formatSI } from "../../../../src/core/format.ts";
import { toCsv } from "../../../../src/core/table.ts";
import { DataDownloads } from "../../components/downloads.tsx";
import { LineChart } from "../../components/line-chart.tsx";
import type { DilocoTaskResult } from "./diloco-task.ts";

const ms = (s: number) => Number((s * 1e3).toPrecision(4)).toLocaleString("en-US");
const gbps = (v: number | null) => (v === null ? "—" : String(Number(v.toPrecision(4))));
const pct = (u: number) => `${Math.round(u * 100)} %`;

function crossoverText(r: DilocoTaskResult): string {
  const bw = r.crossover.bandwidthGbps;
  const nodes = r.crossover.nodes;
  const byBandwidth = bw === Number.POSITIVE_INFINITY || bw === null ? "at any inter-site bandwidth" : bw === 0 ? "at no inter-site bandwidth" : `below ${gbps(bw)} Gbit/s per node between sites`;
  const bySize = nodes === 0 ? "at any cluster size" : nodes === Number.POSITIVE_INFINITY || nodes === null ? "at no cluster size up to 1e8 nodes" : `above ${formatCount(Math.ceil(nodes))} nodes (same batch)`;
  return `DiLoCo reaches data parallelism's loss sooner ${byBandwidth} and ${bySize}.`;
}

function StepTable(props: { r: DilocoTaskResult }) {
  const { r } = props;
  const rows = [["data parallel", r.dataParallel], [`DiLoCo M=${r.setup.replicas} H=${r.setup.syncEvery}`, r.diloco]] as const;
  return (
    <table class="data" id="diloco-steps">
      <caption>One inner step (communication amortised over the outer round)</caption>
      <thead>
        <tr>
          {["method", "compute (ms)", "communication (ms)", "step (ms)", "utilization"].map((c) => <th scope="col" key={c}>{c}</th>)}
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, s]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td class="num">{ms(s.computeS)}</td>
            <td class="num">{ms(s.commS)}</td>
            <td class="num" data-value={s.stepS}>{ms(s.stepS)}</td>
            <td class="num" data-value={s.utilization}>{s.utilization.toFixed(3)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BandwidthTable(props: { r: DilocoTaskResult }) {
  const t = props.r.bandwidthForUtilization;
  return (
    <div class="scroll">
      <table class="data" id="diloco-bandwidth">
        <caption>Inter-site Gbit/s per node for a compute utilization of (within-site traffic hidden, as for their Table 6)</caption>
        <thead>
          <tr>
            <th scope="col">method</th>
            {t.targets.map((u) => <th scope="col" key={u}>{pct(u)}</th>)}
          </tr>
        </thead>
        <tbody>
          {t.rows.map((row) => (
            <tr key={row.method}>
              <th scope="row">{row.method}</th>
              {row.gbps.map((g, i) => <td class="num" key={i}>{gbps(g)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DilocoResults(props: { r: DilocoTaskResult; inputs: object }) {
  const { r } = props;
  const l = r.loss;
  const csv = () => toCsv({ columns: ["method", ...r.bandwidthForUtilization.targets.map((u) => `gbps_for_${Math.round(u * 100)}pct`)], rows: r.bandwidthForUtilization.rows.map((x) => [x.method, ...x.gbps.map((g) => g ?? "")]) });
  return (
    <>
      <StepTable r={r} />
      <p id="diloco-loss" data-dp={l.dataParallel} data-diloco={l.diloco} data-equivalence={l.computeEquivalence}>
        Loss at D = 20N: data parallel {l.dataParallel.toFixed(4)}, DiLoCo M={r.setup.replicas} {l.diloco.toFixed(4)} ({(((l.diloco - l.dataParallel) / l.dataParallel) * 100).toFixed(2)} %): its loss
        is worth {l.computeEquivalence.toFixed(3)}× the data-parallel compute{l.lossCrossoverParams !== null ? `; it matches data parallelism from N ≈ ${formatSI(l.lossCrossoverParams)} up` : ""}.
      </p>
      <p id="diloco-crossover" data-bandwidth={r.crossover.bandwidthGbps ?? ""} data-nodes={r.crossover.nodes ?? ""}>
        <strong>Crossover:</strong> {crossoverText(r)} Outer exchange per fragment: {(r.diloco.outerFragmentBytes / 1e9).toPrecision(3)} GB.
      </p>
      {r.caveats.length > 0 ? (
        <div class="notice warning" id="diloco-caveats" role="status">
          {r.caveats.map((c) => <p key={c}>{c}</p>)}
        </div>
      ) : null}
      <BandwidthTable r={r} />
      <figure class="figure">
        <LineChart spec={r.chart} description={r.chart.title} filename="scaleplan-diloco" />
        <figcaption>{l.source}. The dashed rule marks the bandwidth crossover.</figcaption>
      </figure>
      <DataDownloads id="diloco" filename="scaleplan-diloco" csv={csv} json={() => `${JSON.stringify({ inputs: props.inputs, ...r }, null, 2)}\n`} />
    </>
  );
}
