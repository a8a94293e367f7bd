// The few parts of the WebAssembly binary format (core spec 2.0, chapter 5) that our hand-assembled kernels need:
// LEB128 integers, sections, vectors, names, and the opcodes we use (§5.4; SIMD opcodes are 0xFD-prefixed with a
// LEB128 sub-opcode). Kernels are assembled from these at run time, so there is no toolchain and no binary blob
// in the repository, and the same bytes run in Node and in the browser.

/** A sequence of instruction bytes. */
export type Code = number[];

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
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

export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

export function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** Value types (§5.3.1). */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** The magic number and version every module starts with (§5.5.16). */
export const MODULE_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A function body (§5.5.13): locals as [count, type] runs, then the code, which must end with `end`. */
export function functionBody(locals: Array<[number, number]>, code: Code): number[] {
  const fn = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...code];
  return [...uleb(fn.length), ...fn];
}

/** Control, variable and numeric instructions (§5.4.1–5.4.5). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  f64Store: (offset: number) => [0x39, ...uleb(3), ...uleb(offset)],
  i32GeU: [0x4f],
  i32LtU: [0x49],
  i32Add: [0x6a],
  i32Shl: [0x74],
  f64Add: [0xa0],
  f64Neg: [0x9a],
  f64Max: [0xa5],
  simd: (sub: number, ...imm: number[]) => [0xfd, ...uleb(sub), ...imm],
};

/** Memory argument: alignment exponent and static offset (§5.4.6). */
const mem = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];

/** SIMD instructions (§5.4.8): one constant per name, sub-opcodes as in the spec's opcode table. */
export const simd = {
  load: (offset: number) => op.simd(0x00, ...mem(4, offset)),
  load16x4U: (offset: number) => op.simd(0x04, ...mem(3, offset)),
  store: (offset: number) => op.simd(0x0b, ...mem(4, offset)),
  /** i8x16.shuffle with 16 lane indices into the concatenation of the two operands. */
  shuffle: (...lanes: number[]) => op.simd(0x0d, ...lanes),
  i32x4Splat: op.simd(0x11),
  f64x2Splat: op.simd(0x14),
  f64x2ExtractLane: (lane: number) => op.simd(0x21, lane),
  i32x4GtS: op.simd(0x3b),
  and: op.simd(0x4e),
  or: op.simd(0x50),
  bitselect: op.simd(0x52),
  f32x4DemoteF64x2Zero: op.simd(0x5e),
  f64x2PromoteLowF32x4: op.simd(0x5f),
  i16x8NarrowI32x4U: op.simd(0x86),
  i32x4Shl: op.simd(0xab),
  i32x4ShrU: op.simd(0xad),
  i32x4Add: op.simd(0xae),
  i64x2Shl: op.simd(0xcb),
  i64x2ShrU: op.simd(0xcd),
  i64x2Add: op.simd(0xce),
  f64x2Abs: op.simd(0xec),
  f64x2Add: op.simd(0xf0),
  f64x2Sub: op.simd(0xf1),
  f64x2Mul: op.simd(0xf2),
  f64x2Div: op.simd(0xf3),
  f64x2Min: op.simd(0xf4),
  f64x2Max: op.simd(0xf5),
};

/** v128.const holding the same f64 in both lanes. */
export function f64x2Const(value: number): Code {
  const bytes = new DataView(new ArrayBuffer(16));
  bytes.setFloat64(0, value, true);
  bytes.setFloat64(8, value, true);
  return op.simd(0x0c, ...new Uint8Array(bytes.buffer));
}

/** v128.const holding the same 64-bit integer in both lanes. */
export function i64x2Const(value: bigint): Code {
  const bytes = new DataView(new ArrayBuffer(16));
  bytes.setBigUint64(0, value, true);
  bytes.setBigUint64(8, value, true);
  return op.simd(0x0c, ...new Uint8Array(bytes.buffer));
}
