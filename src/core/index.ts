// The browser-safe public API of scaleplan: pure functions, no node:*, no clock, no unseeded randomness.
// One namespace per capability, e.g. `import { limits } from "scaleplan"; limits.runSweep({ gpu })`.
export * from "./errors.ts";
export * as hardware from "./hardware/index.ts";
export * as limits from "./limits/index.ts";
export * as scaling from "./scaling/index.ts";
export * as schedule from "./schedule/index.ts";
export * as curves from "./curves/index.ts";
export * as sweep from "./sweep/index.ts";
export * as run from "./run/index.ts";
export * as optimize from "./optimize/index.ts";
export * as safetensors from "./safetensors.ts";
export * as plan from "./plan/index.ts";
export * as diloco from "./diloco/index.ts";
