// Tabular output as data: the CLI renders it as an aligned text table or CSV, the web app as HTML.
import { maxOf } from "./util/extent.ts";

export interface Table {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>;
}

/** RFC 4180 CSV: fields with commas, quotes or newlines are quoted. Numbers are written in full precision. */
export function toCsv(table: Table): string {
  const cell = (v: string | number): string => {
    const s = typeof v === "number" ? String(v) : v;
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [table.columns.map(cell).join(",")];
  for (const row of table.rows) lines.push(row.map(cell).join(","));
  return `${lines.join("\n")}\n`;
}

/** A plain aligned text table (numbers right-aligned), no colours: safe to pipe. */
export function toText(table: Table): string {
  const cells = [table.columns.map(String), ...table.rows.map((r) => r.map(String))];
  const numeric = table.columns.map((_, j) => table.rows.length > 0 && table.rows.every((r) => typeof r[j] === "number" || /^[-+0-9.e]+$/i.test(String(r[j]))));
  const widths = table.columns.map((_, j) => maxOf(cells.map((r) => (r[j] ?? "").length)));
  const line = (r: readonly string[]) =>
    r.map((c, j) => (numeric[j] ? c.padStart(widths[j] ?? 0) : c.padEnd(widths[j] ?? 0))).join("  ").trimEnd();
  const header = line(cells[0] ?? []);
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return `${[header, rule, ...cells.slice(1).map(line)].join("\n")}\n`;
}
