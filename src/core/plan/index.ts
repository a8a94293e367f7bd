// `scaleplan plan`: one answer for a cluster and a deadline (or budget): what to train, how to run it, what loss it
// reaches, what it costs.
export * from "./dense-template.ts";
export * from "./moe-template.ts";
export * from "./goodput.ts";
export * from "./cost.ts";
export * from "./loss.ts";
export * from "./hyperparameters.ts";
export * from "./schedule-plan.ts";
export * from "./data-movement.ts";
export * from "./candidate.ts";
export * from "./input.ts";
export * from "./make-plan.ts";
export * from "./frontier.ts";
export * from "./report.ts";
