/**
 * Errors of the FFT core (wasm/). Both implementations of `FftCore` throw
 * the same typed errors, so callers decide on `code`, never on which core ran.
 */
import { defineError, type ErrorCodeOf } from '../runtime/index.ts'

/** An FFT argument is out of range: the message names the argument and what is allowed. */
export class FftInvalidArgumentError extends defineError('FFT_INVALID_ARGUMENT', 'application') {}

/** The committed WebAssembly module could not be read or instantiated. */
export class FftWasmUnavailableError extends defineError('FFT_WASM_UNAVAILABLE', 'runtime') {}

/** The wasm toolchain (Debian rustc/cargo with the wasm32 standard library) is missing. */
export class WasmToolchainMissingError extends defineError('WASM_TOOLCHAIN_MISSING', 'runtime') {}

/** Every error class of this package; `WasmErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const wasmErrors = [
  FftInvalidArgumentError,
  FftWasmUnavailableError,
  WasmToolchainMissingError,
] as const

export type WasmErrorCode = ErrorCodeOf<typeof wasmErrors>
