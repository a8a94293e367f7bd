// The full H100 SXM sweeps against the authors' own outputs (test/fixtures/limits, see PROVENANCE.md).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findDataMovementGpu } from "../../src/core/hardware/lookup.ts";
import { runSweep, type SweepResult } from "../../src/core/limits/sweep.ts";

interface ReferencePoint {
  dModel: number;
  layers: number;
  experts: number;
  batchTokens: number;
  flop: number;
  months: number;
  utilization: number;
  gpus: number;
  tpModel: number;
  tpFf: number;
  pp: number;
  interleave: number;
  dp: number;
  ep: number;
  microbatches: number;
}
interface Reference {
  points: ReferencePoint[];
  linearScalingEnd: number;
  firstInfeasibleDModel: number;
}

function reference(name: string): Reference {
  return JSON.parse(readFileSync(new URL(`../fixtures/limits/${name}`, import.meta.url), "utf8")) as Reference;
}

/** Same value at the printed number of significant digits (gpus and batch are printed to 3–4 digits). */
function sameAtPrecision(actual: number, printed: number, digits: number): boolean {
  return Number(actual.toPrecision(digits)) === printed || Math.abs(actual - printed) / printed <= 0.5 * 10 ** (1 - digits);
}

for (const [label, file, sparse] of [
  ["dense", "limits-h100-sxm-dense.json", false],
  ["sparse", "limits-h100-sxm-sparse.json", true],
] as const) {
  describe(`H100 SXM ${label} sweep vs the reference implementation`, () => {
    const ref = reference(file);
    let result: SweepResult;
    it("runs", () => {
      result = runSweep({ gpu: findDataMovementGpu("h100-sxm")!, sparse });
      expect(result.points.length).toBe(ref.points.length);
    });
    it("same model shapes, compute and cluster size at every point; utilization within 0.002", () => {
      ref.points.forEach((p, i) => {
        const q = result.points[i]!;
        const where = `d_model ${p.dModel}`;
        expect(q.dModel, where).toBe(p.dModel);
        expect(q.layers, where).toBe(p.layers);
        expect(q.experts, where).toBe(p.experts);
        expect(sameAtPrecision(q.batchTokens, p.batchTokens, 4), `${where}: batch ${q.batchTokens} vs ${p.batchTokens}`).toBe(true);
        expect(sameAtPrecision(q.flop, p.flop, 4), `${where}: flop ${q.flop} vs ${p.flop}`).toBe(true);
        expect(sameAtPrecision(q.gpus, p.gpus, 3), `${where}: gpus ${q.gpus} vs ${p.gpus}`).toBe(true);
        expect(Math.abs(q.utilization - p.utilization), `${where}: utilization ${q.utilization} vs ${p.utilization}`).toBeLessThanOrEqual(0.002);
        expect(Math.abs(q.months - p.months), `${where}: months ${q.months} vs ${p.months}`).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(q.months, where).toBeLessThan(3);
      });
    });
    it("same end of linear scaling and first infeasible width", () => {
      expect(result.summary.linearScalingEnd).not.toBeNull();
      expect(Math.abs(result.summary.linearScalingEnd! / ref.linearScalingEnd - 1)).toBeLessThan(1e-12);
      expect(result.summary.firstInfeasibleDModel).toBe(ref.firstInfeasibleDModel);
      expect(result.summary.stoppedBy).toBe("infeasible");
    });
    it("the same layouts (the reference's tie-breaking reproduced)", () => {
      ref.points.forEach((p, i) => {
        const q = result.points[i]!.parallelism;
        expect([q.tpModel, q.tpFf, q.pp, q.interleave, q.dp, q.ep, q.microbatches], `d_model ${p.dModel}`).toEqual([
          p.tpModel, p.tpFf, p.pp, p.interleave, p.dp, p.ep, p.microbatches,
        ]);
      });
    });
  });
}

describe("spec §3.2/§3.3 headline numbers of the H100 dense sweep", () => {
  it("linear scaling ends at 2.05e28; the last feasible run is 2.71e31 at U ≈ 0.052; 212 992 is infeasible", () => {
    const r = runSweep({ gpu: findDataMovementGpu("h100-sxm")!, widths: [53248, 196608, 212992] });
    expect(r.summary.linearScalingEnd!.toPrecision(3)).toBe("2.05e+28");
    expect(r.summary.lastFeasibleFlop!.toPrecision(3)).toBe("2.71e+31");
    expect(r.summary.lastFeasibleUtilization!.toFixed(3)).toBe("0.052");
    expect(r.summary.firstInfeasibleDModel).toBe(212992);
    expect(r.summary.firstInfeasibleFlop!.toPrecision(3)).toBe("5.08e+31");
  });
});

describe("zero-bubble latency quirk (spec §5 Q1)", () => {
  it("the intended behaviour ('hidden') gives the same H100 dense and sparse sweeps as the reference's", () => {
    for (const sparse of [false, true]) {
      const reference = runSweep({ gpu: findDataMovementGpu("h100-sxm")!, sparse });
      const hidden = runSweep({ gpu: findDataMovementGpu("h100-sxm")!, sparse, zeroBubbleLatency: "hidden" });
      expect(hidden.points.map((p) => [p.gpus, p.utilization, p.parallelism])).toEqual(reference.points.map((p) => [p.gpus, p.utilization, p.parallelism]));
      expect(hidden.summary).toEqual(reference.summary);
    }
  });
});
