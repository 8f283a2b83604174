import type { WindowKind } from './fft-core.ts'

/**
 * The periodic ("DFT-even") window of `length` points, the convention of
 * scipy.signal.get_window and librosa for spectral analysis:
 * w[n] = a − (1 − a)·cos(2πn/length), a = 0.5 (hann) or 0.54 (hamming); rect is all ones.
 * The WASM core computes the same values (wasm/src/lib.rs `fill_window`).
 */
export function createWindow(kind: WindowKind, length: number): Float64Array {
  const window = new Float64Array(length)
  if (kind === 'rect') return window.fill(1)
  const a = kind === 'hann' ? 0.5 : 0.54
  const step = (2 * Math.PI) / length
  for (let n = 0; n < length; n++) window[n] = a - (1 - a) * Math.cos(step * n)
  return window
}
