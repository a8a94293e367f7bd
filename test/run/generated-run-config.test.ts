// generatedRunConfig (run-config.ts, no zod) against validateRunConfig (the schema) for every run configuration the
// plan builds: each template model (dense and MoE grids) on each kind of cluster, at the batches and micro-batches
// the plan's layout searches use. The Plan view's worker relies on it to skip the schema.
import { describe, expect, it } from "vitest";
import { MAX_GPUS } from "../../src/core/config/bounds.ts";
import { runConfigFor, type Cluster } from "../../src/core/plan/candidate.ts";
import { denseGrid } from "../../src/core/plan/dense-template.ts";
import { moeGrid } from "../../src/core/plan/moe-template.ts";
import { generatedRunConfig, validateRunConfig, type GeneratedRunConfigInput } from "../../src/core/run/run-config.ts";

const validating = (cluster: Cluster): Cluster => ({ ...cluster, validateRun: (config) => validateRunConfig(config, "plan") });

// Every precision, a GPU without BF16 (V100), a given scale-up domain, the smallest and the largest GPU count.
const CLUSTERS: Cluster[] = [
  { gpu: "h100-sxm", gpus: 4096, precision: "bf16" },
  { gpu: "b200", gpus: 8192, precision: "fp8" },
  { gpu: "v100-sxm2", gpus: 64, precision: "fp16" },
  { gpu: "a100-sxm-80gb", gpus: 512, gpusPerNode: 4, precision: "bf16" },
  { gpu: "h100-sxm", gpus: 1, precision: "bf16" },
  { gpu: "h100-sxm", gpus: MAX_GPUS, precision: "bf16" },
];

describe("generatedRunConfig equals validateRunConfig", () => {
  it("for every template model (dense and MoE, three sequence lengths) on every kind of cluster", () => {
    const templates = [2048, 8192, 32768].flatMap((seqLen) => [...denseGrid(seqLen), ...moeGrid(seqLen)]);
    expect(templates.length).toBeGreaterThan(200);
    let compared = 0;
    for (const t of templates) {
      for (const cluster of CLUSTERS) {
        for (const [batch, parallelism] of [[1, undefined], [4096, { microBatch: 1 }], [480, { microBatch: 4 }]] as const) {
          const fast = runConfigFor(t.model, cluster, batch, parallelism);
          expect(fast, `${t.name} on ${cluster.gpus} × ${cluster.gpu}`).toStrictEqual(runConfigFor(t.model, validating(cluster), batch, parallelism));
          compared++;
        }
      }
    }
    expect(compared).toBe(templates.length * CLUSTERS.length * 3);
  });

  it("fills every default the schema fills (an MoE block's, the model's) and keeps what is given", () => {
    const input: GeneratedRunConfigInput = {
      model: { layers: 4, hidden: 256, heads: 4, vocab: 1000, seqLen: 512, moe: { experts: 8, topK: 2, expertFfn: 128 } },
      hardware: { gpu: "h100-sxm", count: 8 },
      training: { globalBatch: 8, precision: "fp8" },
    };
    const validated = validateRunConfig(input);
    expect(generatedRunConfig(input)).toStrictEqual(validated);
    expect(validated.model).toMatchObject({ ffnKind: "gelu", tiedEmbeddings: false, attention: "mha", moe: { sharedExperts: 0, denseLayers: 0 } });
  });

  it("refuses what only the schema may check: a software block, sites, a GPU count out of bounds, a count that is not whole", () => {
    const base = { model: { layers: 4, hidden: 256, heads: 4, vocab: 1000, seqLen: 512 }, hardware: { gpu: "h100-sxm", count: 8 }, training: { globalBatch: 8, precision: "bf16" as const } };
    expect(() => generatedRunConfig(base)).not.toThrow();
    expect(() => generatedRunConfig({ ...base, software: { framework: "torchtitan" } } as GeneratedRunConfigInput)).toThrow(/software/);
    expect(() => generatedRunConfig({ ...base, hardware: { ...base.hardware, sites: 2 } } as GeneratedRunConfigInput)).toThrow(/sites/);
    expect(() => generatedRunConfig({ ...base, hardware: { gpu: "h100-sxm", count: MAX_GPUS + 1 } })).toThrow(/validateRunConfig/);
    expect(() => generatedRunConfig({ ...base, model: { ...base.model, layers: 4.5 } })).toThrow(/validateRunConfig/);
    expect(() => generatedRunConfig({ ...base, training: { globalBatch: 0, precision: "bf16" } })).toThrow(/validateRunConfig/);
  });
});
