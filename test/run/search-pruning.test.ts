// The layout search prunes groups of layouts by floors of their step time and memory (step-floors.ts groupFloors,
// memoryFloor). A floor is only valid if no member beats it; this file checks that empirically where it matters:
// the pruned search returns exactly what evaluating every layout returns (same top-k in the same order, same
// smallest memory and layout, same number of layouts considered) over every calibration run (data/real-runs),
// every held-out run (data/held-out-runs), the plan's candidate models on several clusters, fixed fields and a
// cluster on which nothing fits; and, member by member, that no layout is below its group's floors.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { candidateShape, runConfigFor, type Cluster } from "../../src/core/plan/candidate.ts";
import { denseGrid } from "../../src/core/plan/dense-template.ts";
import { moeGrid } from "../../src/core/plan/moe-template.ts";
import { forEachGroup, searchLayouts, type SearchResult } from "../../src/core/run/layout-search.ts";
import { brokenLayoutRule, resolveRun, validateRunConfig, type RunConfig } from "../../src/core/run/run-config.ts";
import { depthFloors, depthTimeFloor, emptyFloors, groupFloors, memoryChoices, memoryFloor } from "../../src/core/run/step-floors.ts";
import { evaluateLayout, stepContext } from "../../src/core/run/step-model.ts";
import { physicalStageLayers } from "../../src/core/run/pipeline-split.ts";
import type { Layout } from "../../src/core/run/run-config.ts";
import { readRunFolder } from "../../tools/held-out-section.ts";

const root = join(import.meta.dirname, "..", "..");
const runs = [...readRunFolder(join(root, "data", "real-runs")), ...readRunFolder(join(root, "data", "held-out-runs"))];

/** A run's configuration with only `keep` of its parallelism held fixed (the rest searched). */
function searched(config: unknown, id: string, keep: readonly string[]): RunConfig {
  const c = config as { parallelism?: Record<string, unknown> };
  const parallelism = Object.fromEntries(Object.entries(c.parallelism ?? {}).filter(([k]) => keep.includes(k)));
  return validateRunConfig({ ...c, parallelism }, id);
}

function expectSameResult(pruned: SearchResult, exhaustive: SearchResult, label: string): void {
  expect(pruned.best, label).toEqual(exhaustive.best);
  expect(pruned.smallestMemoryGiB, label).toBe(exhaustive.smallestMemoryGiB);
  expect(pruned.smallestMemoryLayout, label).toEqual(exhaustive.smallestMemoryLayout);
  expect(pruned.considered, label).toBe(exhaustive.evaluated);
  expect(pruned.evaluated, label).toBeLessThanOrEqual(exhaustive.evaluated);
}

function compare(config: RunConfig, top: number, label: string): SearchResult {
  const pruned = searchLayouts(config, { top });
  expectSameResult(pruned, searchLayouts(config, { top, exhaustive: true }), label);
  // The plan's searches: the smallest memory only when nothing fits, the rest unchanged.
  const planned = searchLayouts(config, { top, smallestMemory: "when-nothing-fits" });
  expect(planned.best, label).toEqual(pruned.best);
  expect(planned.smallestMemoryGiB, label).toBe(pruned.best.length > 0 ? Infinity : pruned.smallestMemoryGiB);
  return pruned;
}

