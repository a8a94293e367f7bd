// `scaleplan diloco`: synchronising every H steps (DiLoCo) vs synchronous data parallelism across sites: step time,
// compute utilization, the inter-site bandwidth each needs, DiLoCo's loss cost (Charles et al. 2025) and where it
// wins (the bandwidth and cluster-size crossovers). Thin: core/diloco does the work.
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../../core/errors.ts";
import { formatSI } from "../../core/format.ts";
import { DILOCO_DEFAULT_BATCH_TOKENS, DILOCO_DEFAULT_NODE_FLOPS, dilocoReport } from "../../core/diloco/report.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
import { optionalNumberFlag } from "../number-flag.ts";
import { BATCH_TOKENS, FRAGMENTS, GPU_COUNT, LINK_GBPS, LINK_LATENCY_S, NODE_FLOPS, OUTER_BITS, PARAMETER_COUNT, SITE_COUNT, SYNC_EVERY, type Bound } from "../../core/config/bounds.ts";
import { meetsRule } from "../../core/config/number.ts";

/** A numeric option inside a named bound (src/core/config/bounds.ts), the error naming the option as typed. */
function boundedOption(option: string, raw: string | undefined, bound: Bound): number | undefined {
  return optionalNumberFlag(option, raw, bound.allowed, (x) => meetsRule(x, bound));
}

const gbit = (gbps: number | null) => (gbps !== null ? Number(gbps.toPrecision(4)) : "—");
const ms = (s: number) => Number((s * 1e3).toPrecision(4));

