// The data-movement model of Erdil & Schneider-Joseph (2024), "Data movement limits to frontier model training".
export * from "./gpus.ts";
export * from "./rounding.ts";
export * from "./scaling-rules.ts";
export * from "./matmul.ts";
export * from "./network.ts";
export * from "./step-time.ts";
export * from "./divisors.ts";
export * from "./layout-search.ts";
export * from "./cluster-sizing.ts";
export * from "./sweep.ts";
export * from "./analytic.ts";
export * from "./scenario.ts";
