// WebAssembly SIMD kernels for checkpoint averaging: acc (f64) ← w·x or acc + w·x for f32 and bf16 inputs.
// Why: a scalar JavaScript loop that only reads and sums the f32 values of three 134 MB cached files takes
// 2.4–3.4× as long as `cat` of the same files on our build machine (README, schedules benchmarks), so the issue-4 §5
// target (within 2× of cat) cannot be met by any scalar JS loop. f64x2 SIMD does two elements per instruction.
// The module is assembled here from its opcodes (src/core/wasm/binary.ts) so there is no toolchain and no binary
// blob in the repository.
// Arithmetic is exactly that of the scalar code it replaces: x is widened exactly (f32 → f64, or bf16 bits << 16
// → f32 → f64), then w·x is rounded to f64 and added with one more f64 rounding (WebAssembly has no implicit FMA),
// so the results are bit-identical to `acc[i] += w * x[i]` in JavaScript.

import { F64, functionBody, I32, MODULE_HEADER, name, op, section, simd, V128, vec } from "../core/wasm/binary.ts";

const v128Load = simd.load;
const v128Load16x4U = simd.load16x4U;
const v128Store = simd.store;
/** i8x16.shuffle moving bytes 8..15 to lanes 0..7: the upper two f32 lanes become the lower two. */
const highToLow = simd.shuffle(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
/** i8x16.shuffle joining the low 8 bytes of two vectors: two demoted f64x2 → one f32x4. */
const lowHalves = simd.shuffle(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
const {
  f64x2Splat, i32x4Splat, and: v128And, or: v128Or, bitselect: v128Bitselect, i32x4GtS, i32x4ShrU, i32x4Add,
  i16x8NarrowI32x4U, f32x4DemoteF64x2Zero, f64x2PromoteLowF32x4, i32x4Shl, f64x2Add, f64x2Mul,
} = simd;

/**
 * One kernel (params: acc byte offset, x byte offset, n elements (a multiple of 4), w; locals: end, W, v).
 * Per iteration: four inputs → two f64x2 products, stored to (or added into) acc.
 */
function kernel(input: "f32" | "bf16", add: boolean): number[] {
  const [ACC, X, N, W, END, WV, V] = [0, 1, 2, 3, 4, 5, 6];
  const inBytes = input === "f32" ? 16 : 8;
  const load = input === "f32" ? [...op.get(X), ...v128Load(0)] : [...op.get(X), ...v128Load16x4U(0), ...op.i32Const(16), ...i32x4Shl];
  const half = (widen: number[], offset: number) => [
    ...op.get(ACC),
    ...(add ? [...op.get(ACC), ...v128Load(offset)] : []),
    ...widen,
    ...f64x2PromoteLowF32x4,
    ...op.get(WV),
    ...f64x2Mul,
    ...(add ? f64x2Add : []),
    ...v128Store(offset),
  ];
  const body = [
    ...op.get(W), ...f64x2Splat, ...op.set(WV),
    ...op.get(X), ...op.get(N), ...op.i32Const(input === "f32" ? 2 : 1), ...op.i32Shl, ...op.i32Add, ...op.set(END),
    ...op.block,
    ...op.get(X), ...op.get(END), ...op.i32GeU, ...op.brIf(0),
    ...op.loop,
    ...load, ...op.set(V),
    ...half(op.get(V), 0),
    ...half([...op.get(V), ...op.get(V), ...highToLow], 16),
    ...op.get(ACC), ...op.i32Const(32), ...op.i32Add, ...op.set(ACC),
    ...op.get(X), ...op.i32Const(inBytes), ...op.i32Add, ...op.tee(X),
    ...op.get(END), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    ...op.end,
    ...op.end,
  ];
  return functionBody([[1, I32], [2, V128]], body);
}

/**
 * bf16 output (params: out byte offset, acc byte offset, n elements (a multiple of 8); locals: end, b): each f64 is
 * rounded to f32 (f32x4.demote), then to bf16 by round to nearest even on the bits, NaN kept NaN (quiet bit set),
 * exactly as floatToBf16 in src/core/safetensors.ts; eight results are narrowed to u16 and stored at once.
 */
function encodeBf16Kernel(): number[] {
  const [OUT, ACC, N, END, B] = [0, 1, 2, 3, 4];
  const splat = (v: number) => [...op.i32Const(v), ...i32x4Splat];
  /** Four f64 at ACC + offset → their f32 bits (i32x4) → bf16 bits in the low half of each i32 lane. */
  const four = (offset: number) => [
    ...op.get(ACC), ...v128Load(offset), ...f32x4DemoteF64x2Zero,
    ...op.get(ACC), ...v128Load(offset + 16), ...f32x4DemoteF64x2Zero,
    ...lowHalves, ...op.set(B),
    // NaN: (x >>> 16) | 0x40
    ...op.get(B), ...op.i32Const(16), ...i32x4ShrU, ...splat(0x40), ...v128Or,
    // otherwise: (x + 0x7fff + ((x >>> 16) & 1)) >>> 16
    ...op.get(B), ...splat(0x7fff), ...i32x4Add,
    ...op.get(B), ...op.i32Const(16), ...i32x4ShrU, ...splat(1), ...v128And, ...i32x4Add,
    ...op.i32Const(16), ...i32x4ShrU,
    // mask: (x & 0x7fffffff) > 0x7f800000 (a NaN)
    ...op.get(B), ...splat(0x7fffffff), ...v128And, ...splat(0x7f800000), ...i32x4GtS,
    ...v128Bitselect,
  ];
  const body = [
    ...op.get(OUT), ...op.get(N), ...op.i32Const(1), ...op.i32Shl, ...op.i32Add, ...op.set(END),
    ...op.block,
    ...op.get(OUT), ...op.get(END), ...op.i32GeU, ...op.brIf(0),
    ...op.loop,
    ...op.get(OUT), ...four(0), ...four(32), ...i16x8NarrowI32x4U, ...v128Store(0),
    ...op.get(ACC), ...op.i32Const(64), ...op.i32Add, ...op.set(ACC),
    ...op.get(OUT), ...op.i32Const(16), ...op.i32Add, ...op.tee(OUT),
    ...op.get(END), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    ...op.end,
    ...op.end,
  ];
  return functionBody([[1, I32], [1, V128]], body);
}

/** f32 output (params: out, acc, n (a multiple of 4); local: end): f32x4.demote rounds to nearest even, like Float32Array.set. */
function encodeF32Kernel(): number[] {
  const [OUT, ACC, N, END] = [0, 1, 2, 3];
  const body = [
    ...op.get(OUT), ...op.get(N), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.set(END),
    ...op.block,
    ...op.get(OUT), ...op.get(END), ...op.i32GeU, ...op.brIf(0),
    ...op.loop,
    ...op.get(OUT),
    ...op.get(ACC), ...v128Load(0), ...f32x4DemoteF64x2Zero,
    ...op.get(ACC), ...v128Load(16), ...f32x4DemoteF64x2Zero,
    ...lowHalves, ...v128Store(0),
    ...op.get(ACC), ...op.i32Const(32), ...op.i32Add, ...op.set(ACC),
    ...op.get(OUT), ...op.i32Const(16), ...op.i32Add, ...op.tee(OUT),
    ...op.get(END), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    ...op.end,
    ...op.end,
  ];
  return functionBody([[1, I32]], body);
}

const KERNELS = [
  ["setF32", "f32", false],
  ["addF32", "f32", true],
  ["setBf16", "bf16", false],
  ["addBf16", "bf16", true],
] as const;

/** The module's bytes: memory imported as env.memory; four accumulation kernels (i32, i32, i32, f64) → (), encodeBf16 and encodeF32 (i32, i32, i32) → (). */
export function averageKernelsModule(): Uint8Array<ArrayBuffer> {
  const type = section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [F64]]), 0x00], [0x60, ...vec([[I32], [I32], [I32]]), 0x00]]));
  // import "env" "memory": kind 0x02 (memory), limits 0x00 (minimum only), minimum 1 page.
  const imports = section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, 0x01]]));
  const funcs = section(3, vec([...KERNELS.map(() => [0x00]), [0x01], [0x01]]));
  const exports = section(7, vec([...KERNELS.map(([fn], i) => [...name(fn), 0x00, i]), [...name("encodeBf16"), 0x00, KERNELS.length], [...name("encodeF32"), 0x00, KERNELS.length + 1]]));
  const code = section(10, vec([...KERNELS.map(([, input, add]) => kernel(input, add)), encodeBf16Kernel(), encodeF32Kernel()]));
  return new Uint8Array([...MODULE_HEADER, ...type, ...imports, ...funcs, ...exports, ...code]);
}