describe("pruned layout search = exhaustive layout search", () => {
  it("over every calibration and held-out run (micro-batch as run, the rest searched; top 10)", () => {
    expect(runs.length).toBeGreaterThan(90);
    let considered = 0;
    let evaluated = 0;
    for (const run of runs) {
      const r = compare(searched(run.config, run.id, ["microBatch"]), 10, run.id);
      considered += r.considered;
      evaluated += r.evaluated;
    }
    // The point of pruning: most layouts are never evaluated.
    expect(evaluated).toBeLessThan(considered / 4);
  });

  it("with the runs' ZeRO stage, recompute mode and schedule held fixed (top 3)", () => {
    for (const run of runs.filter((_, i) => i % 3 === 0)) compare(searched(run.config, run.id, ["microBatch", "zero", "recompute", "pipelineSchedule", "activationOffloadLayers"]), 3, run.id);
  });

  it("over the plan's candidate models (micro-batches 1 and 4; top 1 as the plan searches, and top 5)", () => {
    const clusters: (Cluster & { batch: number })[] = [
      { gpu: "h100-sxm", gpus: 4096, precision: "bf16", batch: 4096 },
      { gpu: "a100-sxm-80gb", gpus: 512, precision: "bf16", batch: 1024 },
      { gpu: "b200", gpus: 8192, precision: "fp8", batch: 4096 },
      { gpu: "h100-sxm", gpus: 96, precision: "bf16", batch: 480 },
    ];
    for (const { batch, ...cluster } of clusters) {
      const templates = denseGrid(8192).filter((t) => t.depthFactor === 1).filter((_, i) => i % 3 === 0);
      for (const t of templates) {
        const shape = candidateShape(t, cluster);
        for (const microBatch of [1, 4]) {
          const config = runConfigFor(shape.template.model, cluster, batch, { microBatch });
          compare(config, microBatch === 1 ? 1 : 5, `${t.name} on ${cluster.gpus} × ${cluster.gpu}, mb ${microBatch}`);
        }
      }
    }
    // MoE candidates (ep and expertTp searched too): a few, on a smaller cluster, as their searches are larger.
    // One of each family where some but not all layouts fit, and one where none does.
    for (const t of moeGrid(4096).filter((_, i) => [8, 12, 44, 80, 84].includes(i))) {
      const cluster: Cluster = { gpu: "h100-sxm", gpus: 256, precision: "bf16" };
      compare(runConfigFor(t.model, cluster, 512, { microBatch: 1 }), 1, `${t.name} on 256 × h100-sxm`);
    }
  });

  it("when nothing fits: no layout, the same smallest memory", () => {
    const t = denseGrid(8192).at(-1)!;
    const r = compare(runConfigFor(t.model, { gpu: "h100-sxm", gpus: 8, precision: "bf16" }, 64, { microBatch: 1 }), 5, t.name);
    expect(r.best).toEqual([]);
    expect(r.smallestMemoryGiB).toBeGreaterThan(r.usableMemoryGiB);
  });
});

