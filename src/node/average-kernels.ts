// WebAssembly SIMD kernels for checkpoint averaging: acc (f64) ← w·x or acc + w·x for f32 and bf16 inputs.
// Why: a scalar JavaScript loop that only reads and sums the f32 values of three 134 MB cached files takes
// 2.4–3.4× as long as `cat` of the same files on our build machine (README, schedules benchmarks), so the issue-4 §5
// target (within 2× of cat) cannot be met by any scalar JS loop. f64x2 SIMD does two elements per instruction.
// The module is assembled here from its opcodes (WebAssembly core spec 2.0, §5.4 "Instructions", SIMD opcodes
// 0xFD-prefixed) so there is no toolchain and no binary blob in the repository.
// Arithmetic is exactly that of the scalar code it replaces: x is widened exactly (f32 → f64, or bf16 bits << 16
// → f32 → f64), then w·x is rounded to f64 and added with one more f64 rounding (WebAssembly has no implicit FMA),
// so the results are bit-identical to `acc[i] += w * x[i]` in JavaScript.

/** Byte-level helpers for the few parts of the binary format we need. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}
function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}
function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

// Opcodes (core spec §5.4). SIMD instructions are 0xFD followed by a LEB128 sub-opcode.
const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i32GeU: [0x4f],
  i32LtU: [0x49],
  i32Add: [0x6a],
  i32Shl: [0x74],
  simd: (sub: number, ...imm: number[]) => [0xfd, ...uleb(sub), ...imm],
};
const mem = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];
const v128Load = (offset: number) => op.simd(0x00, ...mem(4, offset));
const v128Load16x4U = (offset: number) => op.simd(0x04, ...mem(3, offset));
const v128Store = (offset: number) => op.simd(0x0b, ...mem(4, offset));
/** i8x16.shuffle moving bytes 8..15 to lanes 0..7: the upper two f32 lanes become the lower two. */
const highToLow = op.simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
const f64x2Splat = op.simd(0x14);
const i32x4Splat = op.simd(0x11);
const v128And = op.simd(0x4e);
const v128Or = op.simd(0x50);
const v128Bitselect = op.simd(0x52);
const i32x4GtS = op.simd(0x3b);
const i32x4ShrU = op.simd(0xad);
const i32x4Add = op.simd(0xae);
const i16x8NarrowI32x4U = op.simd(0x86);
const f32x4DemoteF64x2Zero = op.simd(0x5e);
/** i8x16.shuffle joining the low 8 bytes of two vectors: two demoted f64x2 → one f32x4. */
const lowHalves = op.simd(0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
const f64x2PromoteLowF32x4 = op.simd(0x5f);
const i32x4Shl = op.simd(0xab);
const f64x2Add = op.simd(0xf0);
const f64x2Mul = op.simd(0xf2);

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
  const locals = vec([[1, I32], [2, V128]]);
  const fn = [...locals, ...body];
  return [...uleb(fn.length), ...fn];
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
  const fn = [...vec([[1, I32], [1, V128]]), ...body];
  return [...uleb(fn.length), ...fn];
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
  const fn = [...vec([[1, I32]]), ...body];
  return [...uleb(fn.length), ...fn];
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
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
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
