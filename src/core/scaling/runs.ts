import { InputError } from "../errors.ts";
import { parseDecimal } from "../config/number.ts";
import { parseJsonText, topLevelNumberText } from "../config/json.ts";
import { MAX_RUN_ROWS } from "../config/bounds.ts";

/** Fields a run file can carry. N parameters, D tokens, C FLOP (C = 6ND fills in the missing one). */
export type RunField = "n" | "d" | "c" | "loss" | "run" | "batch" | "steps";

/** One row of a run file after parsing; `line` is the 1-based line in the source for error messages. */
export interface RunRow {
  readonly line: number;
  readonly n?: number;
  readonly d?: number;
  readonly c?: number;
  readonly loss?: number;
  /** Run identifier: rows sharing it are one training curve (Approach 1). */
  readonly run?: string;
  readonly batch?: number;
  readonly steps?: number;
}

export interface ParsedRuns {
  readonly rows: readonly RunRow[];
  /** Which source column each field came from. */
  readonly columns: Partial<Record<RunField, string>>;
  readonly format: "csv" | "tsv" | "jsonl";
}

// Header names recognised without --columns (matched case-insensitively, spaces/underscores ignored).
const ALIASES: Record<RunField, readonly string[]> = {
  n: ["n", "params", "parameters", "nparams", "modelsize"],
  d: ["d", "tokens", "ntokens", "trainingtokens"],
  c: ["c", "flops", "flop", "compute", "trainingflop", "trainingflops"],
  loss: ["loss", "l", "finalloss", "valloss"],
  run: ["run", "runid", "name"],
  batch: ["b", "batch", "batchsize"],
  steps: ["s", "steps", "step"],
};
const FIELDS = Object.keys(ALIASES) as RunField[];
const normalise = (h: string) => h.trim().toLowerCase().replace(/[\s_-]+/g, "");

/** Parses `--columns n=Model Size,c=Training FLOP,loss=loss` into field → header. */
export function parseColumnMapping(spec: string): Partial<Record<RunField, string>> {
  const out: Partial<Record<RunField, string>> = {};
  for (const part of spec.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    const key = (eq < 0 ? "" : part.slice(0, eq).trim().toLowerCase()) as RunField;
    if (eq < 0 || !FIELDS.includes(key) || part.slice(eq + 1).trim() === "") {
      throw new InputError("--columns", part.trim(), `field=column pairs with fields ${FIELDS.join(", ")}, e.g. "n=Model Size,c=Training FLOP,loss=loss"`);
    }
    if (out[key] !== undefined) throw new InputError("--columns", part.trim(), `each field once (${key} is mapped twice)`);
    out[key] = part.slice(eq + 1).trim();
  }
  return out;
}

/** The end of the run of plain characters from `i`: up to the next separator, line break or quote (or the end). */
function plainRunEnd(text: string, i: number, sep: string): number {
  let j = i;
  while (j < text.length) {
    const ch = text[j];
    if (ch === sep || ch === "\n" || ch === "\r" || ch === '"') break;
    j++;
  }
  return j;
}

/**
 * RFC 4180 CSV/TSV records with their starting line numbers (quoted fields may hold separators and newlines).
 * Unquoted text is taken a run of plain characters at a time (one slice instead of a concatenation per character:
 * the Scaling view parses its 23 KB example in a fresh worker before its first fit).
 */
export function splitRecords(text: string, sep: string): Array<{ line: number; cells: string[] }> {
  const records: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === sep) {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      cells.push(cell);
      if (cells.some((c) => c.trim() !== "")) records.push({ line: start, cells });
      cells = [];
      cell = "";
      line++;
      start = line;
    } else {
      // A plain character (a quote inside a cell is one too): it and the plain ones after it.
      const end = plainRunEnd(text, i + 1, sep);
      cell += text.slice(i, end);
      i = end - 1;
    }
  }
  cells.push(cell);
  if (cells.some((c) => c.trim() !== "")) records.push({ line: start, cells });
  return records;
}

function detectFormat(text: string, sourceName: string): "csv" | "tsv" | "jsonl" {
  const lower = sourceName.toLowerCase();
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  if (lower.endsWith(".tsv")) return "tsv";
  if (lower.endsWith(".csv")) return "csv";
  const first = text.trimStart();
  if (first.startsWith("{")) return "jsonl";
  const header = first.split("\n")[0] ?? "";
  return header.includes("\t") && !header.includes(",") ? "tsv" : "csv";
}

/**
 * Reads a run file (CSV, TSV or JSON Lines). Headers N/params, D/tokens, C/flops, loss (any case) are recognised;
 * `columns` maps fields to other header names. Numbers must be finite and > 0; an exact duplicate row is an
 * error (a copy-paste slip would double its weight in the fit). Errors name `source:line` and the column.
 */
