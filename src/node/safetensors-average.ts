// Streaming weight averaging of safetensors checkpoints: SWA (uniform; Hägele et al. 2024 §4, spec §A.4) and EMA
// over checkpoints (avg ← d·avg + (1 − d)·x in checkpoint order, starting from the first).
// Tensors are processed in chunks read with positional reads, so memory stays O(chunk) whatever the checkpoint
// size and count: one f64 accumulator and two read buffers; the next chunk (of the next checkpoint) is read on
// libuv's thread pool while this one is accumulated (`prefetch`), so disk time and arithmetic overlap.
// Each tensor keeps its dtype. Accumulation is in f64 by default, in WebAssembly SIMD kernels for f32 and bf16
// (./average-kernels.ts: bit-identical to the scalar loops except NaN payloads); f64 costs nothing extra there,
// while --accumulate f32 keeps the scalar loops (slower, measured) for those who want it. The output is written
// to a temporary file beside the target and renamed at the end: an interrupted or failed run leaves nothing.
import { readSync, writeSync } from "node:fs";
import { open, rename, rm, stat, type FileHandle } from "node:fs/promises";
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
import { instantiateAverageKernels } from "./average-kernels.ts";
import { checkOutputPath, claimTempPath, fileError, releaseTempPath } from "./files.ts";

/** Elements per chunk: 256 Ki (1 MiB reads of f32; a 2 MiB accumulator that stays in cache); least CPU of 64 Ki–1 Mi in bench/schedules.bench.ts (README). */
const DEFAULT_CHUNK_ELEMENTS = 1 << 18;

