/**
 * A RIFF/WAVE parser for ENF work: PCM 8/16/24/32-bit integer and 32/64-bit
 * float (also WAVE_FORMAT_EXTENSIBLE), any channel count, mixed down to mono
 * Float64Array in [-1, 1]. Anything else is a typed error, never garbage.
 */
import { EnfNotWavError, EnfUnsupportedFormatError } from './errors.ts'

/** Mono audio at a known rate. */
export type MonoAudio = {
  sampleRate: number
  samples: Float64Array
}

/** What the WAV header said, besides the samples. */
export type WavInfo = MonoAudio & {
  channels: number
  bitsPerSample: number
  format: 'pcm' | 'float'
}

const FORMAT_PCM = 1
const FORMAT_FLOAT = 3
const FORMAT_EXTENSIBLE = 0xfffe

/** True when the bytes start with a RIFF/WAVE header. */
export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0) === 'RIFF' && ascii(bytes, 8) === 'WAVE'
}

/** Parses a WAV file's bytes and mixes all channels down to mono. */
export function readWav(bytes: Uint8Array): WavInfo {
  if (!isWav(bytes)) {
    throw new EnfNotWavError('The file is not a RIFF/WAVE file', {
      details: 'Expected the bytes to start with "RIFF....WAVE"; decode other media with ffmpeg.',
    })
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 12
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | undefined
  let data: { start: number; length: number } | undefined
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset)
    const size = view.getUint32(offset + 4, true)
    const body = offset + 8
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) {
        throw new EnfNotWavError('The WAV fmt chunk is truncated')
      }
      let format = view.getUint16(body, true)
      const channels = view.getUint16(body + 2, true)
      const sampleRate = view.getUint32(body + 4, true)
      const bits = view.getUint16(body + 14, true)
      if (format === FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= bytes.length) {
        // The first two bytes of the SubFormat GUID carry the real format tag.
        format = view.getUint16(body + 24, true)
      }
      fmt = { format, channels, sampleRate, bits }
    } else if (id === 'data') {
      // Streaming writers leave 0 or 0xFFFFFFFF here: take what is present.
      const available = bytes.length - body
      data = { start: body, length: size === 0 || size > available ? available : size }
      if (fmt) break
    }
    offset = body + size + (size % 2)
  }
  if (!fmt) throw new EnfNotWavError('The WAV file has no fmt chunk')
  if (!data) throw new EnfNotWavError('The WAV file has no data chunk')
  const { format, channels, sampleRate, bits } = fmt
  if (channels < 1) throw new EnfUnsupportedFormatError('The WAV file declares 0 channels')
  if (sampleRate < 1) throw new EnfUnsupportedFormatError('The WAV file declares a 0 Hz rate')
  const isPcm = format === FORMAT_PCM && [8, 16, 24, 32].includes(bits)
  const isFloat = format === FORMAT_FLOAT && (bits === 32 || bits === 64)
  if (!isPcm && !isFloat) {
    throw new EnfUnsupportedFormatError(
      `Unsupported WAV sample format (format tag ${format}, ${bits} bits per sample)`,
      {
        details:
          'Supported: PCM 8/16/24/32-bit integer and IEEE float 32/64-bit. Convert with ffmpeg -c:a pcm_s16le.',
        meta: { formatTag: format, bitsPerSample: bits },
      },
    )
  }
  const bytesPerSample = bits / 8
  const frameBytes = bytesPerSample * channels
  const frames = Math.floor(data.length / frameBytes)
  const samples = new Float64Array(frames)
  const read = sampleReader(view, isFloat ? 'float' : 'pcm', bits)
  const scale = 1 / channels
  for (let i = 0; i < frames; i++) {
    let sum = 0
    const base = data.start + i * frameBytes
    for (let c = 0; c < channels; c++) sum += read(base + c * bytesPerSample)
    samples[i] = sum * scale
  }
  return {
    sampleRate,
    samples,
    channels,
    bitsPerSample: bits,
    format: isFloat ? 'float' : 'pcm',
  }
}

function sampleReader(view: DataView, format: 'pcm' | 'float', bits: number) {
  if (format === 'float') {
    return bits === 32
      ? (at: number) => view.getFloat32(at, true)
      : (at: number) => view.getFloat64(at, true)
  }
  switch (bits) {
    case 8:
      return (at: number) => (view.getUint8(at) - 128) / 128
    case 16:
      return (at: number) => view.getInt16(at, true) / 32768
    case 24:
      return (at: number) => {
        const low = view.getUint16(at, true)
        const high = view.getInt8(at + 2)
        return (high * 65536 + low) / 8388608
      }
    default:
      return (at: number) => view.getInt32(at, true) / 2147483648
  }
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(
    bytes[at] ?? 0,
    bytes[at + 1] ?? 0,
    bytes[at + 2] ?? 0,
    bytes[at + 3] ?? 0,
  )
}