describe("group floors (step-floors.ts) are below every member", () => {
  it("group and member time floors ≤ the step time of every member that fits; memory floors ≤ every member's memory, the exact one attained", () => {
    let groups = 0;
    for (const run of runs.filter((_, i) => i % 4 === 0)) {
      const config = searched(run.config, run.id, ["microBatch"]);
      const resolved = resolveRun(config);
      const ctx = stepContext(resolved);
      const choices = memoryChoices([0, 1, 2, 3], ["none", "selective", "full"]);
      const floors = emptyFloors();
      const mem = { weights: 0, gradients: 0, optimizer: 0, activations: 0, logits: 0, moeBuffers: 0, zero3Buffers: 0, total: 0 };
      for (const tp of [1, 2, 4, 8, 16]) {
        if (resolved.gpuCount % tp !== 0 || resolved.model.heads % tp !== 0) continue;
        forEachGroup(resolved, config.parallelism ?? {}, tp, (base, memory) => {
          if (brokenLayoutRule(resolved, base) !== null || groups++ % 7 !== 0) return;
          groupFloors(ctx, base, choices, floors);
          const exact = memoryFloor(ctx, base, choices, mem);
          let least = Infinity;
          memory.forEach((x, j) => {
            const e = evaluateLayout(ctx, { ...base, zero: x.zero, recompute: x.recompute });
            if (e.fits) expect(floors.time * (1 - 1e-9), run.id).toBeLessThanOrEqual(e.time.stepTime);
            if (e.fits) expect(floors.members[j]! * (1 - 1e-9), run.id).toBeLessThanOrEqual(e.time.stepTime);
            expect(floors.memory, run.id).toBeLessThanOrEqual(e.memory.total);
            least = Math.min(least, e.memory.total);
          });
          expect(exact, run.id).toBe(least);
        });
      }
    }
    expect(groups).toBeGreaterThan(1000);
  });

  it("ZeRO-3 members' floors include their gathers: their step time when computed, and a bound no longer if raised 5 %", () => {
    // The plan's 4096-H100 searches: most layouts that fit are ZeRO-3 ones whose gathers (dp·cp up to 512) double
    // the step time, so a floor without them would let every such group through to evaluation.
    const cluster: Cluster = { gpu: "h100-sxm", gpus: 4096, precision: "bf16" };
    const t = denseGrid(8192).find((x) => x.name === "dense-h16384-l128")!;
    const config = runConfigFor(t.model, cluster, 2048, { microBatch: 1 });
    const resolved = resolveRun(config);
    const ctx = stepContext(resolved);
    const choices = memoryChoices([0, 1, 2, 3], ["none", "selective", "full"]);
    const floors = emptyFloors();
    let zero3 = 0;
    let tight = 0;
    for (const tp of [2, 4, 8]) {
      forEachGroup(resolved, config.parallelism ?? {}, tp, (base, memory) => {
        if (brokenLayoutRule(resolved, base) !== null || base.dp * base.cp < 8) return;
        groupFloors(ctx, base, choices, floors);
        memory.forEach((x, j) => {
          if (x.zero !== 3) return;
          const e = evaluateLayout(ctx, { ...base, zero: x.zero, recompute: x.recompute });
          if (!e.fits) return;
          zero3++;
          expect(floors.members[j]! * (1 - 1e-9)).toBeLessThanOrEqual(e.time.stepTime);
          if (floors.members[j]! * 1.05 > e.time.stepTime) tight++;
        });
      });
    }
    expect(zero3).toBeGreaterThan(500);
    expect(tight / zero3).toBeGreaterThan(0.5);
  });

  it("depth floors (any vp and schedule of one pp) ≤ every member of every pipeline shape of that depth; depthTimeFloor ≤ depthFloors", () => {
    let depths = 0;
    for (const run of runs.filter((_, i) => i % 4 === 1)) {
      const config = searched(run.config, run.id, ["microBatch"]);
      const resolved = resolveRun(config);
      const ctx = stepContext(resolved);
      const choices = memoryChoices([0, 1, 2, 3], ["none", "selective", "full"]);
      const floors = emptyFloors();
      for (const tp of [1, 2, 4, 8]) {
        if (resolved.gpuCount % tp !== 0 || resolved.model.heads % tp !== 0) continue;
        const byDepth = new Map<string, Layout[]>();
        forEachGroup(resolved, config.parallelism ?? {}, tp, (base, memory) => {
          if (brokenLayoutRule(resolved, base) !== null) return;
          const key = [base.pp, base.cp, base.dp, base.ep, base.expertTp, base.microBatch].join("/");
          const members = byDepth.get(key) ?? [];
          for (const x of memory) members.push({ ...base, zero: x.zero, recompute: x.recompute });
          byDepth.set(key, members);
        });
        [...byDepth.values()].forEach((members, i) => {
          if (i % 5 !== 0) return;
          depths++;
          const pp = members[0]!.pp;
          const L = resolved.model.layers;
          const firstLeast = members.reduce((a, l) => Math.min(a, physicalStageLayers(L, pp, l.vp, null, null, 0)), Infinity);
          // The fewest layers of any physical stage of any member, counted stage by stage.
          let least = Infinity;
          for (const l of members) for (let r = 0; r < pp; r++) least = Math.min(least, physicalStageLayers(L, pp, l.vp, null, null, r));
          const layers = { most: Math.ceil(L / pp), firstLeast, least, shapes: members };
          depthFloors(ctx, members[0]!, choices, layers, floors);
          // The floor the search starts from (no memory terms) is below it.
          expect(depthTimeFloor(ctx, members[0]!, choices, layers), run.id).toBeLessThanOrEqual(floors.time);
          for (const l of members) {
            const e = evaluateLayout(ctx, l);
            if (e.fits) expect(floors.time * (1 - 1e-9), run.id).toBeLessThanOrEqual(e.time.stepTime);
            expect(floors.memory, run.id).toBeLessThanOrEqual(e.memory.total);
          }
        });
      }
    }
    expect(depths).toBeGreaterThan(200);
  });
});