export interface AverageOptions {
  readonly inputs: readonly string[];
  readonly output: string;
  /** "swa": uniform weights; "ema": weights of the recursion avg ← d·avg + (1 − d)·x. */
  readonly method: "swa" | "ema";
  readonly emaDecay?: number;
  readonly accumulate?: "f64" | "f32";
  /** Elements per chunk (default 256 Ki). */
  readonly chunkElements?: number;
  /**
   * Read the next chunk on libuv's thread pool while accumulating this one (default), so disk time and arithmetic
   * overlap. Measured (README): cold, faster in 2 of 4 benchmark runs by a lot (1.39× vs 1.91× cat, 1.18× vs
   * 1.68×) and slower in 2 by a little (1.54× vs 1.40×, 1.44× vs 1.35×); warm 0–15 % slower (thread hand-off).
   * Checkpoints are usually read cold, so it is on.
   */
  readonly prefetch?: boolean;
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
    throw fileError(error, "read", path);
  }
  try {
    const info = await fh.stat();
    if (info.isDirectory()) throw fileError(Object.assign(new Error("is a directory"), { code: "EISDIR" }), "read", path);
    const size = info.size;
    const first = new Uint8Array(8);
    await fh.read(first, 0, 8, 0);
    const n = headerLength(first, size, path);
    const json = new Uint8Array(n);
    await fh.read(json, 0, n, 8);
    return { fh, header: parseSafetensorsHeader(json, size, path), size };
  } catch (error) {
    await fh.close();
    throw errnoAsFileError(error, "read", path);
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

/** Where the next read lands: a job is one chunk of one tensor of one checkpoint. */
interface ReadJob {
  readonly ti: number;
  readonly start: number;
  readonly count: number;
  readonly fi: number;
}

interface InputFile {
  readonly path: string;
  readonly fh: FileHandle;
  readonly header: SafetensorsHeader;
  readonly size: number;
}

/**
 * The job after `j` (the first when undefined): the same chunk of the next checkpoint, then the next chunk, then
 * the next tensor; undefined after the last.
 */
function jobAfter(j: ReadJob | undefined, checkpoints: number, tensors: readonly TensorInfo[], chunk: number): ReadJob | undefined {
  const numel = (t: TensorInfo) => (t.end - t.begin) / FLOAT_DTYPES[t.dtype];
  let ti = j ? j.ti : 0;
  let start = j ? j.start : 0;
  let fi = j ? j.fi + 1 : 0;
  if (fi === checkpoints) {
    fi = 0;
    start += chunk;
  }
  while (ti < tensors.length && start >= numel(tensors[ti]!)) {
    ti++;
    start = 0;
  }
  if (ti === tensors.length) return undefined;
  return { ti, start, count: Math.min(chunk, numel(tensors[ti]!) - start), fi };
}

/**
 * The chunk buffers: the accumulator and two read buffers (the next chunk is read while this one is accumulated)
 * and the output buffer. f64 accumulation runs in the WebAssembly SIMD kernels (acc and the buffers live in their
 * memory); f32 accumulation, or a runtime without SIMD, uses the scalar loops.
 */
function chunkBuffers(chunk: number, accumulate: AverageOptions["accumulate"]) {
  const kernels = accumulate === "f32" ? undefined : instantiateAverageKernels(chunk * 8 * 4);
  const memory = kernels ? kernels.memory.buffer : new ArrayBuffer(chunk * 8 * 4);
  return {
    kernels,
    acc: accumulate === "f32" ? new Float32Array(chunk) : new Float64Array(memory, 0, chunk),
    inBufs: [new Uint8Array(memory, chunk * 8, chunk * 8), new Uint8Array(memory, chunk * 16, chunk * 8)] as const,
    outBuf: new Uint8Array(memory, chunk * 24, chunk * 8),
    scratch: new Uint32Array(chunk),
  };
}
type ChunkBuffers = ReturnType<typeof chunkBuffers>;

/** Reads job `j`'s elements into `buf` (on libuv's thread pool when `prefetch`); a short read is a truncated file. */
async function readChunk(j: ReadJob, buf: Uint8Array, files: readonly InputFile[], byName: ReadonlyArray<Map<string, TensorInfo>>, tensors: readonly TensorInfo[], prefetch: boolean): Promise<number> {
  const t = tensors[j.ti]!;
  const f = files[j.fi]!;
  const size = FLOAT_DTYPES[t.dtype];
  const info = byName[j.fi]!.get(t.name)!;
  const position = info.begin + j.start * size;
  let got: number;
  try {
    got = prefetch ? (await f.fh.read(buf, 0, j.count * size, position)).bytesRead : readSync(f.fh.fd, buf, 0, j.count * size, position);
  } catch (error) {
    throw fileError(error, "read", f.path);
  }
  if (got !== j.count * size) throw new InputError(`${f.path}: tensor ${JSON.stringify(t.name)}`, got, `${j.count * size} bytes (the file is truncated)`);
  return got;
}

/** Adds w · (the chunk in inBuf) to the accumulator (sets it for the first checkpoint). */
function accumulateChunk(b: ChunkBuffers, t: TensorInfo, inBuf: Uint8Array, count: number, w: number, firstFile: boolean): void {
  const { acc, kernels, scratch } = b;
  if (!(acc instanceof Float64Array)) return accumulate32(acc, inBuf, t.dtype, count, w, firstFile, scratch);
  const simd = kernels ? simdPrefix(t.dtype, count) : 0;
  if (simd > 0) {
    const kernel = t.dtype === "F32" ? (firstFile ? kernels!.setF32 : kernels!.addF32) : firstFile ? kernels!.setBf16 : kernels!.addBf16;
    kernel(0, inBuf.byteOffset, simd, w);
  }
  if (simd < count) {
    const size = FLOAT_DTYPES[t.dtype];
    accumulate64(acc.subarray(simd), inBuf.subarray(simd * size), t.dtype, count - simd, w, firstFile, scratch);
  }
}

/** Encodes the accumulated chunk in the tensor's dtype and writes it at `position` of the output. */
function writeChunk(b: ChunkBuffers, t: TensorInfo, count: number, fd: number, position: number): void {
  const { acc, kernels, outBuf } = b;
  const size = FLOAT_DTYPES[t.dtype];
  // bf16 and f32 output are rounded by the SIMD kernels (8 or 4 at a time; the rest by the scalar loop).
  const simd = kernels && acc instanceof Float64Array ? (t.dtype === "BF16" ? count & ~7 : t.dtype === "F32" ? count & ~3 : 0) : 0;
  if (simd > 0) (t.dtype === "BF16" ? kernels!.encodeBf16 : kernels!.encodeF32)(outBuf.byteOffset, 0, simd);
  if (simd < count) encode(acc.subarray(simd), outBuf.subarray(simd * size), t.dtype, count - simd);
  writeSync(fd, outBuf, 0, count * size, position);
}

/** Opens every input and reads its header, checking each against the first (names, dtypes, shapes). */
async function openInputs(paths: readonly string[], files: InputFile[]): Promise<void> {
  for (const path of paths) files.push({ path, ...(await readHeader(path)) });
  const first = files[0]!;
  for (const f of files.slice(1)) checkCompatible(first.header, first.path, f.header, f.path);
}

/**
 * Streams every tensor chunk by chunk through the accumulator into `out` (after its header), reading the next
 * chunk while accumulating this one. Returns the bytes read (headers included).
 */
async function averageChunks(o: AverageOptions, files: readonly InputFile[], weights: readonly number[], out: FileHandle, dataStart: number, offsets: readonly number[]): Promise<number> {
  const tensors = files[0]!.header.tensors;
  const chunk = o.chunkElements ?? DEFAULT_CHUNK_ELEMENTS;
  const b = chunkBuffers(chunk, o.accumulate);
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  let bytesRead = files.reduce((s, f) => s + 8 + (f.header.dataStart - 8), 0);
  const byName = files.map((f) => new Map(f.header.tensors.map((t) => [t.name, t])));
  const prefetch = o.prefetch ?? true;
  const read = (j: ReadJob, buf: Uint8Array) => readChunk(j, buf, files, byName, tensors, prefetch);
  let job = jobAfter(undefined, files.length, tensors, chunk);
  let slot = 0;
  let pending = job ? read(job, b.inBufs[0]) : undefined;
  while (job && pending) {
    const got = await pending;
    const next = jobAfter(job, files.length, tensors, chunk);
    // Start the next read before accumulating this chunk, into the other buffer.
    pending = next ? read(next, b.inBufs[1 - slot]!) : undefined;
    // Keep a rejected prefetch from being reported as unhandled if this chunk's accumulation throws first.
    pending?.catch(() => undefined);
    const t = tensors[job.ti]!;
    accumulateChunk(b, t, b.inBufs[slot]!, job.count, weights[job.fi]!, job.fi === 0);
    bytesRead += got;
    if (job.fi === files.length - 1) {
      writeChunk(b, t, job.count, out.fd, dataStart + offsets[job.ti]! + job.start * FLOAT_DTYPES[t.dtype]);
      o.onProgress?.(bytesRead, totalBytes);
    }
    job = next;
    slot = 1 - slot;
  }
  return bytesRead;
}

export async function averageSafetensors(o: AverageOptions, now: () => number = () => performance.now()): Promise<AverageReport> {
  if (o.inputs.length === 0) throw new UsageError("average: give at least one input checkpoint");
  const decay = o.emaDecay ?? 0.95;
  if (o.method === "ema" && !(decay > 0 && decay < 1)) throw new InputError("--ema", decay, "a decay in (0, 1)");
  checkOutputPath(o.output, "--output");
  const started = now();
  const files: InputFile[] = [];
  const tmp = claimTempPath(o.output);
  let out: FileHandle | undefined;
  try {
    await openInputs(o.inputs, files);
    const weights = averageWeights(files.length, o.method, decay);
    const tensors = files[0]!.header.tensors;
    const metadata = { ...files[0]!.header.metadata, scaleplan_average: o.method === "swa" ? `swa over ${files.length} checkpoints` : `ema decay ${decay} over ${files.length} checkpoints` };
    const { bytes: headerBytes, offsets } = encodeSafetensorsHeader(tensors, metadata);
    try {
      out = await open(tmp, "wx");
    } catch (error) {
      throw fileError(error, "write", o.output, "--output");
    }
    await out.write(headerBytes, 0, headerBytes.length, 0);
    const bytesRead = await averageChunks(o, files, weights, out, headerBytes.length, offsets);
    const dtypes: Record<string, number> = {};
    for (const t of tensors) dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + 1;
    await out.close();
    out = undefined;
    await rename(tmp, o.output);
    releaseTempPath(tmp);
    const seconds = (now() - started) / 1000;
    const bytesWritten = (await stat(o.output)).size;
    return { output: o.output, method: o.method, weights, tensors: tensors.length, dtypes, bytesRead, bytesWritten, seconds, readMBps: bytesRead / 1e6 / seconds };
  } catch (error) {
    if (out) await out.close().catch(() => undefined);
    await rm(tmp, { force: true });
    releaseTempPath(tmp);
    // Reads are mapped where they happen; what is left with an errno is the output (a full disk: exit 1).
    throw errnoAsFileError(error, "write", o.output, "--output");
  } finally {
    for (const f of files) await f.fh.close().catch(() => undefined);
  }
}

/** A system error (with an errno code) as the one-line file error; anything else unchanged. */
function errnoAsFileError(error: unknown, verb: "read" | "write", path: string, option?: string): unknown {
  return error instanceof Error && "code" in error && typeof (error as { code: unknown }).code === "string" && /^E[A-Z]+$/.test((error as { code: string }).code)
    ? fileError(error, verb, path, option)
    : error;
}

/** How many leading elements the SIMD kernels take (F32 and BF16, a multiple of 4); the rest goes to the scalar loop. */
function simdPrefix(dtype: TensorInfo["dtype"], count: number): number {
  return dtype === "F32" || dtype === "BF16" ? count & ~3 : 0;
}
