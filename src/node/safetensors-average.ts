// Streaming weight averaging of safetensors checkpoints: SWA (uniform; Hägele et al. 2024 §4, spec §A.4) and EMA
// over checkpoints (avg ← d·avg + (1 − d)·x in checkpoint order, starting from the first).
// Tensors are processed in chunks read with positional reads, so memory stays O(chunk × files) whatever the
// checkpoint size. Each tensor keeps its dtype; accumulation is in f64 (or f32 on request). The output is written
// to a temporary file beside the target and renamed at the end: an interrupted or failed run leaves nothing.
import { randomBytes } from "node:crypto";
import { readSync, writeSync } from "node:fs";
import { open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { InputError, UsageError } from "../core/errors.ts";
import {
  encodeSafetensorsHeader,
  FLOAT_DTYPES,
  floatToHalf,
  halfToFloatTable,
  headerLength,
  parseSafetensorsHeader,
  type SafetensorsHeader,
  type TensorInfo,
} from "../core/safetensors.ts";

export interface AverageOptions {
  readonly inputs: readonly string[];
  readonly output: string;
  /** "swa": uniform weights; "ema": weights of the recursion avg ← d·avg + (1 − d)·x. */
  readonly method: "swa" | "ema";
  readonly emaDecay?: number;
  readonly accumulate?: "f64" | "f32";
  /** Elements per chunk (default 1 Mi). */
  readonly chunkElements?: number;
  readonly onProgress?: (doneBytes: number, totalBytes: number) => void;
}

export interface AverageReport {
  readonly output: string;
  readonly method: "swa" | "ema";
  readonly weights: readonly number[];
  readonly tensors: number;
  readonly dtypes: Readonly<Record<string, number>>;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly seconds: number;
  readonly readMBps: number;
}

/** Checkpoint weights: uniform (SWA) or the closed form of the EMA recursion (w_0 = d^(k−1), w_i = (1−d)·d^(k−1−i)). */
export function averageWeights(k: number, method: "swa" | "ema", decay = 0.95): number[] {
  if (method === "swa") return new Array<number>(k).fill(1 / k);
  return Array.from({ length: k }, (_, i) => (i === 0 ? decay ** (k - 1) : (1 - decay) * decay ** (k - 1 - i)));
}

async function readHeader(path: string): Promise<{ fh: FileHandle; header: SafetensorsHeader; size: number }> {
  let fh: FileHandle;
  try {
    fh = await open(path, "r");
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new UsageError(`cannot read ${path}: ${reason}`);
  }
  try {
    const size = (await fh.stat()).size;
    const first = new Uint8Array(8);
    await fh.read(first, 0, 8, 0);
    const n = headerLength(first, size, path);
    const json = new Uint8Array(n);
    await fh.read(json, 0, n, 8);
    return { fh, header: parseSafetensorsHeader(json, size, path), size };
  } catch (error) {
    await fh.close();
    throw error;
  }
}

function describeShape(t: TensorInfo): string {
  return `[${t.shape.join(", ")}] ${t.dtype}`;
}

/** Names, shapes and dtypes must agree with the first checkpoint; the error says which tensor and what differs. */
function checkCompatible(first: SafetensorsHeader, firstName: string, other: SafetensorsHeader, otherName: string): void {
  const mine = new Map(first.tensors.map((t) => [t.name, t]));
  const theirs = new Map(other.tensors.map((t) => [t.name, t]));
  for (const [name, a] of mine) {
    const b = theirs.get(name);
    if (!b) throw new InputError(`${otherName}: tensor ${JSON.stringify(name)}`, "missing", `the same tensors as ${firstName}`, `${otherName}: tensor ${JSON.stringify(name)} is missing (present in ${firstName}): checkpoints must have the same tensors`);
    if (a.dtype !== b.dtype) throw new InputError(`${otherName}: tensor ${JSON.stringify(name)}: dtype`, b.dtype, a.dtype, `${otherName}: tensor ${JSON.stringify(name)} has dtype ${b.dtype}, ${firstName} has ${a.dtype}: checkpoints must agree`);
    if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
      throw new InputError(`${otherName}: tensor ${JSON.stringify(name)}: shape`, b.shape, describeShape(a), `${otherName}: tensor ${JSON.stringify(name)} has shape [${b.shape.join(", ")}], ${firstName} has [${a.shape.join(", ")}]: checkpoints must agree`);
    }
  }
  for (const name of theirs.keys()) {
    if (!mine.has(name)) throw new InputError(`${otherName}: tensor ${JSON.stringify(name)}`, "extra", `the same tensors as ${firstName}`, `${otherName}: tensor ${JSON.stringify(name)} is not in ${firstName}: checkpoints must have the same tensors`);
  }
}

