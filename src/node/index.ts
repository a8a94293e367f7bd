// Node-only adapters (files, PNG rendering). The browser never imports this.
export * from "./safetensors.ts";
export * from "./safetensors-average.ts";
export * from "./run-fixtures.ts";
