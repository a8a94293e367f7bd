// The Approach-3 objective (approach3-objective.ts) as a WebAssembly SIMD kernel: two data points per instruction,
// with exp and log from src/core/wasm/simd-math.ts. Why: the objective is all transcendentals (two exp and one log
// per point, ~45 ns per point in V8), and the full Chinchilla grid evaluates it ~10⁵ times on 240 points
// (issue 3 §4: ≤ 1 s). Same formula, same summed Huber loss; the lane-wise sums round in a different order, so
// values agree with the scalar objective to ~1e-15 relative (test/scaling/approach3-kernel.test.ts).
// Arguments outside the kernel's range (|exponent| > 700) go to the scalar objective, which handles any input.

import type { ObjectiveWithGradient } from "../optimize/types.ts";
import { F64, functionBody, I32, MODULE_HEADER, name, op, section, simd, V128, vec, type Code } from "../wasm/binary.ts";
import { abs, add, expF64x2, get, logF64x2, max, min, mul, num, set, sub, div } from "../wasm/simd-math.ts";
import type { LogData } from "./approach3-objective.ts";

/** Largest |exponent| the kernel takes: e^±700 and sums of three such terms are normal doubles. */
const RANGE = 700;
/** Bytes before the data: five gradient sums and the largest |exponent| seen. */
const HEADER = 64;
/** Bytes per pair of points: ln N, ln D, ln L and the weight, two lanes each. */
const BLOCK = 64;

// Parameters and locals of the kernel function: six f64 parameters and the end offset, the loop pointer, then
// v128 locals numbered in order of declaration.
const [A, B, E, ALPHA, BETA, DELTA, END, P] = [0, 1, 2, 3, 4, 5, 6, 7];
const FIRST_V128 = 8;
let nextLocal = FIRST_V128;
const v128Local = (): number => nextLocal++;
// Splatted parameters.
const [VA, VB, VE, VALPHA, VBETA, VDELTA, VNDELTA] = Array.from({ length: 7 }, v128Local) as [number, number, number, number, number, number, number];
// Accumulators: objective, the five gradient sums, the largest |exponent|.
const [F, GA, GB, GE, GALPHA, GBETA, MAXZ] = Array.from({ length: 7 }, v128Local) as [number, number, number, number, number, number, number];
// Per pair of points.
const LN = v128Local(), LD = v128Local(), Z1 = v128Local(), Z2 = v128Local(), T1 = v128Local(), T2 = v128Local(), S = v128Local();
const R = v128Local(), W = v128Local(), AR = v128Local(), C = v128Local(), Q = v128Local(), P1 = v128Local(), P2 = v128Local();
// Scratch of exp and log (one at a time, so they share it).
const TMP = Array.from({ length: 7 }, v128Local);
const V128_LOCALS = nextLocal - FIRST_V128;
const expTemps = { k: TMP[0]!, hi: TMP[1]!, lo: TMP[2]!, r: TMP[3]!, t: TMP[4]!, c: TMP[5]! };
const logTemps = { u: TMP[0]!, dk: TMP[1]!, f: TMP[2]!, hfsq: TMP[3]!, s: TMP[4]!, z: TMP[5]!, w: TMP[6]! };

const load = (offset: number): Code => [...op.get(P), ...simd.load(offset)];
const splat = (param: number): Code => [...op.get(param), ...simd.f64x2Splat];
/** acc += value */
const accumulate = (acc: number, value: Code): Code => set(acc, add(get(acc), value));
/** Lane 0 + lane 1 of a v128 local, as an f64. */
const laneSum = (v: number): Code => [...get(v), ...simd.f64x2ExtractLane(0), ...get(v), ...simd.f64x2ExtractLane(1), ...op.f64Add];
const storeSum = (slot: number, v: number): Code => [...op.i32Const(0), ...laneSum(v), ...op.f64Store(8 * slot)];

/**
 * objective(a, b, E, α, β, δ, end) → Σ wᵢ Huber_δ(rᵢ) over the blocks in [HEADER, end), with
 * rᵢ = ln(eᵃ N^−α + eᵇ D^−β + E) − ln L; writes ∂/∂a, ∂/∂b, ∂/∂e ÷ E, ∂/∂α, ∂/∂β and max |exponent| to the header.
 */