/** Adds w·x (decoded from `bytes`, `count` elements of `dtype`) into acc. */
function accumulate64(acc: Float64Array, bytes: Uint8Array, dtype: TensorInfo["dtype"], count: number, w: number, first: boolean, scratch: Uint32Array): void {
  switch (dtype) {
    case "F64": {
      const x = new Float64Array(bytes.buffer, bytes.byteOffset, count);
      if (first) for (let i = 0; i < count; i++) acc[i] = w * x[i]!;
      else for (let i = 0; i < count; i++) acc[i]! += w * x[i]!;
      return;
    }
    case "F32": {
      const x = new Float32Array(bytes.buffer, bytes.byteOffset, count);
      if (first) for (let i = 0; i < count; i++) acc[i] = w * x[i]!;
      else for (let i = 0; i < count; i++) acc[i]! += w * x[i]!;
      return;
    }
    case "F16": {
      const table = halfToFloatTable();
      const x = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
      if (first) for (let i = 0; i < count; i++) acc[i] = w * table[x[i]!]!;
      else for (let i = 0; i < count; i++) acc[i]! += w * table[x[i]!]!;
      return;
    }
    case "BF16": {
      // bf16 is the top half of an f32: widen the bits in bulk, then accumulate as f32.
      const x = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
      const bits = scratch;
      for (let i = 0; i < count; i++) bits[i] = x[i]! << 16;
      const f = new Float32Array(bits.buffer, 0, count);
      if (first) for (let i = 0; i < count; i++) acc[i] = w * f[i]!;
      else for (let i = 0; i < count; i++) acc[i]! += w * f[i]!;
      return;
    }
  }
}

/** As accumulate64 with an f32 accumulator (a separate copy keeps each loop monomorphic for the JIT). Adds w·x (decoded from `bytes`, `count` elements of `dtype`) into acc. */
function accumulate32(acc: Float32Array, bytes: Uint8Array, dtype: TensorInfo["dtype"], count: number, w: number, first: boolean, scratch: Uint32Array): void {
  switch (dtype) {
    case "F64": {
      const x = new Float64Array(bytes.buffer, bytes.byteOffset, count);
      if (first) for (let i = 0; i < count; i++) acc[i] = w * x[i]!;
      else for (let i = 0; i < count; i++) acc[i]! += w * x[i]!;
      return;
    }
    case "F32": {
      const x = new Float32Array(bytes.buffer, bytes.byteOffset, count);
      if (first) for (let i = 0; i < count; i++) acc[i] = w * x[i]!;
      else for (let i = 0; i < count; i++) acc[i]! += w * x[i]!;
      return;
    }
    case "F16": {
      const table = halfToFloatTable();
      const x = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
      if (first) for (let i = 0; i < count; i++) acc[i] = w * table[x[i]!]!;
      else for (let i = 0; i < count; i++) acc[i]! += w * table[x[i]!]!;
      return;
    }
    case "BF16": {
      // bf16 is the top half of an f32: widen the bits in bulk, then accumulate as f32.
      const x = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
      const bits = scratch;
      for (let i = 0; i < count; i++) bits[i] = x[i]! << 16;
      const f = new Float32Array(bits.buffer, 0, count);
      if (first) for (let i = 0; i < count; i++) acc[i] = w * f[i]!;
      else for (let i = 0; i < count; i++) acc[i]! += w * f[i]!;
      return;
    }
  }
}

function encode(acc: Float64Array | Float32Array, out: Uint8Array, dtype: TensorInfo["dtype"], count: number): void {
  switch (dtype) {
    case "F64":
      new Float64Array(out.buffer, out.byteOffset, count).set(acc.subarray(0, count));
      return;
    case "F32":
      new Float32Array(out.buffer, out.byteOffset, count).set(acc.subarray(0, count));
      return;
    case "F16": {
      const o = new Uint16Array(out.buffer, out.byteOffset, count);
      for (let i = 0; i < count; i++) o[i] = floatToHalf(acc[i]!);
      return;
    }
    case "BF16": {
      // Round to f32 with a typed-array copy, then to bf16 (round to nearest even) on the bits; inlined floatToBf16.
      const f = new Float32Array(count);
      f.set(acc.subarray(0, count));
      const bits = new Uint32Array(f.buffer);
      const o = new Uint16Array(out.buffer, out.byteOffset, count);
      for (let i = 0; i < count; i++) {
        const x = bits[i]!;
        o[i] = (x & 0x7f800000) === 0x7f800000 && x & 0x7fffff ? ((x >>> 16) | 0x40) & 0xffff : ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
      }
      return;
    }
  }
}

