/** Linear-interpolation percentile (type 7, as numpy's default) of an unsorted sample; q in [0, 1]. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Central interval [lo, hi] holding `level` of the sample (e.g. 0.95 → 2.5th and 97.5th percentiles). */
export function centralInterval(values: ArrayLike<number>, level: number): [number, number] {
  const tail = (1 - level) / 2;
  return [percentile(values, tail), percentile(values, 1 - tail)];
}

/** Bootstrap resample as multiplicities: counts[i] = how often point i was drawn (k draws with replacement). */
export function resampleCounts(k: number, random: () => number, counts: Float64Array): void {
  counts.fill(0);
  for (let j = 0; j < k; j++) {
    const i = Math.min(k - 1, Math.floor(random() * k));
    counts[i] = counts[i]! + 1;
  }
}
