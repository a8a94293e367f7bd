// Scaling laws: laws as data, fitting a user's runs (Chinchilla Approaches 1–3), compute-optimal allocation.
export * from "./law-types.ts";
export * from "./presets.ts";
export * from "./chinchilla-law.ts";
export * from "./data-constrained.ts";
export * from "./loss-law.ts";
export * from "./hyperparameter-law.ts";
export * from "./allocation.ts";
export * from "./huber.ts";
export * from "./percentile.ts";
export * from "./approach3-objective.ts";
export * from "./approach3.ts";
export * from "./linear-regression.ts";
export * from "./runs.ts";
export * from "./approach2.ts";
export * from "./approach1.ts";
export * from "./one-variable.ts";
