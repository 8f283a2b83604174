/**
 * The running median ENF extraction smooths with; the plain median of a
 * series is runtime's (`median` from runtime/index.ts).
 */

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
