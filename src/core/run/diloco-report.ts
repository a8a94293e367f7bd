// The cross-site lines of `step`'s tables (training across sites, diloco-step.ts).
import type { Table } from "../table.ts";
import type { CrossSiteReport } from "./diloco-step.ts";

type Row = (name: string, seconds: number, note: string) => readonly [string, string, string, string];

/** The cross-site synchronisation as one row of the time breakdown. */
export function crossSiteRow(s: CrossSiteReport, row: Row): readonly [string, string, string, string] {
  const c = s.crossSite;
  const what = s.method === "diloco" ? `DiLoCo outer all-reduce every ${c.everySteps} steps` : "gradient all-reduce every step";
  return row(`cross-site sync (${s.count} sites, exposed)`, c.exposedPerStepSeconds, `${what}, ${Number(c.syncSeconds.toPrecision(4))} s each`);
}

/** The sites in words: how the run is split and what crosses the inter-site link. */
export function crossSiteTable(s: CrossSiteReport): Table {
  const c = s.crossSite;
  const d = s.diloco;
  return {
    columns: ["across sites", "value"],
    rows: [
      ["sites", `${s.count} × ${s.siteReplica.gpus} GPUs, ${s.siteReplica.globalBatch} sequences per site per step`],
      ["method", d === null ? "synchronous data parallelism (all-reduce across sites every step)" : `DiLoCo, M = ${d.replicas} replicas, H = ${d.syncEvery}, outer gradients ${d.outerBits}-bit, ${d.fragments} fragment(s)${d.overlap ? ", overlapped" : ""}`],
      ["inter-site link", `${s.interSite.gbitPerGpu} Gbit/s per GPU (${Number(s.interSite.siteToSiteGbit.toPrecision(4))} Gbit/s per site), ${s.interSite.latencyMs} ms`],
      ["site replica step (s)", s.siteReplica.stepTimeSeconds.toFixed(4)],
      ["one cross-site sync (s)", `${c.syncSeconds.toFixed(4)}: ${Number((c.paramsPerGpu / 1e6).toPrecision(4))}M parameters per GPU over ${c.ranks} GPUs`],
      ["exposed per step (s)", c.exposedPerStepSeconds.toFixed(4)],
      ["bytes per GPU per exchange", `${Number((c.bytesPerGpuPerExchange / 1e9).toPrecision(4))} GB`],
      ["model", s.model],
    ],
  };
}
