/** The median of a series: the robust centre ENF statistics use throughout. */

/** Median of an array (NaN for an empty one). */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN
  const sorted = Array.from(values).sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Running median over `length` steps (odd), the window shrinking at the ends. */
export function medianFilter(x: Float64Array, length: number): Float64Array {
  const half = Math.floor(length / 2)
  const out = new Float64Array(x.length)
  const buffer: number[] = []
  for (let i = 0; i < x.length; i++) {
    buffer.length = 0
    for (let j = Math.max(0, i - half); j <= Math.min(x.length - 1, i + half); j++)
      buffer.push(x[j]!)
    buffer.sort((a, b) => a - b)
    out[i] = buffer[Math.floor(buffer.length / 2)]!
  }
  return out
}
