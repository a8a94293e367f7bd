import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/core/errors.ts";
import { claimTempPath, releaseTempPath, removePendingTempFiles, writeFileAtomic } from "../src/node/files.ts";

describe("atomic file output", () => {
  it("writes the whole file and leaves no temporary file behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-files-"));
    await writeFileAtomic(join(dir, "out.csv"), "a,b\n1,2\n");
    expect(readdirSync(dir)).toEqual(["out.csv"]);
    expect(readFileSync(join(dir, "out.csv"), "utf8")).toBe("a,b\n1,2\n");
  });

  it("reports a target in a missing folder as bad input (a wrong path) and leaves nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-files-"));
    await expect(writeFileAtomic(join(dir, "missing-dir", "out.svg"), "<svg/>")).rejects.toBeInstanceOf(InputError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("removes temporary files still being written when the process is interrupted", () => {
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-files-"));
    const interrupted = claimTempPath(join(dir, "avg.safetensors"));
    const finished = claimTempPath(join(dir, "other.safetensors"));
    writeFileSync(interrupted, "partial");
    writeFileSync(finished, "done");
    releaseTempPath(finished);
    removePendingTempFiles();
    expect(existsSync(interrupted)).toBe(false);
    expect(existsSync(finished)).toBe(true);
  });
});
