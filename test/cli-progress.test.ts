import { describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { progressReporter } from "../src/cli/progress.ts";

describe("progressReporter", () => {
  it("stays silent for work shorter than a second", () => {
    const io = memoryIO();
    let t = 0;
    const p = progressReporter(io, "sweep", () => t);
    t = 900;
    p.update(5, 10);
    p.end();
    expect(io.err).toBe("");
  });

  it("prints one line per 10 % on a non-terminal once a second has passed", () => {
    const io = memoryIO();
    let t = 0;
    const p = progressReporter(io, "sweep", () => t);
    t = 1500;
    for (let i = 1; i <= 20; i++) p.update(i, 20);
    p.end();
    const lines = io.err.trim().split("\n");
    expect(lines).toHaveLength(11); // 0 %, 10 %, …, 100 %
    expect(lines.at(-1)).toBe("sweep: 20/20 (100%)");
    expect(io.out).toBe("");
  });
});
