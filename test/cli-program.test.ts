import { describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/program.ts";

describe("the scaleplan command line", () => {
  it("prints help and exits 0", async () => {
    const io = memoryIO();
    expect(await runCli(["--help"], io)).toBe(0);
    expect(io.out).toContain("Usage: scaleplan");
  });

  it("rejects an unknown option with one line on stderr and exit code 2", async () => {
    const io = memoryIO();
    expect(await runCli(["--no-such-option"], io)).toBe(2);
    expect(io.err.trim().split("\n")).toHaveLength(1);
    expect(io.err).toContain("--no-such-option");
    expect(io.out).toBe("");
  });
});
