// The browser-safe public API of scaleplan: pure functions, no node:*, no clock, no unseeded randomness.
export * from "./errors.ts";
export * from "./run/gpu-presets.ts";
export * from "./run/run-config.ts";
export * from "./run/model-flops.ts";
export * from "./run/collectives.ts";
export * from "./run/calibration.ts";
export * from "./run/step-model.ts";
export * from "./run/step.ts";
export * from "./run/layout-search.ts";
export * from "./run/calibration-check.ts";
export * from "./run/step-report.ts";
