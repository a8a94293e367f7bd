// Integer helpers for the layout search. Cluster sizes reach E·2^59 (spec §5 Q5), beyond 2^53, but every number
// handled here is a divisor of such a size or of a model dimension, so it is an exactly representable double,
// and `%` on doubles is exact: gcd and divisibility below are exact without BigInt.

/** Greatest common divisor of two non-negative integers (exact for any integer-valued doubles). */
export function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** ⌊√n⌋ exactly, for 0 ≤ n < 2^53. */
export function isqrt(n: number): number {
  let s = Math.floor(Math.sqrt(n));
  while (s * s > n) s--;
  while ((s + 1) * (s + 1) <= n) s++;
  return s;
}

const divisorCache = new Map<number, Float64Array>();

/**
 * All divisors of n in ascending order (the order sympy's `divisors` gives, which fixes the reference's
 * enumeration order and therefore its tie-breaking). Memoized: the search asks for the same few numbers
 * thousands of times.
 */
export function divisors(n: number): Float64Array {
  const cached = divisorCache.get(n);
  if (cached) return cached;
  if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`divisors: ${n} is not a positive integer`);
  // Factorize: 2 first (exact halving works beyond 2^53), then odd trial divisors on the odd part.
  const primes: number[] = [];
  const powers: number[] = [];
  let rest = n;
  let twos = 0;
  while (rest % 2 === 0) {
    rest /= 2;
    twos++;
  }
  if (twos > 0) {
    primes.push(2);
    powers.push(twos);
  }
  if (rest > 2 ** 53) throw new RangeError(`divisors: the odd part of ${n} exceeds 2^53`);
  for (let p = 3; p * p <= rest; p += 2) {
    if (rest % p !== 0) continue;
    let k = 0;
    while (rest % p === 0) {
      rest /= p;
      k++;
    }
    primes.push(p);
    powers.push(k);
  }
  if (rest > 1) {
    primes.push(rest);
    powers.push(1);
  }
  let list = [1];
  for (let i = 0; i < primes.length; i++) {
    const next: number[] = [];
    for (const d of list) {
      let m = d;
      for (let k = 0; k <= powers[i]!; k++) {
        next.push(m);
        m *= primes[i]!;
      }
    }
    list = next;
  }
  const result = Float64Array.from(list.sort((a, b) => a - b));
  if (divisorCache.size > 100_000) divisorCache.clear();
  divisorCache.set(n, result);
  return result;
}
