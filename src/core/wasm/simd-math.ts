// exp and log on both lanes of an f64x2, as WebAssembly SIMD instruction sequences.
// Why: WebAssembly has no transcendental instructions, and objectives such as the Approach-3 Huber loss spend
// almost all their time in Math.exp and Math.log (two exp and one log per data point). These are the fdlibm
// algorithms (Sun Microsystems 1993/2004: e_exp.c, and e_log.c in musl's single-formula form), whose constants are
// copied with the hexadecimal values fdlibm lists, evaluated two lanes at a time. fdlibm bounds both errors below
// 1 ulp; test/wasm/simd-math.test.ts measures them against Math.exp/Math.log on a million arguments.
// There are no branches, so special cases are the caller's job: exp is valid for |x| ≤ 708 and log for positive
// normal finite x. Callers check the range and fall back to a scalar path outside it.

import { f64x2Const, i64x2Const, op, simd, type Code } from "./binary.ts";

/** Arithmetic on f64x2 operands given as code that pushes them. */
export const add = (a: Code, b: Code): Code => [...a, ...b, ...simd.f64x2Add];
export const sub = (a: Code, b: Code): Code => [...a, ...b, ...simd.f64x2Sub];
export const mul = (a: Code, b: Code): Code => [...a, ...b, ...simd.f64x2Mul];
export const div = (a: Code, b: Code): Code => [...a, ...b, ...simd.f64x2Div];
export const min = (a: Code, b: Code): Code => [...a, ...b, ...simd.f64x2Min];
export const max = (a: Code, b: Code): Code => [...a, ...b, ...simd.f64x2Max];
export const abs = (a: Code): Code => [...a, ...simd.f64x2Abs];
export const num = f64x2Const;
export const get = op.get;
/** Evaluates `value` into local `i` (nothing stays on the stack). */
export const set = (i: number, value: Code): Code => [...value, ...op.set(i)];

/** Horner evaluation c₀ + t(c₁ + t(c₂ + …)) with t in a local. */
function horner(t: number, coefficients: readonly number[]): Code {
  let code = num(coefficients[coefficients.length - 1]!);
  for (let i = coefficients.length - 2; i >= 0; i--) code = add(num(coefficients[i]!), mul(get(t), code));
  return code;
}

// fdlibm e_exp.c: ln2 split so that k·ln2HI is exact for |k| < 2¹¹ (ln2HI has 32 significant bits).
const LN2_HI = 6.93147180369123816490e-01; // 0x3fe62e42 fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 35793c76
const INV_LN2 = 1.44269504088896338700e+00; // 0x3ff71547 652b82fe
// R(r²) ≈ r(eʳ+1)/(eʳ−1) − 2 on [0, 0.34658], Remez, error ≤ 2⁻⁵⁹ (fdlibm e_exp.c).
const EXP_P = [1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05, -1.65339022054652515390e-06, 4.13813679705723846039e-08];
/** 1.5·2⁵²: adding it rounds a double of magnitude < 2⁵¹ to an integer held in the low mantissa bits. */
const ROUND_SHIFT = 6755399441055744;

/** Locals (v128) an exp needs besides its argument. */
export interface ExpTemps {
  readonly k: number;
  readonly hi: number;
  readonly lo: number;
  readonly r: number;
  readonly t: number;
  readonly c: number;
}

/**
 * Pushes exp(x) for x in local `x`, |x| ≤ 708 (fdlibm e_exp.c): x = k·ln2 + r with |r| ≤ ln2/2,
 * exp(r) = 1 + r + r·c/(2 − c) with c = r − r²·P(r²), then scaled by 2ᵏ built from its exponent bits.
 */
export function expF64x2(x: number, t: ExpTemps): Code {
  return [
    // k + 1.5·2⁵², so that k sits in the low mantissa bits (used for 2ᵏ below), and k itself.
    ...set(t.k, add(mul(get(x), num(INV_LN2)), num(ROUND_SHIFT))),
    ...set(t.c, sub(get(t.k), num(ROUND_SHIFT))),
    ...set(t.hi, sub(get(x), mul(get(t.c), num(LN2_HI)))),
    ...set(t.lo, mul(get(t.c), num(LN2_LO))),
    ...set(t.r, sub(get(t.hi), get(t.lo))),
    ...set(t.t, mul(get(t.r), get(t.r))),
    ...set(t.c, sub(get(t.r), mul(get(t.t), horner(t.t, EXP_P)))),
    // y = 1 − ((lo − r·c/(2 − c)) − hi)
    ...sub(num(1), sub(sub(get(t.lo), div(mul(get(t.r), get(t.c)), sub(num(2), get(t.c)))), get(t.hi))),
    // 2ᵏ: the low bits of k + 1.5·2⁵² are k (two's complement); (k + 1023) << 52 is the double 2ᵏ.
    ...get(t.k), ...i64x2Const(1023n), ...simd.i64x2Add, ...op.i32Const(52), ...simd.i64x2Shl,
    ...simd.f64x2Mul,
  ];
}

