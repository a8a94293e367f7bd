export * from "./types.ts";
export * from "./generators.ts";
export * from "./spec.ts";
export * from "./integrals.ts";
export * from "./snippets.ts";