export function parseRuns(text: string, sourceName: string, columns: Partial<Record<RunField, string>> = {}): ParsedRuns {
  const format = detectFormat(text, sourceName);
  let headers: string[];
  let records: Array<{ line: number; get: (header: string) => unknown; typed?: (header: string) => string | undefined }>;
  if (format === "jsonl") {
    records = [];
    const keys = new Set<string>();
    text.split(/\r?\n/).forEach((raw, i) => {
      if (raw.trim() === "") return;
      const obj = parseJsonText(raw, `${sourceName}:${i + 1}`);
      if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw new InputError(`${sourceName}:${i + 1}`, obj, "one JSON object per line");
      const o = obj as Record<string, unknown>;
      Object.keys(o).forEach((k) => keys.add(k));
      records.push({ line: i + 1, get: (h) => o[h], typed: (h) => topLevelNumberText(raw, h) });
    });
    headers = [...keys];
  } else {
    const all = splitRecords(text, format === "tsv" ? "\t" : ",");
    const head = all[0];
    if (!head) throw new InputError(sourceName, "", "a header row and data rows", `${sourceName}: the file is empty; expected a header row and data rows`);
    headers = head.cells.map((h) => h.trim());
    const twice = headers.find((h, i) => headers.indexOf(h) !== i);
    if (twice !== undefined) throw new InputError(`${sourceName}:${head.line}: column ${JSON.stringify(twice)}`, twice, "each column name once", `${sourceName}:${head.line}: column ${JSON.stringify(twice)} appears twice; expected each column name once`);
    records = all.slice(1).map((r) => ({ line: r.line, get: (h: string) => r.cells[headers.indexOf(h)] }));
  }

  const mapping: Partial<Record<RunField, string>> = {};
  for (const field of FIELDS) {
    const explicit = columns[field];
    if (explicit !== undefined) {
      if (!headers.includes(explicit)) {
        throw new InputError("--columns", `${field}=${explicit}`, `a column of ${sourceName} (${headers.map((h) => JSON.stringify(h)).join(", ")})`);
      }
      mapping[field] = explicit;
      continue;
    }
    const found = headers.find((h) => ALIASES[field].includes(normalise(h)));
    if (found !== undefined && !Object.values(mapping).includes(found)) mapping[field] = found;
  }

  const rows: RunRow[] = [];
  const seen = new Map<string, number>();
  for (const rec of records) {
    const row: { -readonly [K in keyof RunRow]: RunRow[K] } = { line: rec.line };
    for (const field of FIELDS) {
      const header = mapping[field];
      if (header === undefined) continue;
      const raw = rec.get(header);
      if (field === "run") {
        if (raw !== undefined && raw !== null && String(raw).trim() !== "") row.run = String(raw).trim();
        continue;
      }
      // An empty cell (or a key absent from a JSON line) is a missing value; toRunPoints decides if it was needed.
      if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) continue;
      const value = typeof raw === "number" ? raw : typeof raw === "string" ? (parseDecimal(raw) ?? Number.NaN) : Number.NaN;
      if (!Number.isFinite(value) || value <= 0) {
        const field = `${sourceName}:${rec.line}: column ${JSON.stringify(header)}`;
        // A JSON number JSON.parse could not hold (1e400 → Infinity, 1e-400 → 0) is quoted as typed.
        const typed = typeof raw === "number" ? rec.typed?.(header) : undefined;
        if (typed !== undefined && parseDecimal(typed) === undefined) throw new InputError(field, typed, "a finite number > 0", `${field}: ${typed} is not allowed; expected a finite number > 0`);
        throw new InputError(field, Number.isNaN(value) ? raw : value, "a finite number > 0");
      }
      row[field] = value;
    }
    const key = JSON.stringify([row.run, row.n, row.d, row.c, row.loss, row.batch, row.steps]);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new InputError(`${sourceName}:${rec.line}`, "a duplicate row", "distinct runs", `${sourceName}:${rec.line}: duplicate of line ${first} (the same run twice would count double in the fit)`);
    }
    seen.set(key, rec.line);
    rows.push(row);
    if (rows.length > MAX_RUN_ROWS) throw new InputError(sourceName, `more than ${MAX_RUN_ROWS} rows`, `at most ${MAX_RUN_ROWS.toLocaleString("en-US")} runs`, `${sourceName}: more than ${MAX_RUN_ROWS.toLocaleString("en-US")} rows; expected at most ${MAX_RUN_ROWS.toLocaleString("en-US")} runs`);
  }
  if (rows.length === 0) throw new InputError(sourceName, "no data rows", "at least one data row", `${sourceName}: no data rows; expected at least one`);
  return { rows, columns: mapping, format };
}

/**
 * (N, D, loss) points from parsed rows: needs loss and two of N, D, C (C = 6ND gives the third).
 * Missing columns are reported with what was found and how to map them.
 */
export function toRunPoints(parsed: ParsedRuns, sourceName: string): Array<{ n: number; d: number; loss: number; line: number; run?: string }> {
  const has = (f: RunField) => parsed.columns[f] !== undefined;
  const missing: string[] = [];
  if (!has("loss")) missing.push("loss");
  const sizeCols = (["n", "d", "c"] as const).filter(has).length;
  if (sizeCols < 2) missing.push(`two of N (params), D (tokens), C (flops); found ${(["n", "d", "c"] as const).filter(has).map((f) => f.toUpperCase()).join(", ") || "none"}`);
  if (missing.length > 0) {
    throw new InputError(
      "--columns",
      sourceName,
      "columns named N/params, D/tokens, C/flops and loss, or a mapping such as --columns \"n=Model Size,c=Training FLOP,loss=loss\"",
      `${sourceName}: missing column(s): ${missing.join("; ")}; name them N/params, D/tokens, C/flops, loss or map them with --columns "n=Model Size,c=Training FLOP,loss=loss"`,
    );
  }
  return parsed.rows.map((r) => {
    const known = [r.n, r.d, r.c].filter((v) => v !== undefined).length;
    if (r.loss === undefined || known < 2) {
      throw new InputError(`${sourceName}:${r.line}`, "a missing value", "loss and two of N, D, C on every row", `${sourceName}:${r.line}: missing ${r.loss === undefined ? "loss" : "a size value (need two of N, D, C)"}`);
    }
    const n = r.n ?? r.c! / (6 * r.d!);
    const d = r.d ?? r.c! / (6 * n);
    return { n, d, loss: r.loss!, line: r.line, ...(r.run !== undefined ? { run: r.run } : {}) };
  });
}
