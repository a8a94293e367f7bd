// Node-only adapters (files, PNG rendering). The browser never imports this.
export * from "./safetensors-average.ts";
export * from "./run-config-file.ts";
