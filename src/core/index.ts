// The browser-safe public API of scaleplan: pure functions, no node:*, no clock, no unseeded randomness.
export * from "./errors.ts";
export * from "./limits/index.ts";
export * from "./optimize/index.ts";
export * from "./schedule/index.ts";
export * from "./curves/index.ts";
