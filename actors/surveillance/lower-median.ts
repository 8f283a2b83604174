/**
 * The lower median: the middle sample of a series (the lower of the two for
 * an even count), undefined for none. A value that occurred, never an
 * average of two, which is what the feature and latency figures report.
 */
export function lowerMedian(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)]
}
