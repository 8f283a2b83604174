/**
 * Finds the toolchain that builds wasm/dist/vigil_fft.wasm: Debian's rustc
 * (with the wasm32 standard library from libstd-rust-dev-wasm32) and Debian's
 * cargo, which matches that rustc (rustup's newer cargo cannot drive rustc
 * 1.63). Crate sources are fetched by a modern cargo (`cargo vendor`), since
 * Debian's cargo 0.66 only knows the git index. The committed .wasm is
 * byte-for-byte reproducible only with the rustc recorded in build-info.json.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { WasmToolchainMissingError } from './errors.ts'

/** How to get the toolchain on Debian/Ubuntu; printed by every toolchain error. */
export const WASM_TOOLCHAIN_INSTALL_HINT =
  'install it with `apt-get install -y rustc cargo libstd-rust-dev-wasm32` (Debian bookworm: rustc 1.63), ' +
  'or point VIGIL_WASM_RUSTC / VIGIL_WASM_CARGO at a rustc with the wasm32-unknown-unknown target and its matching cargo'

export type WasmToolchain = {
  /** rustc that has the wasm32-unknown-unknown standard library. */
  rustc: string
  /** cargo of the same release as `rustc`. */
  cargo: string
  /** A cargo ≥ 1.68 (sparse crates.io index) for `cargo vendor`; only needed until target/vendor is filled. */
  vendorCargo: string | undefined
  /** `rustc --version`, e.g. `rustc 1.63.0`. */
  rustcVersion: string
  /** `cargo --version` of `cargo`. */
  cargoVersion: string
}

export type FindWasmToolchainOptions = {
  /** Defaults to `VIGIL_WASM_RUSTC` or /usr/bin/rustc. */
  rustc?: string | undefined
  /** Defaults to `VIGIL_WASM_CARGO` or /usr/bin/cargo. */
  cargo?: string | undefined
  /** Defaults to `VIGIL_VENDOR_CARGO` or `cargo` on PATH (rustup's). */
  vendorCargo?: string | undefined
}

/** Returns the wasm toolchain, or throws {@link WasmToolchainMissingError} saying how to install it. */
export function findWasmToolchain(options: FindWasmToolchainOptions = {}): WasmToolchain {
  const rustc = options.rustc ?? Bun.env.VIGIL_WASM_RUSTC ?? '/usr/bin/rustc'
  const cargo = options.cargo ?? Bun.env.VIGIL_WASM_CARGO ?? '/usr/bin/cargo'
  const rustcVersion = versionOf(rustc)
  if (!rustcVersion) throw missing(`no rustc at ${rustc}`)
  const sysroot = output([rustc, '--print', 'sysroot'])
  if (!sysroot || !existsSync(join(sysroot, 'lib', 'rustlib', 'wasm32-unknown-unknown', 'lib'))) {
    throw missing(`${rustc} (${rustcVersion}) has no wasm32-unknown-unknown standard library`)
  }
  const cargoVersion = versionOf(cargo)
  if (!cargoVersion) throw missing(`no cargo at ${cargo}`)
  const candidate =
    options.vendorCargo ?? Bun.env.VIGIL_VENDOR_CARGO ?? Bun.which('cargo') ?? undefined
  const vendorVersion = candidate ? versionOf(candidate) : undefined
  const vendorCargo = vendorVersion && minorOf(vendorVersion) >= 68 ? candidate : undefined
  return { rustc, cargo, vendorCargo, rustcVersion, cargoVersion }
}

/** The error for a missing `cargo vendor`-capable cargo. */
export function vendorCargoMissing(): WasmToolchainMissingError {
  return new WasmToolchainMissingError(
    'fetching the locked crate sources needs cargo ≥ 1.68 on PATH (Debian’s cargo 0.66 only knows the git index); install Rust with rustup (https://rustup.rs) or set VIGIL_VENDOR_CARGO',
  )
}

function missing(problem: string): WasmToolchainMissingError {
  return new WasmToolchainMissingError(
    `cannot build the FFT core for WebAssembly: ${problem}; ${WASM_TOOLCHAIN_INSTALL_HINT}`,
  )
}

function versionOf(binary: string): string | undefined {
  const text = output([binary, '--version'])
  return text?.split(' (')[0]
}

function minorOf(version: string): number {
  const match = /(\d+)\.(\d+)/.exec(version)
  return match ? Number(match[2]) + 1000 * (Number(match[1]) - 1) : 0
}

function output(command: string[]): string | undefined {
  try {
    const result = Bun.spawnSync(command, { stdout: 'pipe', stderr: 'ignore' })
    return result.exitCode === 0 ? result.stdout.toString().trim() : undefined
  } catch {
    return undefined
  }
}
