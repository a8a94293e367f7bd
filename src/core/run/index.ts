// A concrete training run: configuration, hardware presets, FLOPs, step time, memory, layout search, calibration.
export * from "./gpu-presets.ts";
export * from "./run-config.ts";
export * from "./model-flops.ts";
export * from "./collectives.ts";
export * from "./calibration.ts";
export * from "./step-model.ts";
export * from "./step.ts";
export * from "./layout-search.ts";
export * from "./calibration-check.ts";
export * from "./step-report.ts";