export interface AverageKernels {
  readonly memory: WebAssembly.Memory;
  /** acc[i] = w·x[i] (f64 acc at byte offset `acc`, f32 x at byte offset `x`, n a multiple of 4). */
  readonly setF32: (acc: number, x: number, n: number, w: number) => void;
  /** acc[i] += w·x[i]. */
  readonly addF32: (acc: number, x: number, n: number, w: number) => void;
  readonly setBf16: (acc: number, x: number, n: number, w: number) => void;
  readonly addBf16: (acc: number, x: number, n: number, w: number) => void;
  /** out[i] = bf16 bits of acc[i] (u16 out at byte offset `out`, f64 acc at `acc`, n a multiple of 8). */
  readonly encodeBf16: (out: number, acc: number, n: number) => void;
  /** out[i] = f32 rounding of acc[i] (n a multiple of 4). */
  readonly encodeF32: (out: number, acc: number, n: number) => void;
}

/** Instantiates the kernels over a fresh memory of `bytes` (rounded up to 64 KiB pages); undefined without SIMD. */
export function instantiateAverageKernels(bytes: number): AverageKernels | undefined {
  const code = averageKernelsModule();
  if (!WebAssembly.validate(code)) return undefined;
  const pages = Math.ceil(bytes / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(code), { env: { memory } });
  const e = instance.exports as unknown as Omit<AverageKernels, "memory">;
  return { memory, setF32: e.setF32, addF32: e.addF32, setBf16: e.setBf16, addBf16: e.addBf16, encodeBf16: e.encodeBf16, encodeF32: e.encodeF32 };
}
