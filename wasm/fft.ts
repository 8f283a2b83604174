/**
 * The WebAssembly FFT core: instantiates the committed wasm/dist/vigil_fft.wasm
 * (built from wasm/src/lib.rs by `bun run build:wasm`) and exposes it as an
 * {@link FftCore}. With fft-instance.ts (the instance, its buffers and the
 * call wrapper) this is the only module that knows the wasm ABI (the `vf_*`
 * exports, pointers into wasm memory, status codes); everything else uses the
 * `FftCore` interface.
 *
 * Arguments are validated here, before the call, and rejected with the same
 * typed errors as the TypeScript reference. Input and output buffers live in
 * wasm memory and are reused across calls (grown on demand), so a call costs
 * one copy in and one copy out. Views on wasm memory are rebuilt after every
 * allocation and call because memory growth detaches the old ArrayBuffer.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { InternalError } from '../runtime/index.ts'
import { FftInvalidArgumentError } from './errors.ts'
import {
  assertFirResampleOptions,
  assertRealInput,
  assertStftBandOptions,
  stftFrameCount,
} from './fft-arguments.ts'
import type {
  FftCore,
  FirResampleOptions,
  StftBandOptions,
  StftBandPower,
  WindowKind,
} from './fft-core.ts'
import { createFftInstance, type FftInstance, unavailable } from './fft-instance.ts'

/** Where the committed module lives. */
export const DEFAULT_WASM_PATH = fileURLToPath(new URL('./dist/vigil_fft.wasm', import.meta.url))

export type FftCoreOptions = {
  /** Path of the .wasm file; defaults to {@link DEFAULT_WASM_PATH}. */
  wasmPath?: string | undefined
  /**
   * Most input samples copied into wasm memory per call (default 2^22 = 32 MiB);
   * longer signals are processed in chunks with identical results, so wasm
   * memory stays bounded for hour-long 44.1 kHz recordings.
   */
  maxChunkSamples?: number | undefined
}

const DEFAULT_MAX_CHUNK_SAMPLES = 2 ** 22

const WINDOW_CODES: Record<WindowKind, number> = { rect: 0, hann: 1, hamming: 2 }
/** Loads and instantiates the WASM FFT core. */
export async function loadFftCore(options: FftCoreOptions = {}): Promise<FftCore> {
  const path = options.wasmPath ?? DEFAULT_WASM_PATH
  let module: WebAssembly.Module
  try {
    module = await WebAssembly.compile(await Bun.file(path).arrayBuffer())
  } catch (cause) {
    throw unavailable(path, cause)
  }
  return createWasmFftCore(module, path, options.maxChunkSamples ?? DEFAULT_MAX_CHUNK_SAMPLES)
}

/** Same as {@link loadFftCore}, synchronously (reads and compiles the file on the calling thread). */
export function loadFftCoreSync(options: FftCoreOptions = {}): FftCore {
  const path = options.wasmPath ?? DEFAULT_WASM_PATH
  let module: WebAssembly.Module
  try {
    module = new WebAssembly.Module(readFileSync(path))
  } catch (cause) {
    throw unavailable(path, cause)
  }
  return createWasmFftCore(module, path, options.maxChunkSamples ?? DEFAULT_MAX_CHUNK_SAMPLES)
}

function createWasmFftCore(
  module: WebAssembly.Module,
  path: string,
  maxChunkSamples: number,
): FftCore {
  if (!Number.isInteger(maxChunkSamples) || maxChunkSamples < 1) {
    throw new FftInvalidArgumentError(
      `maxChunkSamples must be a positive integer, got ${maxChunkSamples}`,
      { meta: { argument: 'maxChunkSamples', value: maxChunkSamples } },
    )
  }
  const instance = createFftInstance(module, path)
  const { reserve, view, call } = instance
  return {
    rfft(input, nfft) {
      assertRealInput(input, nfft)
      const half = nfft / 2 + 1
      const inPtr = reserve(0, input.length)
      const rePtr = reserve(1, half)
      const imPtr = reserve(2, half)
      view(inPtr, input.length).set(input)
      call('rfft', () => instance.wasm.vf_rfft(inPtr, input.length, nfft, rePtr, imPtr))
      return { re: view(rePtr, half).slice(), im: view(imPtr, half).slice() }
    },

    powerSpectrum(input, nfft) {
      assertRealInput(input, nfft)
      const half = nfft / 2 + 1
      const inPtr = reserve(0, input.length)
      const outPtr = reserve(1, half)
      view(inPtr, input.length).set(input)
      call('powerSpectrum', () =>
        instance.wasm.vf_power_spectrum(inPtr, input.length, nfft, outPtr),
      )
      return view(outPtr, half).slice()
    },

    stftBandPower: (signal, options) => stftBandPower(instance, maxChunkSamples, signal, options),
    firResample: (signal, options) => firResample(instance, maxChunkSamples, signal, options),
  }
}

