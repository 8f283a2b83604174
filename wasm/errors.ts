/**
 * Errors of the FFT core (wasm/). Both implementations of `FftCore` throw
 * the same typed errors, so callers decide on `code`, never on which core ran.
 */
import { BaseError, type BaseErrorOptions, type ErrorCodeOf } from '../runtime/index.ts'

/** An FFT argument is out of range: the message names the argument and what is allowed. */
export class FftInvalidArgumentError extends BaseError {
  static override readonly code = 'FFT_INVALID_ARGUMENT'
  override name = 'FftInvalidArgumentError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(FftInvalidArgumentError.code, shortMessage, { kind: 'application', ...options })
  }
}

/** The committed WebAssembly module could not be read or instantiated. */
export class FftWasmUnavailableError extends BaseError {
  static override readonly code = 'FFT_WASM_UNAVAILABLE'
  override name = 'FftWasmUnavailableError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(FftWasmUnavailableError.code, shortMessage, { kind: 'runtime', ...options })
  }
}

/** The wasm toolchain (Debian rustc/cargo with the wasm32 standard library) is missing. */
export class WasmToolchainMissingError extends BaseError {
  static override readonly code = 'WASM_TOOLCHAIN_MISSING'
  override name = 'WasmToolchainMissingError'
  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(WasmToolchainMissingError.code, shortMessage, { kind: 'runtime', ...options })
  }
}

/** Every error class of this package; `WasmErrorCode` is their codes (pinned by tests/error-codes.test.ts). */
export const wasmErrors = [
  FftInvalidArgumentError,
  FftWasmUnavailableError,
  WasmToolchainMissingError,
] as const

export type WasmErrorCode = ErrorCodeOf<typeof wasmErrors>
