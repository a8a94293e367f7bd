import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseColumnMapping, parseRuns, toRunPoints } from "../../src/core/scaling/index.ts";
import { splitRecords } from "../../src/core/scaling/runs.ts";

describe("run-file parsing", () => {
  it("reads the Chinchilla fixture with its own headers (Model Size, Training FLOP, loss) and derives D = C/(6N)", () => {
    const text = readFileSync(new URL("../fixtures/chinchilla/svg_extracted_data.csv", import.meta.url), "utf8");
    const parsed = parseRuns(text, "svg_extracted_data.csv");
    expect(parsed.columns).toMatchObject({ n: "Model Size", c: "Training FLOP", loss: "loss" });
    const pts = toRunPoints(parsed, "svg_extracted_data.csv");
    expect(pts).toHaveLength(245);
    // First data row: N 6795600349.289497, C 9.993852799709755e+18, loss 5.005581996196243.
    expect(pts[0]!.n).toBe(6795600349.289497);
    expect(pts[0]!.d).toBeCloseTo(9.993852799709755e18 / (6 * 6795600349.289497), 0);
    expect(pts[0]!.loss).toBe(5.005581996196243);
    expect(pts[0]!.line).toBe(2);
  });

  it("accepts --columns mappings, TSV and JSONL", () => {
    const mapping = parseColumnMapping("n=Model Size,c=Training FLOP,loss=loss");
    expect(mapping).toEqual({ n: "Model Size", c: "Training FLOP", loss: "loss" });
    const tsv = parseRuns("size\ttok\tval\n1e8\t2e9\t3.1\n2e8\t4e9\t2.9\n", "runs.tsv", { n: "size", d: "tok", loss: "val" });
    expect(toRunPoints(tsv, "runs.tsv")).toEqual([
      { n: 1e8, d: 2e9, loss: 3.1, line: 2 },
      { n: 2e8, d: 4e9, loss: 2.9, line: 3 },
    ]);
    const jsonl = parseRuns('{"params": 1e8, "tokens": 2e9, "loss": 3.1}\n\n{"params": 2e8, "flops": 4.8e18, "loss": 2.9}\n', "runs.jsonl");
    expect(jsonl.format).toBe("jsonl");
    expect(jsonl.rows[1]).toMatchObject({ line: 3, n: 2e8, c: 4.8e18, loss: 2.9 });
    const quoted = parseRuns('"N","D","loss, nats"\n1e8,2e9,3.1\n', "q.csv", { loss: "loss, nats" });
    expect(quoted.rows[0]).toMatchObject({ n: 1e8, d: 2e9, loss: 3.1 });
  });

  it("names the file, line and column for bad values and duplicates", () => {
    expect(() => parseRuns("N,D,loss\n1e8,2e9,3\n1e8,2e9,-1\n", "r.csv")).toThrow('r.csv:3: column "loss": -1');
    expect(() => parseRuns("N,D,loss\n1e8,2e9,NaN\n", "r.csv")).toThrow("a finite number > 0");
    expect(() => parseRuns("N,D,loss\n1e8,2e9,3\n1e8,2e9,3\n", "r.csv")).toThrow("r.csv:3: duplicate of line 2");
    expect(() => toRunPoints(parseRuns("N,loss\n1e8,3\n", "r.csv"), "r.csv")).toThrow("missing column(s): two of N (params), D (tokens), C (flops); found N");
    expect(() => parseRuns("N,D,loss\n1,2,3\n", "r.csv", { n: "params" })).toThrow('--columns: "n=params" is not allowed');
    expect(() => parseColumnMapping("x=foo")).toThrow("--columns");
  });
});

describe("splitRecords (CSV/TSV records, unquoted text taken a run at a time)", () => {
  // The character-at-a-time reader it replaced: the records must be the same for any text.
  function reference(text: string, sep: string): Array<{ line: number; cells: string[] }> {
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
      } else cell += ch;
    }
    cells.push(cell);
    if (cells.some((c) => c.trim() !== "")) records.push({ line: start, cells });
    return records;
  }

  it("splits like a character-at-a-time reader, quotes, separators and line breaks anywhere", () => {
    const text = fc.array(fc.constantFrom("a", "7", ".", " ", ",", "\t", "\n", "\r", '"'), { maxLength: 60 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(text, fc.constantFrom(",", "\t"), (t, sep) => {
        expect(splitRecords(t, sep)).toEqual(reference(t, sep));
      }),
      { numRuns: 3000 },
    );
    for (const t of ['n,loss\n1,"2,5"\n', 'a"b,"c""d"\r\n"e\nf",g', '"",x\n""y,z', "x,y\n\n\n1,2"]) expect(splitRecords(t, ","), t).toEqual(reference(t, ","));
  });
});
