import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UsageError } from "../core/errors.ts";

/** Temporary files being written right now; main.ts removes them if the process is interrupted (Ctrl-C). */
const pendingTempFiles = new Set<string>();

/** A unique temporary path beside `path`, registered for removal on interruption until `releaseTempPath`. */
export function claimTempPath(path: string): string {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  pendingTempFiles.add(tmp);
  return tmp;
}

/** The temporary file was renamed into place or removed: nothing left to clean up. */
export function releaseTempPath(tmp: string): void {
  pendingTempFiles.delete(tmp);
}

/** Removes every temporary file still being written (synchronously: called from a signal handler). */
export function removePendingTempFiles(): void {
  for (const tmp of pendingTempFiles) rmSync(tmp, { force: true });
  pendingTempFiles.clear();
}

/**
 * Writes a file atomically: a temporary file beside the target, then rename. An interrupted or failed run
 * never leaves a partial file behind.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = claimTempPath(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
    releaseTempPath(tmp);
  } catch (error) {
    await rm(tmp, { force: true });
    releaseTempPath(tmp);
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new UsageError(`cannot write ${path}: ${reason}`);
  }
}

/** Reads a text file, "-" meaning standard input; a missing file is bad input (exit 2), not a crash. */
export async function readTextInput(path: string): Promise<string> {
  try {
    if (path === "-") {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    }
    return await readFile(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new UsageError(`cannot read ${path}: ${reason}`);
  }
}
