import { describe, expect, it } from "vitest";
import { functionBody, I32, MODULE_HEADER, name, op, section, simd, V128, vec, type Code } from "../../src/core/wasm/binary.ts";
import { expF64x2, logF64x2 } from "../../src/core/wasm/simd-math.ts";
import { seededRandom } from "../../src/core/util/random.ts";

type MapFn = (start: number, end: number) => void;

/** A module mapping the f64 values at [start, end) of its memory through exp or log, in place. */
function mapModule(): { exp: MapFn; log: MapFn; memory: WebAssembly.Memory } {
  const [P, END, X] = [0, 1, 2];
  const body = (fn: Code) =>
    functionBody([[8, V128]], [
      ...op.block,
      ...op.get(P), ...op.get(END), ...op.i32GeU, ...op.brIf(0),
      ...op.loop,
      ...op.get(P), ...simd.load(0), ...op.set(X),
      ...op.get(P), ...fn, ...simd.store(0),
      ...op.get(P), ...op.i32Const(16), ...op.i32Add, ...op.tee(P),
      ...op.get(END), ...op.i32LtU, ...op.brIf(0),
      ...op.end,
      ...op.end,
      ...op.end,
    ]);
  const bytes = new Uint8Array([
    ...MODULE_HEADER,
    ...section(1, vec([[0x60, ...vec([[I32], [I32]]), 0x00]])),
    ...section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0x00], [0x00]])),
    ...section(7, vec([[...name("exp"), 0x00, 0], [...name("log"), 0x00, 1]])),
    ...section(10, vec([body(expF64x2(X, { k: 3, hi: 4, lo: 5, r: 6, t: 7, c: 8 })), body(logF64x2(X, { u: 3, dk: 4, f: 5, hfsq: 6, s: 7, z: 8, w: 9 }))])),
  ]);
  const memory = new WebAssembly.Memory({ initial: 2 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const { exp, log } = instance.exports as { exp: MapFn; log: MapFn };
  return { exp, log, memory };
}

/** Distance in units in the last place between two positive finite doubles (their bit patterns are ordered). */
function ulps(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Math.abs(Number(view.getBigInt64(0) - view.getBigInt64(8)));
}

/** Maps `args` through the kernel in chunks that fit the memory; returns the results. */
function mapAll(fn: MapFn, memory: WebAssembly.Memory, args: Float64Array): Float64Array {
  const out = new Float64Array(args.length);
  const chunk = 8192;
  const view = new Float64Array(memory.buffer, 0, chunk);
  for (let i = 0; i < args.length; i += chunk) {
    const part = args.subarray(i, i + chunk);
    view.set(part);
    fn(0, part.length * 8);
    out.set(view.subarray(0, part.length), i);
  }
  return out;
}

function worst(args: Float64Array, got: Float64Array, reference: (x: number) => number): { maxUlps: number; identical: number } {
  let maxUlps = 0;
  let identical = 0;
  for (let i = 0; i < args.length; i++) {
    const d = ulps(got[i]!, reference(args[i]!));
    if (d === 0) identical++;
    maxUlps = Math.max(maxUlps, d);
  }
  return { maxUlps, identical };
}

describe("f64x2 exp and log (fdlibm algorithms in WebAssembly SIMD)", () => {
  const kernels = mapModule();
  const random = seededRandom(7);

  it("exp is within 1 ulp of Math.exp on a million arguments in [−708, 708] (most of them in the fit's range)", () => {
    const args = new Float64Array(1 << 20);
    for (let i = 0; i < args.length; i++) args[i] = i % 4 === 0 ? (random() * 2 - 1) * 708 : (random() * 2 - 1) * 40;
    args.set([0, -0, 1, -1, 708, -708, Math.LN2 / 2, -Math.LN2 / 2, 1e-300, -1e-20]);
    const got = mapAll(kernels.exp, kernels.memory, args);
    const { maxUlps, identical } = worst(args, got, Math.exp);
    expect(maxUlps).toBeLessThanOrEqual(1);
    // V8's Math.exp is fdlibm e_exp.c too: all but about one in a million results are bit-identical.
    expect(identical / args.length).toBeGreaterThan(0.9999);
    expect(got[0]).toBe(1);
  });

  it("log is within 1 ulp of Math.log on a million positive normal arguments from 1e-300 to 1e300", () => {
    const args = new Float64Array(1 << 20);
    for (let i = 0; i < args.length; i++) args[i] = i % 2 === 0 ? Math.exp((random() * 2 - 1) * 690) : 0.5 + random() * 1.5;
    args.set([1, 2, 0.5, Math.SQRT2, Math.SQRT1_2, Number.MIN_VALUE * 2 ** 52, Number.MAX_VALUE, 1 + 2 ** -52, 1 - 2 ** -53]);
    const got = mapAll(kernels.log, kernels.memory, args);
    const { maxUlps, identical } = worst(args, got, Math.log);
    expect(maxUlps).toBeLessThanOrEqual(1);
    // V8's Math.log is fdlibm e_log.c, which switches formulas for small f; we always use the second (musl).
    expect(identical / args.length).toBeGreaterThan(0.98);
    expect(got[0]).toBe(0);
  });
});