export function registerDiloco(program: Command, io: CliIO): void {
  program
    .command("diloco")
    .description("DiLoCo (sync every H steps) vs synchronous data parallelism across sites: step time, bandwidth needed, loss cost (Charles et al. 2025), crossover")
    .requiredOption("--params <N>", "model parameters")
    .option("--replicas <M>", "DiLoCo replicas, one per site", "2")
    .option("--sync-every <H>", "inner steps per outer synchronisation (the paper's scaling laws use 30)", "30")
    .option("--gpus <R>", "nodes (GPUs/TPUs) in total, split over the replicas", "1024")
    .option("--batch <tokens>", "global batch in tokens (default 4194304)")
    .option("--node-flops <Q>", "achieved FLOP/s per node (default 300e12, their App. A.3)")
    .option("--bandwidth <Gbps>", "inter-site bandwidth per node, Gbit/s (their low archetype: 10)", "10")
    .option("--latency <s>", "inter-site latency, seconds", "0.01")
    .option("--within-bandwidth <Gbps>", "within-site bandwidth per node, Gbit/s (their high archetype: 400)", "400")
    .option("--within-latency <s>", "within-site latency, seconds", "0.0001")
    .option("--outer-bits <b>", "bits per outer-gradient value on the wire (16 = BF16; 4 = quantised)", "16")
    .option("--fragments <P>", "Streaming DiLoCo fragments (peak traffic / P)", "1")
    .option("--overlap", "overlap the outer all-reduce with the next round's compute (Streaming DiLoCo)")
    .option("--json", "one JSON document")
    .action((opts) => {
      const format = outputFormat(opts);
      const params = boundedOption("--params", opts.params, PARAMETER_COUNT)!;
      const replicas = boundedOption("--replicas", opts.replicas, SITE_COUNT)!;
      const syncEvery = boundedOption("--sync-every", opts.syncEvery, SYNC_EVERY)!;
      const nodes = boundedOption("--gpus", opts.gpus, GPU_COUNT)!;
      if (nodes < replicas || nodes % replicas !== 0) throw new InputError("--gpus", nodes, `a multiple of --replicas (${replicas})`);
      const batch = boundedOption("--batch", opts.batch, BATCH_TOKENS) ?? DILOCO_DEFAULT_BATCH_TOKENS;
      const nodeFlops = boundedOption("--node-flops", opts.nodeFlops, NODE_FLOPS) ?? DILOCO_DEFAULT_NODE_FLOPS;
      const outerBits = boundedOption("--outer-bits", opts.outerBits, OUTER_BITS)!;
      const fragments = boundedOption("--fragments", opts.fragments, FRAGMENTS)!;
      const report = dilocoReport({
        params,
        replicas,
        syncEvery,
        nodes,
        batchTokens: batch,
        nodeFlops,
        bandwidthGbps: boundedOption("--bandwidth", opts.bandwidth, LINK_GBPS)!,
        latencyS: boundedOption("--latency", opts.latency, LINK_LATENCY_S)!,
        withinBandwidthGbps: boundedOption("--within-bandwidth", opts.withinBandwidth, LINK_GBPS)!,
        withinLatencyS: boundedOption("--within-latency", opts.withinLatency, LINK_LATENCY_S)!,
        outerBits,
        fragments,
        overlap: opts.overlap === true,
      });
      if (format === "json") return printJson(io, report);
      const { dataParallel: dp, diloco: di, loss: l, crossover } = report;
      io.stdout(`${formatSI(params)} parameters, ${nodes} nodes in ${replicas} site(s), batch ${formatSI(batch)} tokens, ${formatSI(nodeFlops)}FLOP/s per node; inter-site ${opts.bandwidth} Gbit/s, ${opts.latency} s; DiLoCo H = ${syncEvery}, outer gradients ${outerBits}-bit, ${fragments} fragment(s)${opts.overlap ? ", overlapped" : ""}\n`);
      io.stdout("Communication model: Charles et al. 2025 App. A.2 (2N(1 − 1/R)/W + ε per all-reduce)\n\n");
      printTable(io, {
        columns: ["method", "compute (ms)", "communication (ms)", "step (ms)", "utilization"],
        rows: [
          ["data parallel", ms(dp.computeS), ms(dp.commS), ms(dp.stepS), dp.utilization.toFixed(3)],
          [`DiLoCo M=${replicas} H=${syncEvery}`, ms(di.computeS), ms(di.commS), ms(di.stepS), di.utilization.toFixed(3)],
        ],
      }, "text");
      io.stdout(`\nInter-site Gbit/s per node to reach a compute utilization of (within-site traffic taken as hidden, as for their Table 6):\n`);
      const needed = report.bandwidthForUtilization;
      printTable(io, { columns: ["method", ...needed.targets.map((u) => `${Math.round(u * 100)} %`)], rows: needed.rows.map((r) => [r.method, ...r.gbps.map(gbit)]) }, "text");
      io.stdout(`\nLoss at D = 20N (Charles et al. Table 7${replicas > 8 || ![1, 2, 4, 8].includes(replicas) ? "/10 joint fit" : ""}): data parallel ${l.dataParallel.toFixed(4)}, DiLoCo M=${replicas} ${l.diloco.toFixed(4)} (${(((l.diloco - l.dataParallel) / l.dataParallel) * 100).toFixed(2)} %); measured at H = 30, the paper fits no law in H\n`);
      io.stdout(`DiLoCo's loss is worth ${l.computeEquivalence.toFixed(3)}× the data-parallel compute at this size${l.lossCrossoverParams !== null ? `; it matches data parallelism from N ≈ ${formatSI(l.lossCrossoverParams)} up` : ""}\n`);
      const bw = crossover.bandwidthGbps;
      io.stdout(`Crossover: DiLoCo reaches data parallelism's loss sooner ${bw === Number.POSITIVE_INFINITY ? "at any inter-site bandwidth" : bw === 0 ? "at no inter-site bandwidth" : `below ${Number(bw.toPrecision(4))} Gbit/s per node between sites`}`);
      const r = crossover.nodes;
      io.stdout(` and ${r === 0 ? "at any cluster size" : r === Number.POSITIVE_INFINITY ? "at no cluster size up to 1e8 nodes" : `above ${Math.ceil(r)} nodes (same batch)`}.\n`);
      io.stdout(`Outer exchange per fragment: ${(di.outerFragmentBytes / 1e9).toPrecision(3)} GB (the streaming peak; the same total per round).\n`);
    });
}
