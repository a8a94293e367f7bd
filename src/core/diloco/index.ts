// DiLoCo: communication of training that synchronises every H steps, its loss cost (Charles et al. 2025) and the
// crossover against synchronous data parallelism (docs/diloco.md).
export * from "./communication.ts";
export * from "./loss-law.ts";
export * from "./crossover.ts";
export * from "./report.ts";
