/**
 * The WebAssembly FFT core: instantiates the committed wasm/dist/vigil_fft.wasm
 * (built from wasm/src/lib.rs by `bun run build:wasm`) and exposes it as an
 * {@link FftCore}. This is the only module that knows the wasm ABI (the
 * `vf_*` exports, pointers into wasm memory, status codes); everything else
 * uses the `FftCore` interface.
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
import { FftInvalidArgumentError, FftWasmUnavailableError } from './errors.ts'
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

/** The raw exports of vigil_fft.wasm (see wasm/src/lib.rs). */
type VigilFftExports = {
  memory: WebAssembly.Memory
  vf_alloc(len: number): number
  vf_free(ptr: number, len: number): void
  vf_rfft(input: number, inputLen: number, nfft: number, outRe: number, outIm: number): number
  vf_power_spectrum(input: number, inputLen: number, nfft: number, out: number): number
  vf_stft_band_power(
    signal: number,
    signalLen: number,
    frameLength: number,
    hop: number,
    nfft: number,
    window: number,
    binLo: number,
    binHi: number,
    out: number,
    outLen: number,
  ): number
  vf_fir_resample(
    signal: number,
    signalLen: number,
    taps: number,
    tapsLen: number,
    up: number,
    down: number,
    firstT: number,
    out: number,
    outLen: number,
  ): number
}

const WINDOW_CODES: Record<WindowKind, number> = { rect: 0, hann: 1, hamming: 2 }
const REQUIRED_EXPORTS = [
  'memory',
  'vf_alloc',
  'vf_free',
  'vf_rfft',
  'vf_power_spectrum',
  'vf_stft_band_power',
  'vf_fir_resample',
] as const

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

function unavailable(path: string, cause: unknown): FftWasmUnavailableError {
  return new FftWasmUnavailableError(
    `cannot load the FFT core from ${path}; restore the committed file (git checkout wasm/dist) or rebuild it with \`bun run build:wasm\``,
    { cause, meta: { path } },
  )
}

function instantiate(module: WebAssembly.Module, path: string): VigilFftExports {
  let exports: WebAssembly.Instance['exports']
  try {
    exports = new WebAssembly.Instance(module, {}).exports
  } catch (cause) {
    throw unavailable(path, cause)
  }
  const missing = REQUIRED_EXPORTS.filter((name) => !(name in exports))
  if (missing.length > 0) {
    throw unavailable(path, new Error(`missing exports: ${missing.join(', ')}`))
  }
  return exports as unknown as VigilFftExports
}

/** A reusable buffer of f64 values in wasm memory. */
type Slot = { ptr: number; capacity: number }

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
  let wasm = instantiate(module, path)
  let slots: Slot[] = []

  /** Makes slot `index` hold at least `length` f64 values; returns its pointer. */
  function reserve(index: number, length: number): number {
    const slot = slots[index]
    if (slot && slot.capacity >= length) return slot.ptr
    // Round up so a slowly growing input does not reallocate on every call.
    const capacity = Math.max(1024, 2 ** Math.ceil(Math.log2(Math.max(1, length))))
    const ptr = call('allocation', () => {
      if (slot) wasm.vf_free(slot.ptr, slot.capacity)
      // Rust aborts (a trap) when wasm memory cannot grow; 0 never comes back otherwise.
      return wasm.vf_alloc(capacity)
    })
    slots[index] = { ptr, capacity }
    return ptr
  }

  function view(ptr: number, length: number): Float64Array {
    return new Float64Array(wasm.memory.buffer, ptr, length)
  }

  /**
   * Runs a wasm call; a trap (a Rust panic) leaves the instance unusable, so
   * it is replaced by a fresh one before the error is rethrown.
   */
  function call(operation: string, run: () => number): number {
    let status: number
    try {
      status = run()
    } catch (cause) {
      wasm = instantiate(module, path)
      slots = []
      throw new InternalError(`the FFT core trapped during ${operation}`, { cause })
    }
    if (status < 0) {
      // The TypeScript checks ran first, so this means the two disagree.
      throw new FftInvalidArgumentError(
        `the FFT core rejected the arguments of ${operation} (status ${status})`,
        { meta: { operation, status } },
      )
    }
    return status
  }

  return {
    rfft(input, nfft) {
      assertRealInput(input, nfft)
      const half = nfft / 2 + 1
      const inPtr = reserve(0, input.length)
      const rePtr = reserve(1, half)
      const imPtr = reserve(2, half)
      view(inPtr, input.length).set(input)
      call('rfft', () => wasm.vf_rfft(inPtr, input.length, nfft, rePtr, imPtr))
      return { re: view(rePtr, half).slice(), im: view(imPtr, half).slice() }
    },

    powerSpectrum(input, nfft) {
      assertRealInput(input, nfft)
      const half = nfft / 2 + 1
      const inPtr = reserve(0, input.length)
      const outPtr = reserve(1, half)
      view(inPtr, input.length).set(input)
      call('powerSpectrum', () => wasm.vf_power_spectrum(inPtr, input.length, nfft, outPtr))
      return view(outPtr, half).slice()
    },

    stftBandPower(signal: Float64Array, options: StftBandOptions): StftBandPower {
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
        const signalPtr = reserve(0, part.length)
        const outPtr = reserve(1, outLength)
        view(signalPtr, part.length).set(part)
        const done = call('stftBandPower', () =>
          wasm.vf_stft_band_power(
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
        power.set(view(outPtr, outLength), f0 * bins)
      }
      return { frames, bins, power }
    },

    firResample(signal: Float64Array, options: FirResampleOptions): Float64Array {
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
        const signalPtr = reserve(0, part.length)
        const tapsPtr = reserve(1, taps.length)
        const outPtr = reserve(2, count)
        view(signalPtr, part.length).set(part)
        view(tapsPtr, taps.length).set(taps)
        call('firResample', () =>
          wasm.vf_fir_resample(
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
        out.set(view(outPtr, count), m0)
      }
      return out
    },
  }
}
