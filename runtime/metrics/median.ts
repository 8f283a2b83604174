/** The median of a series: the middle value, or the mean of the two middle ones; NaN for none. */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN
  const sorted = Array.from(values).sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
