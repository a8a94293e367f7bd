import { csvLine, toCsv, toText, TextLayout, type Table } from "../core/table.ts";
import { UsageError } from "../core/errors.ts";
import type { CliIO } from "./io.ts";
import { progressReporter } from "./progress.ts";

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

/**
 * Rows produced one at a time (row(0) … row(count − 1)), for output of millions of rows (`schedule
 * constant:steps=5000000 --csv`): they are formatted and written in chunks, so memory stays bounded by a chunk.
 */
export interface RowSource<R> {
  readonly count: number;
  row(i: number): R;
}

/** Rows per write: ~10k rows of a few numbers is ~0.5 MB of text. */
const CHUNK_ROWS = 10_000;

/**
 * Writes rows `format`ted in chunks of CHUNK_ROWS, with progress on stderr when it takes over a second. Between
 * chunks the event loop runs, so a reader that went away (`| head -1`: EPIPE, main.ts exits 0) or a signal ends
 * the output at once instead of after every row was formatted.
 */
async function writeChunks<R>(io: CliIO, source: RowSource<R>, format: (r: R) => string, label: string): Promise<void> {
  const progress = progressReporter(io, label);
  for (let start = 0; start < source.count; start += CHUNK_ROWS) {
    const end = Math.min(source.count, start + CHUNK_ROWS);
    let text = "";
    for (let i = start; i < end; i++) text += format(source.row(i));
    io.stdout(text);
    progress.update(end, source.count);
    if (end < source.count) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  progress.end();
}

/**
 * The table printTable would print, streamed: CSV line by line; text in two passes over the rows (the first
 * learns the column widths), byte-identical to printTable.
 */
export async function streamTable(io: CliIO, columns: readonly string[], source: RowSource<ReadonlyArray<string | number>>, format: "csv" | "text"): Promise<void> {
  if (format === "csv") {
    io.stdout(`${csvLine(columns)}\n`);
    await writeChunks(io, source, (r) => `${csvLine(r)}\n`, "writing CSV");
    return;
  }
  const layout = new TextLayout(columns);
  for (let i = 0; i < source.count; i++) layout.add(source.row(i));
  io.stdout(`${layout.head(columns)}\n`);
  await writeChunks(io, source, (r) => `${layout.line(r)}\n`, "writing table");
}

/**
 * The document printJson would print for `{ ...value, [key]: [the rows] }` (the array at `key`'s place in
 * `value`'s key order), streamed: the array's items are written in chunks. Byte-identical to printJson.
 */
export async function streamJson(io: CliIO, value: Readonly<Record<string, unknown>>, key: string, source: RowSource<unknown>): Promise<void> {
  const placeholder = "\u0000rows of scaleplan\u0000";
  const text = JSON.stringify({ ...value, [key]: placeholder }, null, 2);
  const at = text.indexOf(JSON.stringify(placeholder));
  const before = text.slice(0, at);
  const after = text.slice(at + JSON.stringify(placeholder).length);
  if (source.count === 0) {
    io.stdout(`${before}[]${after}\n`);
    return;
  }
  io.stdout(`${before}[\n`);
  // An item of a top-level key's array is indented by 4 spaces in JSON.stringify(…, null, 2).
  const item = (r: unknown) => `    ${JSON.stringify(r, null, 2).replaceAll("\n", "\n    ")}`;
  let first = true;
  await writeChunks(io, source, (r) => {
    const s = first ? item(r) : `,\n${item(r)}`;
    first = false;
    return s;
  }, "writing JSON");
  io.stdout(`\n  ]${after}\n`);
}