function objectiveFunction(): number[] {
  const loop = [
    ...set(LN, load(0)),
    ...set(LD, load(16)),
    ...set(Z1, sub(get(VA), mul(get(VALPHA), get(LN)))),
    ...set(Z2, sub(get(VB), mul(get(VBETA), get(LD)))),
    ...set(MAXZ, max(get(MAXZ), max(abs(get(Z1)), abs(get(Z2))))),
    ...set(T1, expF64x2(Z1, expTemps)),
    ...set(T2, expF64x2(Z2, expTemps)),
    ...set(S, add(add(get(T1), get(T2)), get(VE))),
    ...set(R, sub(logF64x2(S, logTemps), load(32))),
    ...set(W, load(48)),
    // Huber: with c = min(|r|, δ), ρ = c(|r| − c/2) and ρ' = clamp(r, −δ, δ) (spec B.1).
    ...set(AR, abs(get(R))),
    ...set(C, min(get(AR), get(VDELTA))),
    ...accumulate(F, mul(get(W), mul(get(C), sub(get(AR), mul(num(0.5), get(C)))))),
    ...set(Q, div(mul(get(W), max(get(VNDELTA), min(get(VDELTA), get(R)))), get(S))),
    ...set(P1, mul(get(Q), get(T1))),
    ...set(P2, mul(get(Q), get(T2))),
    ...accumulate(GA, get(P1)),
    ...accumulate(GB, get(P2)),
    ...accumulate(GE, get(Q)),
    ...set(GALPHA, sub(get(GALPHA), mul(get(P1), get(LN)))),
    ...set(GBETA, sub(get(GBETA), mul(get(P2), get(LD)))),
  ];
  const body = [
    ...set(VA, splat(A)), ...set(VB, splat(B)), ...set(VE, splat(E)),
    ...set(VALPHA, splat(ALPHA)), ...set(VBETA, splat(BETA)),
    ...set(VDELTA, splat(DELTA)), ...set(VNDELTA, [...op.get(DELTA), ...op.f64Neg, ...simd.f64x2Splat]),
    ...op.i32Const(HEADER), ...op.set(P),
    ...op.block,
    ...op.get(P), ...op.get(END), ...op.i32GeU, ...op.brIf(0),
    ...op.loop,
    ...loop,
    ...op.get(P), ...op.i32Const(BLOCK), ...op.i32Add, ...op.tee(P),
    ...op.get(END), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    ...op.end,
    ...storeSum(0, GA), ...storeSum(1, GB), ...storeSum(2, GE), ...storeSum(3, GALPHA), ...storeSum(4, GBETA),
    ...op.i32Const(0), ...get(MAXZ), ...simd.f64x2ExtractLane(0), ...get(MAXZ), ...simd.f64x2ExtractLane(1), ...op.f64Max, ...op.f64Store(40),
    ...laneSum(F),
    ...op.end,
  ];
  return functionBody([[1, I32], [V128_LOCALS, V128]], body);
}

/** The module's bytes: memory imported as env.memory, one export `objective`. */
export function approach3KernelModule(): Uint8Array<ArrayBuffer> {
  const type = section(1, vec([[0x60, ...vec([[F64], [F64], [F64], [F64], [F64], [F64], [I32]]), ...vec([[F64]])]]));
  const imports = section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, 0x01]]));
  const funcs = section(3, vec([[0x00]]));
  const exports = section(7, vec([[...name("objective"), 0x00, 0]]));
  const code = section(10, vec([objectiveFunction()]));
  return new Uint8Array([...MODULE_HEADER, ...type, ...imports, ...funcs, ...exports, ...code]);
}

type KernelFunction = (a: number, b: number, E: number, alpha: number, beta: number, delta: number, end: number) => number;

/** Compiled once per realm; null where WebAssembly SIMD is unavailable (or compiling is refused). */
let compiled: WebAssembly.Module | null | undefined;

function compiledModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    // Compiling validates (a CompileError without SIMD): no separate WebAssembly.validate, which decoded the module
    // a second time in a fresh worker's first fit.
    compiled = typeof WebAssembly === "object" ? new WebAssembly.Module(approach3KernelModule()) : null;
  } catch {
    // e.g. no SIMD, or a browser main thread that refuses synchronous compilation: the scalar objective is used.
    compiled = null;
  }
  return compiled;
}

/**
 * The Approach-3 objective on `data` as a kernel, or undefined without WebAssembly SIMD. `weights` (bootstrap
 * multiplicities) are read at every call, like the scalar objective's; `scalar` evaluates arguments outside the
 * kernel's range.
 */
export function approach3KernelObjective(data: LogData, delta: number, weights: Float64Array | undefined, scalar: ObjectiveWithGradient): ObjectiveWithGradient | undefined {
  const module = compiledModule();
  if (module === null) return undefined;
  const k = data.logN.length;
  const pairs = Math.ceil(k / 2);
  const end = HEADER + pairs * BLOCK;
  const pages = Math.ceil(end / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const objective = (new WebAssembly.Instance(module, { env: { memory } }).exports as { objective: KernelFunction }).objective;
  const mem = new Float64Array(memory.buffer);
  const H = HEADER / 8;
  // Block j holds points 2j and 2j + 1 as [ln N, ln N, ln D, ln D, ln L, ln L, w, w]; an odd count is padded with
  // a copy of the last point at weight 0.
  for (let j = 0; j < 2 * pairs; j++) {
    const i = Math.min(j, k - 1);
    const at = H + (j >> 1) * 8 + (j & 1);
    mem[at] = data.logN[i]!;
    mem[at + 2] = data.logD[i]!;
    mem[at + 4] = data.logL[i]!;
    mem[at + 6] = j < k ? 1 : 0;
  }
  return (x, grad) => {
    const e = x[2]!;
    if (!(Math.abs(e) <= RANGE)) return scalar(x, grad);
    if (weights !== undefined) for (let i = 0; i < k; i++) mem[H + (i >> 1) * 8 + 6 + (i & 1)] = weights[i]!;
    const expE = Math.exp(e);
    const f = objective(x[0]!, x[1]!, expE, x[3]!, x[4]!, delta, end);
    if (!(mem[5]! <= RANGE)) return scalar(x, grad);
    grad[0] = mem[0]!;
    grad[1] = mem[1]!;
    grad[2] = mem[2]! * expE;
    grad[3] = mem[3]!;
    grad[4] = mem[4]!;
    return f;
  };
}
