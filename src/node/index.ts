// Node-only adapters (files, PNG rendering). The browser never imports this.
export {};
export * from "./safetensors-average.ts";
