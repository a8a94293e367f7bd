// Tabular output as data: the CLI renders it as an aligned text table or CSV, the web app as HTML.

export interface Table {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>;
}

/** One RFC 4180 CSV line (no newline): fields with commas, quotes or newlines are quoted; numbers in full precision. */
export function csvLine(row: ReadonlyArray<string | number>): string {
  const cell = (v: string | number): string => {
    const s = typeof v === "number" ? String(v) : v;
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return row.map(cell).join(",");
}

/** RFC 4180 CSV: fields with commas, quotes or newlines are quoted. Numbers are written in full precision. */
export function toCsv(table: Table): string {
  const lines = [csvLine(table.columns)];
  for (const row of table.rows) lines.push(csvLine(row));
  return `${lines.join("\n")}\n`;
}

/**
 * The layout of an aligned text table, learnt row by row (add), so that a table of millions of rows can be
 * written in chunks (line) after one pass over its rows without holding them: each column as wide as its widest
 * cell, right-aligned when every row's cell is a number.
 */
export class TextLayout {
  private readonly widths: number[];
  private readonly numeric: boolean[];
  private rows = 0;

  constructor(columns: readonly string[]) {
    this.widths = columns.map((c) => String(c).length);
    this.numeric = columns.map(() => true);
  }

  add(row: ReadonlyArray<string | number>): void {
    this.rows++;
    for (let j = 0; j < this.widths.length; j++) {
      const v = row[j];
      const text = String(v);
      this.widths[j] = Math.max(this.widths[j]!, v === undefined ? 0 : text.length);
      if (this.numeric[j] && !(typeof v === "number" || /^[-+0-9.e]+$/i.test(text))) this.numeric[j] = false;
    }
  }

  /** One line of the table (no newline), trailing spaces trimmed. */
  line(row: ReadonlyArray<string | number>): string {
    return row
      .map((v, j) => {
        const c = String(v);
        return this.rows > 0 && this.numeric[j] ? c.padStart(this.widths[j] ?? 0) : c.padEnd(this.widths[j] ?? 0);
      })
      .join("  ")
      .trimEnd();
  }

  /** The header line (aligned as its column) and the rule of dashes under it. */
  head(columns: readonly string[]): string {
    return `${this.line(columns)}\n${this.widths.map((w) => "-".repeat(w)).join("  ")}`;
  }
}

/** A plain aligned text table (numbers right-aligned), no colours: safe to pipe. */
export function toText(table: Table): string {
  const layout = new TextLayout(table.columns);
  for (const row of table.rows) layout.add(row);
  return `${[layout.head(table.columns), ...table.rows.map((r) => layout.line(r))].join("\n")}\n`;
}
