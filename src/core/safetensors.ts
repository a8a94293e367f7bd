// safetensors header parsing and float conversions (format: huggingface/safetensors README — an 8-byte
// little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
// {string: string}}, then the data buffer; offsets are relative to the start of the data buffer).
// Browser-safe: bytes in, plain data out. The streaming file side is src/node/safetensors-average.ts.
import { InputError } from "./errors.ts";
import { parseJsonText } from "./config/json.ts";
import { describeJsonValue } from "./config/typed-number.ts";

export const FLOAT_DTYPES = { F64: 8, F32: 4, F16: 2, BF16: 2 } as const;
export type FloatDtype = keyof typeof FLOAT_DTYPES;

export interface TensorInfo {
  readonly name: string;
  readonly dtype: FloatDtype;
  readonly shape: readonly number[];
  /** Absolute byte range in the file. */
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  readonly tensors: readonly TensorInfo[];
  readonly metadata: Readonly<Record<string, string>>;
  /** 8 + N: where the data buffer starts. */
  readonly dataStart: number;
}

/** Header length from the first 8 bytes; rejects lengths that cannot fit the file. */
export function headerLength(first8: Uint8Array, fileSize: number, source: string): number {
  if (first8.length < 8 || fileSize < 8) throw new InputError(source, fileSize, "a safetensors file (at least 8 bytes)", `${source}: not a safetensors file: shorter than its 8-byte header length`);
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const n = Number(view.getBigUint64(0, true));
  if (n < 2 || 8 + n > fileSize || n > 100_000_000) {
    throw new InputError(`${source}: header length`, n, `a length in [2, ${fileSize - 8}]`, `${source}: corrupt safetensors header: header length ${n} does not fit a ${fileSize}-byte file`);
  }
  return n;
}

/** Parses and checks the JSON header: dtypes, shapes, offsets inside the file, no overlaps. */
export function parseSafetensorsHeader(json: Uint8Array, fileSize: number, source: string): SafetensorsHeader {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(json);
  } catch {
    throw new InputError(`${source}: header`, "", "UTF-8 JSON", `${source}: corrupt safetensors header: not valid UTF-8`);
  }
  let raw: unknown;
  try {
    // Strict JSON: a tensor name given twice is an error, not "the last one wins".
    raw = parseJsonText(text, "header");
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^header(:\d+:\d+)?: /, "").replace(/^not valid JSON: (.*)$/, "not valid JSON ($1)");
    throw new InputError(`${source}: header`, "", "JSON", `${source}: corrupt safetensors header: ${reason}`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new InputError(`${source}: header`, raw, "a JSON object", `${source}: corrupt safetensors header: not a JSON object`);
  }
  const dataStart = 8 + json.length;
  const dataSize = fileSize - dataStart;
  const tensors: TensorInfo[] = [];
  let metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = parseMetadata(entry, source);
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const where = `${source}: tensor ${JSON.stringify(name)}`;
    if (typeof e?.dtype !== "string" || !(e.dtype in FLOAT_DTYPES)) {
      throw new InputError(`${where}: dtype`, e?.dtype, `one of ${Object.keys(FLOAT_DTYPES).join(", ")} (averaging needs floating-point tensors)`);
    }
    // Safe integers only: 2^53 + 1 would be read as 2^53; the error quotes the header's digits (typed-number.ts).
    const typed = (key: string, value: unknown, allowed: string) => new InputError(`${where}: ${key}`, value, allowed, `${where}: ${key}: ${describeJsonValue(text, [name, key], value)} is not allowed; expected ${allowed}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw typed("shape", e.shape, "a list of whole numbers");
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isSafeInteger(o) && o >= 0) || off[0] > off[1] || off[1] > dataSize) {
      throw typed("data_offsets", off, `[begin, end] inside the ${dataSize}-byte data buffer`);
    }
    const dtype = e.dtype as FloatDtype;
    const numel = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if ((off[1] as number) - (off[0] as number) !== numel * FLOAT_DTYPES[dtype]) {
      throw new InputError(`${where}: data_offsets`, off, `${numel * FLOAT_DTYPES[dtype]} bytes for shape [${(e.shape as number[]).join(", ")}] ${dtype}`);
    }
    tensors.push({ name, dtype, shape: e.shape as number[], begin: dataStart + (off[0] as number), end: dataStart + (off[1] as number) });
  }
  const sorted = [...tensors].sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.begin < sorted[i - 1]!.end) {
      throw new InputError(`${source}: tensor ${JSON.stringify(sorted[i]!.name)}: data_offsets`, sorted[i]!.begin - dataStart, `no overlap with ${JSON.stringify(sorted[i - 1]!.name)}`);
    }
  }
  return { tensors: sorted, metadata, dataStart };
}

/**
 * The `__metadata__` entry: the safetensors format allows only a flat map of text keys to text values; anything
 * else is rejected rather than reshaped (a string would otherwise be spread into an object of characters).
 * A null-prototype object keeps a key named `__proto__` as an ordinary entry.
 */
function parseMetadata(entry: unknown, source: string): Record<string, string> {
  const allowed = "a flat map of text keys to text values (the safetensors format)";
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    throw new InputError(`${source}: __metadata__`, entry, allowed);
  }
  const out = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value !== "string") throw new InputError(`${source}: __metadata__.${key}`, value, allowed);
    out[key] = value;
  }
  return out;
}

/** Builds a header (JSON padded with spaces to a multiple of 8 bytes, as the reference writer does). */
export function encodeSafetensorsHeader(tensors: ReadonlyArray<{ name: string; dtype: FloatDtype; shape: readonly number[] }>, metadata: Record<string, string>): { bytes: Uint8Array; offsets: number[] } {
  // A null-prototype object: a tensor named "__proto__" is an ordinary key (on {} the assignment would set the
  // prototype and the tensor would vanish from the header).
  const obj = Object.create(null) as Record<string, unknown>;
  if (Object.keys(metadata).length > 0) obj["__metadata__"] = metadata;
  const offsets: number[] = [];
  let pos = 0;
  for (const t of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1) * FLOAT_DTYPES[t.dtype];
    obj[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [pos, pos + size] };
    offsets.push(pos);
    pos += size;
  }
  let json = JSON.stringify(obj);
  const unpadded = new TextEncoder().encode(json).length;
  json += " ".repeat((8 - (unpadded % 8)) % 8);
  const body = new TextEncoder().encode(json);
  const bytes = new Uint8Array(8 + body.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(body.length), true);
  bytes.set(body, 8);
  return { bytes, offsets };
}

// ---- float conversions (little-endian, as safetensors stores them) ----

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half → number, via a 65,536-entry table built once. */
let halfTable: Float32Array | undefined;
export function halfToFloatTable(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    halfTable[h] = e === 0 ? s * m * 2 ** -24 : e === 31 ? (m ? Number.NaN : s * Number.POSITIVE_INFINITY) : s * (1 + m / 1024) * 2 ** (e - 15);
  }
  return halfTable;
}

/** number → IEEE half bits, round to nearest even (via float32 bits). */
export function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rem > mid || (rem === mid && half & 1) ? 1 : 0));
  }
  const half = mant >>> 13;
  const rem = mant & 0x1fff;
  let out = (e << 10) | half;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) out++;
  if (out >= 0x7c00) return sign | 0x7c00;
  return sign | out;
}

export function bf16ToFloat(b: number): number {
  u32[0] = b << 16;
  return f32[0]!;
}

/** number → bfloat16 bits, round to nearest even (via float32 bits; NaN stays NaN). */
export function floatToBf16(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}
