/**
 * Writes mono audio as a 16-bit PCM or 32/64-bit float WAV. Used by tests,
 * the benchmark and splice experiments to build inputs; the inverse of readWav.
 */
export type WriteWavOptions = {
  sampleRate: number
  /** Default 'pcm16'. */
  encoding?: 'pcm16' | 'pcm24' | 'float32' | 'float64' | undefined
  /** Interleave this many identical channels (default 1). */
  channels?: number | undefined
}

/** Encodes samples in [-1, 1] as WAV bytes. */
export function writeWav(samples: Float64Array, options: WriteWavOptions): Uint8Array {
  const encoding = options.encoding ?? 'pcm16'
  const channels = options.channels ?? 1
  const bits = { pcm16: 16, pcm24: 24, float32: 32, float64: 64 }[encoding]
  const bytesPerSample = bits / 8
  const dataLength = samples.length * channels * bytesPerSample
  const out = new Uint8Array(44 + dataLength)
  const view = new DataView(out.buffer)
  const text = (at: number, value: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = value.charCodeAt(i)
  }
  text(0, 'RIFF')
  view.setUint32(4, 36 + dataLength, true)
  text(8, 'WAVE')
  text(12, 'fmt ')
  view.setUint32(16, 16, true)
  view.setUint16(20, encoding.startsWith('float') ? 3 : 1, true)
  view.setUint16(22, channels, true)
  view.setUint32(24, options.sampleRate, true)
  view.setUint32(28, options.sampleRate * channels * bytesPerSample, true)
  view.setUint16(32, channels * bytesPerSample, true)
  view.setUint16(34, bits, true)
  text(36, 'data')
  view.setUint32(40, dataLength, true)
  let at = 44
  for (let i = 0; i < samples.length; i++) {
    const raw = samples[i] ?? 0
    // Integer PCM clips at full scale; float keeps the value as it is.
    const value = encoding.startsWith('float') ? raw : Math.max(-1, Math.min(1, raw))
    for (let c = 0; c < channels; c++) {
      if (encoding === 'pcm16') view.setInt16(at, Math.round(value * 32767), true)
      else if (encoding === 'pcm24') {
        const v = Math.round(value * 8388607)
        view.setUint16(at, v & 0xffff, true)
        view.setInt8(at + 2, v >> 16)
      } else if (encoding === 'float32') view.setFloat32(at, value, true)
      else view.setFloat64(at, value, true)
      at += bytesPerSample
    }
  }
  return out
}
