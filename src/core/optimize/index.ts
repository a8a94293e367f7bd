// Numerical optimisation used by the scaling-law and loss-curve fitters. Browser-safe, allocation-light.
export * from "./types.ts";
export * from "./line-search.ts";
export * from "./lbfgs.ts";
export * from "./nelder-mead.ts";
export * from "./brent.ts";
export * from "./gradient-check.ts";
