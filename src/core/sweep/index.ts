export * from "./flops.ts";
export * from "./presets.ts";
export * from "./plan.ts";
