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
 * the output at once instead of after every row was formatted; and a slow reader holds the next chunk back
 * (io.drained) rather than letting written chunks pile up in memory.
 */
async function writeChunks<R>(io: CliIO, source: RowSource<R>, format: (r: R) => string, label: string, startedAt: number | undefined): Promise<void> {
  const progress = progressReporter(io, label, undefined, startedAt);
  for (let start = 0; start < source.count; start += CHUNK_ROWS) {
    const end = Math.min(source.count, start + CHUNK_ROWS);
    let text = "";
    for (let i = start; i < end; i++) text += format(source.row(i));
    io.stdout(text);
    progress.update(end, source.count);
    if (end < source.count) {
      await io.drained?.();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  progress.end();
}

/**
 * The table printTable would print, streamed: CSV line by line; text in two passes over the rows (the first
 * learns the column widths), byte-identical to printTable.
 */
export async function streamTable(io: CliIO, columns: readonly string[], source: RowSource<ReadonlyArray<string | number>>, format: "csv" | "text", options: StreamOptions = {}): Promise<void> {
  if (format === "csv") {
    io.stdout(`${csvLine(columns)}\n`);
    await writeChunks(io, source, (r) => `${csvLine(r)}\n`, "writing CSV", options.startedAt);
    return;
  }
  const layout = new TextLayout(columns);
  for (let i = 0; i < source.count; i++) layout.add(source.row(i));
  io.stdout(`${layout.head(columns)}\n`);
  await writeChunks(io, source, (r) => `${layout.line(r)}\n`, "writing table", options.startedAt);
}

export interface StreamOptions {
  /** When the command started (Date.now()): its set-up counts towards the second after which progress shows. */
  readonly startedAt?: number;
  /**
   * streamJson only: the values known once every row was produced (`curve predict`'s final loss and metrics);
   * their keys come after the rows' key in the document and keep their places there (placeholders in `value`).
   */
  readonly tail?: () => Readonly<Record<string, unknown>>;
}

/**
 * The document printJson would print for `{ ...value, [key]: [the rows], ...options.tail() }` (the array at
 * `key`'s place in `value`'s key order), streamed: the array's items are written in chunks. Byte-identical to
 * printJson.
 */
export async function streamJson(io: CliIO, value: Readonly<Record<string, unknown>>, key: string, source: RowSource<unknown>, options: StreamOptions = {}): Promise<void> {
  const tail = options.tail ?? (() => ({}));
  const placeholder = "\u0000rows of scaleplan\u0000";
  // The text around the array: `before` is fixed by the keys before `key`; `after` is taken once the rows are out.
  const around = () => {
    const text = JSON.stringify({ ...value, [key]: placeholder, ...tail() }, null, 2);
    const at = text.indexOf(JSON.stringify(placeholder));
    return { before: text.slice(0, at), after: text.slice(at + JSON.stringify(placeholder).length) };
  };
  const placeholders = JSON.stringify({ ...value, [key]: placeholder }, null, 2);
  const before = placeholders.slice(0, placeholders.indexOf(JSON.stringify(placeholder)));
  if (source.count === 0) {
    io.stdout(`${before}[]${around().after}\n`);
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
  }, "writing JSON", options.startedAt);
  io.stdout(`\n  ]${around().after}\n`);
}
