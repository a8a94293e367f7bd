import { toCsv, toText, type Table } from "../core/table.ts";
import { UsageError } from "../core/errors.ts";
import type { CliIO } from "./io.ts";

export interface OutputFlags {
  readonly json?: boolean;
  readonly csv?: boolean;
}

/** Rejects --json together with --csv: stdout carries exactly one format. */
export function outputFormat(flags: OutputFlags): "json" | "csv" | "text" {
  if (flags.json && flags.csv) throw new UsageError("--json and --csv cannot be used together; choose one");
  return flags.json ? "json" : flags.csv ? "csv" : "text";
}

/** One JSON document on stdout, two-space indented, stable key order as built. */
export function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(io: CliIO, table: Table, format: "csv" | "text"): void {
  io.stdout(format === "csv" ? toCsv(table) : toText(table));
}
