// The run configuration's allowed words and defaults (shared/specs/run-config.md): one source for the schema
// (run-config-schema.ts, which checks files and pasted text) and for generatedRunConfig (run-config.ts, which fills
// the defaults of configurations built by code without loading the schema).

export const ATTENTION_VARIANTS = ["mha", "mla"] as const;
export const RECOMPUTE_MODES = ["none", "selective", "full"] as const;
export const PIPELINE_SCHEDULES = ["1f1b", "interleaved-1f1b", "zero-bubble", "gpipe", "dualpipe"] as const;
export const PRECISIONS = ["bf16", "fp16", "fp8"] as const;
export type RecomputeMode = (typeof RECOMPUTE_MODES)[number];
export type PipelineSchedule = (typeof PIPELINE_SCHEDULES)[number];

/** The defaults run-config.md gives the optional fields that have one (the other optional fields stay absent). */
export const RUN_CONFIG_DEFAULTS = {
  model: { ffnKind: "gelu", tiedEmbeddings: false, attention: "mha" },
  moe: { sharedExperts: 0, denseLayers: 0 },
  training: { precision: "bf16" },
  software: { framework: "megatron-core" },
} as const;

/**
 * `hardware.interSite` when absent (diloco-config.ts): Charles et al. 2025 (arXiv 2503.09799) App. A.3, the
 * low-bandwidth archetype between sites: 10 Gbit/s per node and 10 ms latency (also `scaleplan diloco`'s defaults,
 * so the two commands describe the same link).
 */
export const DEFAULT_INTER_SITE = { gbitPerGpu: 10, latencyMs: 10 } as const;
