// Smallest and largest of a list of any length. `Math.min(...values)` passes every element as an argument and
// overflows the call stack past ~125,000 elements (V8), which a user-sized list (runs, steps, points) can reach.

/** The smallest value (Infinity for an empty list, NaN if any value is NaN), like Math.min without the spread. */
export function minOf(values: Iterable<number>): number {
  let lo = Number.POSITIVE_INFINITY;
  for (const v of values) {
    if (Number.isNaN(v)) return Number.NaN;
    if (v < lo) lo = v;
  }
  return lo;
}

/** The largest value (−Infinity for an empty list, NaN if any value is NaN), like Math.max without the spread. */
export function maxOf(values: Iterable<number>): number {
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (Number.isNaN(v)) return Number.NaN;
    if (v > hi) hi = v;
  }
  return hi;
}
