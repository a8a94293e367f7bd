import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseColumnMapping, parseRuns, toRunPoints } from "../../src/core/scaling/index.ts";

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