// fdlibm k_log.h: log(1+f) = 2s + s·R(s²) with s = f/(2+f), R a Remez fit on [0, 0.1716], error ≤ 2⁻⁵⁸·⁴⁵.
const LOG_LG = [
  6.666666666666735130e-01, // Lg1 3FE55555 55555593
  3.999999999940941908e-01, // Lg2 3FD99999 9997FA04
  2.857142874366239149e-01, // Lg3 3FD24924 94229359
  2.222219843214978396e-01, // Lg4 3FCC71C5 1D8E78AF
  1.818357216161805012e-01, // Lg5 3FC74664 96CB03DE
  1.531383769920937332e-01, // Lg6 3FC39A09 D078C69F
  1.479819860511658591e-01, // Lg7 3FC2F112 DF3E5244
];
/** High word of √2/2 (0x3fe6a09e…): mantissas at or above it are reduced into [√2/2, √2) (musl log.c). */
const SQRT_HALF_HIGH = 0x3fe6a09en << 32n;
const ONE_BITS = 0x3ff0000000000000n;
const MANTISSA = 0x000fffffffffffffn;
/** 2⁵² as bits: OR-ing a small integer into its mantissa gives 2⁵² + n exactly. */
const TWO52_BITS = 0x4330000000000000n;

/** Locals (v128) a log needs besides its argument. */
export interface LogTemps {
  readonly u: number;
  readonly dk: number;
  readonly f: number;
  readonly hfsq: number;
  readonly s: number;
  readonly z: number;
  readonly w: number;
}

/**
 * Pushes log(x) for x in local `x`, positive, normal and finite (fdlibm/musl log.c): x = 2ᵏ(1 + f) with
 * 1 + f ∈ [√2/2, √2), log x = k·ln2_hi + (f − hfsq + s(hfsq + R) + k·ln2_lo).
 */
export function logF64x2(x: number, t: LogTemps): Code {
  return [
    // u = bits(x) + (1.0 − √2/2 high words): the exponent field of u is k + 1023.
    ...set(t.u, [...get(x), ...i64x2Const(ONE_BITS - SQRT_HALF_HIGH), ...simd.i64x2Add]),
    // dk = k as a double: (2⁵² + (u >> 52)) − (2⁵² + 1023), both exact.
    ...set(t.dk, sub([...get(t.u), ...op.i32Const(52), ...simd.i64x2ShrU, ...i64x2Const(TWO52_BITS), ...simd.or], num(2 ** 52 + 1023))),
    // 1 + f: u's mantissa with the exponent of √2/2 restored.
    ...set(t.f, sub([...get(t.u), ...i64x2Const(MANTISSA), ...simd.and, ...i64x2Const(SQRT_HALF_HIGH), ...simd.i64x2Add], num(1))),
    ...set(t.hfsq, mul(num(0.5), mul(get(t.f), get(t.f)))),
    ...set(t.s, div(get(t.f), add(num(2), get(t.f)))),
    ...set(t.z, mul(get(t.s), get(t.s))),
    ...set(t.w, mul(get(t.z), get(t.z))),
    // R = w(Lg2 + w(Lg4 + w·Lg6)) + z(Lg1 + w(Lg3 + w(Lg5 + w·Lg7))); reuse u for R.
    ...set(t.u, add(mul(get(t.w), horner(t.w, [LOG_LG[1]!, LOG_LG[3]!, LOG_LG[5]!])), mul(get(t.z), horner(t.w, [LOG_LG[0]!, LOG_LG[2]!, LOG_LG[4]!, LOG_LG[6]!])))),
    // s(hfsq + R) + k·ln2_lo − hfsq + f + k·ln2_hi, left to right as musl.
    ...add(add(sub(add(mul(get(t.s), add(get(t.hfsq), get(t.u))), mul(get(t.dk), num(LN2_LO))), get(t.hfsq)), get(t.f)), mul(get(t.dk), num(LN2_HI))),
  ];
}
