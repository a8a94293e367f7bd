// Streamed output (issue 13: `schedule constant:steps=5000000 --csv` built ~150 MB in memory): streamTable and
// streamJson write rows in chunks and must print exactly what printTable and printJson print for the same rows,
// across chunk boundaries (10,000 rows), for empty and one-row tables, and with cells that need quoting.
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { printJson, printTable, streamJson, streamTable } from "../../src/cli/output.ts";
import { runCli } from "../../src/cli/program.ts";

type Row = Array<string | number>;
const columns = ["step", "name", "value"];
const rowAt = (i: number): Row => [i, i % 7 === 0 ? `a,"b"\n${i}` : `r${i}`, i % 3 === 0 ? -i / 7 : 1e-300 * i];

describe("streamed tables and JSON are byte-identical to the whole-document printers", () => {
  for (const count of [0, 1, 9_999, 10_000, 10_001, 25_003]) {
    it(`${count} rows`, async () => {
      const rows = Array.from({ length: count }, (_, i) => rowAt(i));
      for (const format of ["csv", "text"] as const) {
        const whole = memoryIO();
        printTable(whole, { columns, rows }, format);
        const streamed = memoryIO();
        await streamTable(streamed, columns, { count, row: rowAt }, format);
        expect(streamed.out).toBe(whole.out);
      }
      const value = { kind: "x", points: null as unknown, after: { nested: [1, 2] }, last: "z" };
      const whole = memoryIO();
      printJson(whole, { ...value, points: rows.map((r) => ({ step: r[0], name: r[1], v: r[2] })) });
      const streamed = memoryIO();
      await streamJson(streamed, value, "points", { count, row: (i) => { const r = rowAt(i); return { step: r[0], name: r[1], v: r[2] }; } });
      expect(streamed.out).toBe(whole.out);
    });
  }

  it("schedule --csv of 200,000 steps writes every step once, in order", async () => {
    const io = memoryIO();
    expect(await runCli(["schedule", "constant:steps=200000,warmup=10", "--csv"], io)).toBe(0);
    const lines = io.out.trimEnd().split("\n");
    expect(lines).toHaveLength(200_001);
    expect(lines[0]).toBe("step,factor,lr");
    expect(lines[200_000]!.startsWith("199999,1,1")).toBe(true);
    expect(io.err).toBe("");
  });
});
