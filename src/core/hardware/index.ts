// The hardware catalogue: one entry per GPU product (datasheet figures, power, host link, price, and the
// data-movement model's micro-architecture where public), the counterfactual systems of the data-movement
// reference, and the lookups every other capability (limits, run, sweep, plan, web) goes through.
export * from "./gpu-spec.ts";
export * from "./microarchitecture.ts";
export { GPU_CATALOGUE } from "./catalogue.ts";
export { COUNTERFACTUAL_SYSTEMS } from "./counterfactual-systems.ts";
export * from "./lookup.ts";
export * from "./custom-gpu.ts";
