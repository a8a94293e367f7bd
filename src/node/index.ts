// Node-only adapters (files, PNG rendering). The browser never imports this.
export {};
export * from "./run-config-file.ts";
