// The reference's single rounding helper (spec §2.2): values are snapped to the nearest element of
// R = {f·2^i : f ∈ {1,3,5,7,9}, i = 0…59}, ties to the smaller element. R keeps layer counts, expert counts and
// batch sizes highly divisible by 2, so power-of-two clusters can split them. Every element is exactly
// representable as a double (odd part ≤ 9), so comparisons below are exact.

function buildRoundingList(): Float64Array {
  const values: number[] = [];
  for (const f of [1, 3, 5, 7, 9]) for (let i = 0; i < 60; i++) values.push(f * 2 ** i);
  return Float64Array.from(values.sort((a, b) => a - b));
}

export const ROUNDING_LIST: Float64Array = buildRoundingList();

/** The element of R nearest to x; when x is exactly midway, the smaller one (reference `take_closest`). */
export function snapToRoundingList(x: number): number {
  const list = ROUNDING_LIST;
  // First index whose value is >= x (bisect_left).
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return list[0]!;
  if (lo === list.length) return list[list.length - 1]!;
  const before = list[lo - 1]!;
  const after = list[lo]!;
  return after - x < x - before ? after : before;
}
