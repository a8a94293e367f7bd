// Files in and out at the CLI's edge: reads that say what was wrong with the path, atomic writes that never leave a
// partial file, and the temporary files' clean-up on Ctrl-C/SIGTERM and on the next run after a kill -9.
import { randomBytes } from "node:crypto";
import { readdirSync, rmSync, statSync } from "node:fs";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { InputError, IoError } from "../core/errors.ts";
import { formatBytes } from "../core/format.ts";

/** Error codes that mean the path the user typed is wrong (exit 2); any other failure is the system's (exit 1). */
const BAD_PATH_CODES = new Set(["ENOENT", "ENOTDIR", "EISDIR", "ENAMETOOLONG", "ELOOP", "EINVAL"]);

/** What each code means, for the one error line. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "it is a directory",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EIO: "input/output error",
  EMFILE: "too many open files",
};

function codeOf(error: unknown): string {
  return error instanceof Error && "code" in error ? String((error as { code: unknown }).code) : "";
}

/**
 * A failed read or write as one error line: "cannot write out.svg: no space left on the device (ENOSPC)".
 * A path that is wrong (missing, a directory, …) is bad input naming the option (exit 2); anything else —
 * a full disk, a permission, an I/O error — is a failure of the system (exit 1).
 */
export function fileError(error: unknown, verb: "read" | "write", path: string, option?: string): Error {
  if (error instanceof InputError || error instanceof IoError) return error;
  const code = codeOf(error);
  const reason = REASONS[code] ?? (error instanceof Error ? error.message.split("\n")[0]! : String(error));
  const text = `cannot ${verb} ${path}: ${reason}${code ? ` (${code})` : ""}`;
  if (BAD_PATH_CODES.has(code)) {
    const field = option ?? path;
    return new InputError(field, path, `a path to ${verb === "read" ? "a readable file" : "a file in an existing directory"}`, `${option ? `${option}: ` : ""}${text}`);
  }
  return new IoError(text);
}

// ---- temporary files ----

/** Temporary files being written right now; removed if the process is interrupted (Ctrl-C, SIGTERM). */
const pendingTempFiles = new Set<string>();

/** Exit codes of a process ended by a signal (128 + the signal's number), as a shell reports them. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

function onSignal(signal: keyof typeof SIGNAL_EXIT): void {
  removePendingTempFiles();
  process.exit(SIGNAL_EXIT[signal]);
}
const handlers = { SIGINT: () => onSignal("SIGINT"), SIGTERM: () => onSignal("SIGTERM") };

/**
 * Signal handlers exist only while a temporary file does. Otherwise the default action ends the process at once,
 * even in the middle of a long synchronous computation (a JavaScript handler runs only when the event loop is free,
 * which is why handlers installed for the whole run made Ctrl-C wait for the computation to finish).
 */
function updateSignalHandlers(): void {
  for (const signal of Object.keys(handlers) as Array<keyof typeof handlers>) {
    const installed = process.listeners(signal).includes(handlers[signal]);
    if (pendingTempFiles.size > 0 && !installed) process.on(signal, handlers[signal]);
    if (pendingTempFiles.size === 0 && installed) process.removeListener(signal, handlers[signal]);
  }
}

const TEMP_SUFFIX = ".tmp";

/** `.NAME.PID.RANDOM.tmp` beside the target: the process id says, on a later run, whether the writer is gone. */
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === "EPERM";
  }
}

/**
 * Removes temporary files beside `path` left by a writer that no longer runs (killed with SIGKILL, or the machine
 * went down): `.NAME.PID.RANDOM.tmp` whose PID is not a running process. Best effort: errors are ignored.
 */
export function removeStaleTempFiles(path: string): string[] {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const m = /^(\d+)\.[0-9a-f]+$/.exec(name.slice(prefix.length, -TEMP_SUFFIX.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    try {
      rmSync(join(dir, name), { force: true });
      removed.push(join(dir, name));
    } catch {
      // Not ours to remove (permissions): leave it.
    }
  }
  return removed;
}

/**
 * A unique temporary path beside `path`, registered for removal on interruption until `releaseTempPath`. Stale
 * temporary files of the same target from an earlier, killed run are removed first.
 */
export function claimTempPath(path: string): string {
  removeStaleTempFiles(path);
  const tmp = tempName(path);
  pendingTempFiles.add(tmp);
  updateSignalHandlers();
  return tmp;
}

/** The temporary file was renamed into place or removed: nothing left to clean up. */
export function releaseTempPath(tmp: string): void {
  pendingTempFiles.delete(tmp);
  updateSignalHandlers();
}

/** Removes every temporary file still being written (synchronously: called from a signal handler). */
export function removePendingTempFiles(): void {
  for (const tmp of pendingTempFiles) rmSync(tmp, { force: true });
  pendingTempFiles.clear();
  updateSignalHandlers();
}

/**
 * Checks an output path before any work is done: not empty, not a directory, in an existing directory. A bad
 * path is bad input naming `option` (exit 2); the check is repeated by the write itself.
 */
export function checkOutputPath(path: string, option: string): void {
  if (path.trim() === "") throw new InputError(option, path, "a file name");
  if (/[/\\]$/.test(path)) throw new InputError(option, path, "a file name, not a directory");
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // Does not exist yet: the usual case.
  }
  if (isDirectory) throw new InputError(option, path, "a file name, not a directory", `${option}: cannot write ${path}: it is a directory (EISDIR)`);
  try {
    if (!statSync(dirname(path)).isDirectory()) throw new InputError(option, path, "a file in an existing directory", `${option}: cannot write ${path}: ${dirname(path)} is not a directory (ENOTDIR)`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw fileError(error, "write", path, option);
  }
}

/**
 * Writes a file atomically: a temporary file beside the target, then rename. An interrupted or failed run
 * never leaves a partial file behind. `option` names the flag that gave the path in errors.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, option?: string): Promise<void> {
  if (option !== undefined) checkOutputPath(path, option);
  else if (path.trim() === "") throw new InputError("output", path, "a file name");
  const tmp = claimTempPath(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
    releaseTempPath(tmp);
  } catch (error) {
    await rm(tmp, { force: true });
    releaseTempPath(tmp);
    throw fileError(error, "write", path, option);
  }
}

/** Largest text input read into memory (run files, configurations, curves): 256 MB. */
export const MAX_TEXT_INPUT_BYTES = 256 * 1024 * 1024;

/** Reads a text file, "-" meaning standard input; a missing file or a directory is bad input (exit 2), not a crash. */
export async function readTextInput(path: string, option?: string): Promise<string> {
  try {
    if (path === "-") {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        if (size > MAX_TEXT_INPUT_BYTES) throw new InputError(option ?? "stdin", `more than ${formatBytes(MAX_TEXT_INPUT_BYTES)}`, `at most ${formatBytes(MAX_TEXT_INPUT_BYTES)}`);
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString("utf8");
    }
    if (path.trim() === "") throw new InputError(option ?? "file", path, "a file name");
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (info.size > MAX_TEXT_INPUT_BYTES) {
      throw new InputError(option ?? path, path, `a file of at most ${formatBytes(MAX_TEXT_INPUT_BYTES)}`, `${option ? `${option}: ` : ""}cannot read ${path}: ${formatBytes(info.size)}; expected at most ${formatBytes(MAX_TEXT_INPUT_BYTES)}`);
    }
    return await readFile(path, "utf8");
  } catch (error) {
    throw fileError(error, "read", path, option);
  }
}