export async function averageSafetensors(o: AverageOptions, now: () => number = () => performance.now()): Promise<AverageReport> {
  if (o.inputs.length === 0) throw new UsageError("average: give at least one input checkpoint");
  const decay = o.emaDecay ?? 0.95;
  if (o.method === "ema" && !(decay > 0 && decay < 1)) throw new InputError("--ema", decay, "a decay in (0, 1)");
  const started = now();
  const files: Array<{ path: string; fh: FileHandle; header: SafetensorsHeader; size: number }> = [];
  const tmp = join(dirname(o.output), `.${basename(o.output)}.${randomBytes(6).toString("hex")}.tmp`);
  let out: FileHandle | undefined;
  try {
    for (const path of o.inputs) files.push({ path, ...(await readHeader(path)) });
    const first = files[0]!;
    for (const f of files.slice(1)) checkCompatible(first.header, first.path, f.header, f.path);
    const weights = averageWeights(files.length, o.method, decay);
    const tensors = first.header.tensors;
    const metadata = { ...first.header.metadata, scaleplan_average: o.method === "swa" ? `swa over ${files.length} checkpoints` : `ema decay ${decay} over ${files.length} checkpoints` };
    const { bytes: headerBytes, offsets } = encodeSafetensorsHeader(tensors, metadata);
    try {
      out = await open(tmp, "wx");
    } catch (error) {
      const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
      throw new UsageError(`cannot write ${o.output}: ${reason}`);
    }
    await out.write(headerBytes, 0, headerBytes.length, 0);
    const chunk = o.chunkElements ?? 1 << 18; // 256 Ki elements: the accumulator stays in L2 (measured fastest, README)
    const acc = o.accumulate === "f32" ? new Float32Array(chunk) : new Float64Array(chunk);
    const inBuf = new Uint8Array(new ArrayBuffer(chunk * 8));
    const outBuf = new Uint8Array(new ArrayBuffer(chunk * 8));
    const scratch = new Uint32Array(chunk);
    const totalBytes = files.reduce((s, f) => s + f.size, 0);
    let bytesRead = files.reduce((s, f) => s + 8 + (f.header.dataStart - 8), 0);
    const dtypes: Record<string, number> = {};
    const byName = files.map((f) => new Map(f.header.tensors.map((t) => [t.name, t])));
    for (const [ti, t] of tensors.entries()) {
      dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + 1;
      const size = FLOAT_DTYPES[t.dtype];
      const numel = (t.end - t.begin) / size;
      const outPos = headerBytes.length + offsets[ti]!;
      for (let start = 0; start < numel; start += chunk) {
        const count = Math.min(chunk, numel - start);
        for (const [fi, f] of files.entries()) {
          const info = byName[fi]!.get(t.name)!;
          // Positional synchronous reads: no promise per chunk; the chunk is large enough that syscalls are cheap.
          const got = readSync(f.fh.fd, inBuf, 0, count * size, info.begin + start * size);
          if (got !== count * size) throw new InputError(`${f.path}: tensor ${JSON.stringify(t.name)}`, got, `${count * size} bytes (the file is truncated)`);
          // The first checkpoint assigns (no separate zeroing pass), the others add.
          if (acc instanceof Float64Array) accumulate64(acc, inBuf, t.dtype, count, weights[fi]!, fi === 0, scratch);
          else accumulate32(acc, inBuf, t.dtype, count, weights[fi]!, fi === 0, scratch);
          bytesRead += got;
        }
        encode(acc, outBuf, t.dtype, count);
        writeSync(out.fd, outBuf, 0, count * size, outPos + start * size);
        o.onProgress?.(bytesRead, totalBytes);
      }
    }
    await out.close();
    out = undefined;
    await rename(tmp, o.output);
    const seconds = (now() - started) / 1000;
    const bytesWritten = (await stat(o.output)).size;
    return { output: o.output, method: o.method, weights, tensors: tensors.length, dtypes, bytesRead, bytesWritten, seconds, readMBps: bytesRead / 1e6 / seconds };
  } catch (error) {
    if (out) await out.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  } finally {
    for (const f of files) await f.fh.close().catch(() => undefined);
  }
}