/** STFT band power in chunks of at most `maxChunkSamples` input samples. */
function stftBandPower(
  instance: FftInstance,
  maxChunkSamples: number,
  signal: Float64Array,
  options: StftBandOptions,
): StftBandPower {
  assertStftBandOptions(signal, options)
  const { frameLength, hop, nfft, window, binLo, binHi } = options
  const frames = stftFrameCount(signal.length, frameLength, hop)
  const bins = binHi - binLo
  const power = new Float64Array(frames * bins)
  // Frames per call, so that the slice of signal copied into wasm stays ≤ maxChunkSamples.
  const perChunk = Math.max(1, Math.floor((maxChunkSamples - frameLength) / hop) + 1)
  for (let f0 = 0; f0 < frames; f0 += perChunk) {
    const count = Math.min(perChunk, frames - f0)
    const part = signal.subarray(f0 * hop, (f0 + count - 1) * hop + frameLength)
    const outLength = count * bins
    const signalPtr = instance.reserve(0, part.length)
    const outPtr = instance.reserve(1, outLength)
    instance.view(signalPtr, part.length).set(part)
    const done = instance.call('stftBandPower', () =>
      instance.wasm.vf_stft_band_power(
        signalPtr,
        part.length,
        frameLength,
        hop,
        nfft,
        WINDOW_CODES[window],
        binLo,
        binHi,
        outPtr,
        outLength,
      ),
    )
    if (done !== count) {
      throw new InternalError(`the FFT core computed ${done} frames, expected ${count}`)
    }
    power.set(instance.view(outPtr, outLength), f0 * bins)
  }
  return { frames, bins, power }
}

/** Polyphase FIR resampling in chunks of about `maxChunkSamples` input samples. */
function firResample(
  instance: FftInstance,
  maxChunkSamples: number,
  signal: Float64Array,
  options: FirResampleOptions,
): Float64Array {
  const length = assertFirResampleOptions(signal, options)
  const { taps, down } = options
  const up = options.up ?? 1
  const out = new Float64Array(length)
  const span = taps.length - 1
  const delay = Math.floor(span / 2)
  // Outputs per call, so that the input slice copied into wasm stays ≈ maxChunkSamples.
  const perChunk = Math.max(1, Math.floor((maxChunkSamples * up) / down))
  for (let m0 = 0; m0 < length; m0 += perChunk) {
    const count = Math.min(perChunk, length - m0)
    // Output m reads x_up[t − span ..= t], t = m·down + delay: inputs ⌈(t₀ − span)/up⌉ ..= ⌊t₁/up⌋.
    const firstT = m0 * down + delay
    const lastT = (m0 + count - 1) * down + delay
    const lo = Math.max(0, Math.ceil((firstT - span) / up))
    const hi = Math.max(lo, Math.min(signal.length, Math.floor(lastT / up) + 1))
    const part = signal.subarray(lo, hi)
    const signalPtr = instance.reserve(0, part.length)
    const tapsPtr = instance.reserve(1, taps.length)
    const outPtr = instance.reserve(2, count)
    instance.view(signalPtr, part.length).set(part)
    instance.view(tapsPtr, taps.length).set(taps)
    instance.call('firResample', () =>
      instance.wasm.vf_fir_resample(
        signalPtr,
        part.length,
        tapsPtr,
        taps.length,
        up,
        down,
        firstT - lo * up,
        outPtr,
        count,
      ),
    )
    out.set(instance.view(outPtr, count), m0)
  }
  return out
}
