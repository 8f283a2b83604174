/**
 * One instance of vigil_fft.wasm and its reusable f64 buffers in wasm memory:
 * the only place that holds pointers. A trap (a Rust panic) leaves an
 * instance unusable, so `call` replaces it by a fresh one before rethrowing.
 * Views on wasm memory are rebuilt after every allocation and call because
 * memory growth detaches the old ArrayBuffer.
 */
import { InternalError } from '../runtime/index.ts'
import { FftInvalidArgumentError, FftWasmUnavailableError } from './errors.ts'

/** The raw exports of vigil_fft.wasm (see wasm/src/lib.rs). */
export type VigilFftExports = {
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

const REQUIRED_EXPORTS = [
  'memory',
  'vf_alloc',
  'vf_free',
  'vf_rfft',
  'vf_power_spectrum',
  'vf_stft_band_power',
  'vf_fir_resample',
] as const

export function unavailable(path: string, cause: unknown): FftWasmUnavailableError {
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

export type FftInstance = {
  /** The current instance's exports (replaced after a trap). */
  readonly wasm: VigilFftExports
  /** Makes slot `index` hold at least `length` f64 values; returns its pointer. */
  reserve(index: number, length: number): number
  view(ptr: number, length: number): Float64Array
  /** Runs a wasm call; a trap is INTERNAL (instance replaced), a negative status FFT_INVALID_ARGUMENT. */
  call(operation: string, run: () => number): number
}

export function createFftInstance(module: WebAssembly.Module, path: string): FftInstance {
  let wasm = instantiate(module, path)
  let slots: Slot[] = []

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
    get wasm() {
      return wasm
    },
    reserve,
    view: (ptr, length) => new Float64Array(wasm.memory.buffer, ptr, length),
    call,
  }
}
