// Issue 13: output streams, paths and signals. EPIPE ends quietly with exit 0; a bad path is one line (exit 2),
// a failing system one line (exit 1); SIGINT/SIGTERM end a long synchronous computation at once (130/143);
// `average` removes the temporary files a killed run left and keeps every tensor and metadata entry.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { encodeSafetensorsHeader } from "../../src/core/safetensors.ts";
import { InputError, IoError } from "../../src/core/errors.ts";
import { claimTempPath, fileError, releaseTempPath, removeStaleTempFiles } from "../../src/node/files.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const RUNS = join(ROOT, "examples", "chinchilla", "svg_extracted_data.csv");

async function run(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

/** The CLI as a process (node with the tsx loader only: the tsx CLI would add its own signal relaying). */
function cli(args: string[]) {
  return spawn(process.execPath, ["--import", "tsx/esm", join(ROOT, "src", "cli", "main.ts"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
}

function exited(child: ReturnType<typeof cli>): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; err: string }> {
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => {
    let since = 0;
    child.on("spawn", () => (since = performance.now()));
    child.on("exit", (code, signal) => resolve({ code, signal, ms: performance.now() - since, err }));
  });
}

const dir = mkdtempSync(join(tmpdir(), "scaleplan-streams-"));

function safetensors(path: string, names: string[], metadata: Record<string, string> = { format: "pt" }): void {
  const tensors = names.map((name) => ({ name, dtype: "F32" as const, shape: [2] }));
  const { bytes } = encodeSafetensorsHeader(tensors, metadata);
  writeFileSync(path, Buffer.concat([bytes, Buffer.alloc(8 * names.length)]));
}

describe("stdout closed early (scaleplan … | head -1)", () => {
  it("ends quietly with exit 0", async () => {
    const child = cli(["schedule", "wsd:steps=300000", "--csv"]);
    const done = exited(child);
    child.stdout!.once("data", () => child.stdout!.destroy());
    const r = await done;
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  }, 30_000);
});

describe("signals during a long synchronous computation", () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`${signal} ends fit --bootstrap within a second with ${code}`, async () => {
      const child = cli(["fit", RUNS, "--bootstrap", "100000", "--json"]);
      const done = exited(child);
      // The progress line appears after a second of work: the bootstrap loop is running, synchronously.
      await new Promise<void>((resolve) => child.stderr!.on("data", (d: Buffer) => d.toString().includes("bootstrap") && resolve()));
      const sent = performance.now();
      child.kill(signal);
      const r = await done;
      expect(performance.now() - sent).toBeLessThan(1000);
      expect(r.code === code || r.signal === signal).toBe(true);
    }, 60_000);
  }
});

describe("paths", () => {
  const input = join(dir, "a.safetensors");
  safetensors(input, ["w"]);

  const bad: Array<[string, string[], RegExp]> = [
    ["-o ''", ["average", input, "-o", ""], /^scaleplan: --output: "" is not allowed; expected a file name\n$/],
    ["-o DIR", ["average", input, "-o", dir], /^scaleplan: --output: cannot write .*: it is a directory \(EISDIR\)\n$/],
    ["-o missing/dir/", ["average", input, "-o", join(dir, "missing", "dir") + "/"], /^scaleplan: --output: ".*missing\/dir\/" is not allowed; expected a file name, not a directory\n$/],
    ["-o missing/x", ["average", input, "-o", join(dir, "missing", "x.safetensors")], /^scaleplan: --output: cannot write .*x\.safetensors: no such file or directory \(ENOENT\)\n$/],
    ["a directory as a checkpoint", ["average", dir, "-o", join(dir, "o.safetensors")], /^scaleplan: cannot read .*: it is a directory \(EISDIR\)\n$/],
    ["a missing checkpoint", ["average", join(dir, "nope.safetensors"), "-o", join(dir, "o.safetensors")], /^scaleplan: cannot read .*nope\.safetensors: no such file or directory \(ENOENT\)\n$/],
    ["a directory as runs", ["fit", dir], /^scaleplan: cannot read .*: it is a directory \(EISDIR\)\n$/],
    ["a directory as a run config", ["step", "--config", dir], /^scaleplan: cannot read .*: it is a directory \(EISDIR\)\n$/],
    ["--plot in a missing folder", ["fit", RUNS, "--plot", join(dir, "missing", "p.svg"), "--bootstrap", "0"], /^scaleplan: --plot: cannot write .*p\.svg: .*\(ENOENT\)\n$/],
    ["--plot a directory", ["schedule", "cosine:steps=10", "--plot", `${dir}/x.svg/`], /^scaleplan: --plot: .* is not allowed; expected a file name ending in \.svg or \.png\n$/],
  ];
  for (const [what, args, err] of bad) {
    it(`${what}: one line, exit 2, nothing written`, async () => {
      const before = readdirSync(dir).sort();
      const r = await run(...args);
      expect(r.err).toMatch(err);
      expect(r.code).toBe(2);
      expect(readdirSync(dir).sort()).toEqual(before);
    });
  }

  it("a failing system (a full disk, an I/O error) is one line with exit 1, a wrong path exit 2", () => {
    const full = fileError(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }), "write", "p.png", "--plot");
    expect(full).toBeInstanceOf(IoError);
    expect(full.message).toBe("cannot write p.png: no space left on the device (ENOSPC)");
    expect(fileError(Object.assign(new Error("x"), { code: "EIO" }), "read", "r.csv")).toBeInstanceOf(IoError);
    expect(fileError(Object.assign(new Error("x"), { code: "ENOENT" }), "read", "r.csv")).toBeInstanceOf(InputError);
  });
});

describe("average: temporary files and data", () => {
  it("removes a temporary file a killed run left beside the output, and only dead writers'", async () => {
    const out = join(dir, "avg.safetensors");
    const stale = join(dir, ".avg.safetensors.999999999.0a1b2c.tmp");
    const live = join(dir, `.avg.safetensors.${process.pid}.0a1b2c.tmp`);
    writeFileSync(stale, "partial");
    writeFileSync(live, "being written");
    const r = await run("average", join(dir, "a.safetensors"), "-o", out);
    expect(r.code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(removeStaleTempFiles(out)).toEqual([]);
  });

  it("keeps a tensor named __proto__ and every metadata entry", async () => {
    const a = join(dir, "p1.safetensors");
    const b = join(dir, "p2.safetensors");
    safetensors(a, ["__proto__", "w"], { format: "pt", note: "x" });
    safetensors(b, ["__proto__", "w"], { format: "pt", note: "x" });
    const out = join(dir, "p.safetensors");
    const r = await run("average", a, b, "-o", out);
    expect(r.err).toBe("");
    const buf = readFileSync(out);
    const header = buf.subarray(8, 8 + Number(buf.readBigUInt64LE(0))).toString();
    expect(Object.keys(JSON.parse(header)).sort()).toEqual(["__metadata__", "__proto__", "w"]);
    expect(JSON.parse(header).__metadata__).toMatchObject({ format: "pt", note: "x" });
  });

  it("signal handlers exist only while a temporary file does", () => {
    const sub = join(dir, "h");
    mkdirSync(sub);
    const before = process.listenerCount("SIGINT");
    const tmp = claimTempPath(join(sub, "x.svg"));
    expect(process.listenerCount("SIGINT")).toBe(before + 1);
    expect(process.listenerCount("SIGTERM")).toBeGreaterThan(0);
    releaseTempPath(tmp);
    expect(process.listenerCount("SIGINT")).toBe(before);
  });
});
