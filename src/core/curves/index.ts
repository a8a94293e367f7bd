export * from "./curve.ts";
export * from "./multi-power-law.ts";
export * from "./fit-mpl.ts";
export * from "./momentum-law.ts";
export * from "./fit-file.ts";
export * from "./optimize-schedule.ts";
