// The fixed and DeepSeek batch rules against the authors' stored notebook output (see PROVENANCE.md).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findGpuPreset } from "../../src/core/limits/gpus.ts";
import type { BatchRule } from "../../src/core/limits/scaling-rules.ts";
import { runSweep } from "../../src/core/limits/sweep.ts";

interface Row {
  dModel: number;
  months: number;
  utilization: number;
  gpus: number;
  layout: number[];
  microbatches: number;
}

function parse(): Map<string, { rows: Row[]; linearEnd: string | null }> {
  const text = readFileSync(new URL("../fixtures/limits/notebook-batch-size-comparison.txt", import.meta.url), "utf8");
  const settings = new Map<string, { rows: Row[]; linearEnd: string | null }>();
  let current: Row[] = [];
  for (const line of text.split("\n")) {
    const setting = /^Simulating training runs for setting: (.*)$/.exec(line);
    if (setting) {
      current = [];
      settings.set(setting[1]!, { rows: current, linearEnd: null });
      continue;
    }
    const row = /^d_model: (\S+).*?([\d.]+) months\s+Util: (\S+)\s+N_GPU: (\S+)\s+\((\d+), (\d+)\)=\d+ TP, (\d+) PP \(v=(\d+)\), (\d+) DP, (\d+) EP/.exec(line);
    if (row) {
      const [, d, months, util, gpus, ...layout] = row;
      current.push({ dModel: Number(d), months: Number(months), utilization: Number(util), gpus: Number(gpus), layout: layout.map(Number), microbatches: 0 });
      continue;
    }
    const mb = /^Number of vertical microbatches: (\d+)/.exec(line);
    if (mb) current[current.length - 1]!.microbatches = Number(mb[1]);
    const end = /^Linear scaling for (.*) ends at (\S+) FLOP/.exec(line);
    if (end) settings.get(end[1]!)!.linearEnd = end[2]!;
  }
  return settings;
}

const settings = parse();

for (const [name, rule, stop] of [
  ["No scaling", "fixed", 90112],
  ["DeepSeek scaling", "deepseek", null],
] as const) {
  describe(`H100 SXM dense, ${rule} batch rule vs the notebook's stored output ("${name}")`, () => {
    it("same cluster size, utilization, months and layout at every point; same end of linear scaling", () => {
      const ref = settings.get(name)!;
      const r = runSweep({ gpu: findGpuPreset("h100-sxm")!, batchRule: rule as BatchRule });
      expect(r.points).toHaveLength(ref.rows.length);
      ref.rows.forEach((row, i) => {
        const p = r.points[i]!;
        const where = `d_model ${p.dModel}`;
        expect(p.dModel.toExponential(2), where).toBe(row.dModel.toExponential(2));
        expect(p.gpus.toExponential(2), where).toBe(row.gpus.toExponential(2));
        expect(p.utilization.toFixed(3), where).toBe(row.utilization.toFixed(3));
        expect(p.months.toFixed(2), where).toBe(row.months.toFixed(2));
        const q = p.parallelism;
        expect([q.tpModel, q.tpFf, q.pp, q.interleave, q.dp, q.ep, q.microbatches], where).toEqual([...row.layout, row.microbatches]);
      });
      expect(r.summary.linearScalingEnd!.toExponential(2)).toBe(ref.linearEnd);
      expect(r.summary.firstInfeasibleDModel).toBe(stop);
    });
  });
}
