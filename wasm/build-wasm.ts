/**
 * Builds wasm/dist/vigil_fft.wasm from the Rust crate in wasm/, reproducibly:
 * pinned crates (Cargo.lock, `--locked`), vendored sources, one codegen unit
 * and LTO (Cargo.toml), absolute paths remapped (`--remap-path-prefix`), no
 * timestamps, and the toolchain recorded in wasm/dist/build-info.json. The same
 * sources and rustc therefore give the same bytes on any machine, which is what
 * wasm/build-wasm.integration.test.ts checks against the committed file.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { InternalError } from '../runtime/index.ts'
import { findWasmToolchain, vendorCargoMissing, type WasmToolchain } from './wasm-toolchain.ts'

/** The crate's directory (wasm/). */
export const CRATE_DIR = import.meta.dir
export const DIST_DIR = join(CRATE_DIR, 'dist')
export const DIST_WASM = join(DIST_DIR, 'vigil_fft.wasm')
export const BUILD_INFO = join(DIST_DIR, 'build-info.json')

const TARGET = 'wasm32-unknown-unknown'
const TARGET_DIR = join(CRATE_DIR, 'target')
const VENDOR_DIR = join(TARGET_DIR, 'vendor')
/** Code generation flags, recorded in build-info.json; the path remaps are added per machine. */
const RUSTFLAGS = ['-C', 'target-feature=+simd128']
const FEATURES = ['simd']

/** What wasm/dist/build-info.json records about the committed build. */
export type BuildInfo = {
  wasm: string
  wasm_sha256: string
  wasm_bytes: number
  sources_sha256: string
  sources: string[]
  rustc: string
  cargo: string
  target: string
  rustflags: string[]
  features: string[]
}

export type BuildWasmResult = {
  /** The freshly built module (in wasm/target). */
  wasmPath: string
  bytes: Uint8Array
  info: BuildInfo
}

export type BuildWasmOptions = {
  toolchain?: WasmToolchain | undefined
  /** Receives cargo's progress lines; defaults to discarding them. */
  log?: ((line: string) => void) | undefined
}

/** Files whose content defines the build, relative to wasm/, sorted. */
export function sourceFiles(): string[] {
  const rust = [...new Bun.Glob('src/**/*.rs').scanSync(CRATE_DIR)]
  return ['Cargo.toml', 'Cargo.lock', ...rust].sort()
}

/** SHA-256 over the names and contents of {@link sourceFiles}. */
export function sourcesDigest(): string {
  const hash = createHash('sha256')
  for (const file of sourceFiles()) {
    hash.update(`${file}\0`)
    hash.update(readFileSync(join(CRATE_DIR, file)))
    hash.update('\0')
  }
  return hash.digest('hex')
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Reads the committed build-info.json. */
export function readBuildInfo(): BuildInfo {
  return JSON.parse(readFileSync(BUILD_INFO, 'utf8')) as BuildInfo
}

/** Compiles the crate to wasm32 (release) and returns the module with its build info; writes nothing to dist/. */
export function buildWasm(options: BuildWasmOptions = {}): BuildWasmResult {
  const toolchain = options.toolchain ?? findWasmToolchain()
  const log = options.log ?? (() => {})
  vendorCrates(toolchain, log)
  mkdirSync(join(TARGET_DIR, 'cargo-home'), { recursive: true })
  // Later remaps win, so the vendor directory (inside the crate's target/) is listed last.
  const rustflags = [
    ...RUSTFLAGS,
    `--remap-path-prefix=${CRATE_DIR}=/vigil/wasm`,
    `--remap-path-prefix=${VENDOR_DIR}=/vigil/vendor`,
  ]
  run(
    [
      toolchain.cargo,
      'build',
      '--release',
      '--offline',
      '--locked',
      '--target',
      TARGET,
      '--features',
      FEATURES.join(','),
      '--config',
      'source.crates-io.replace-with="vendored"',
      '--config',
      `source.vendored.directory="${VENDOR_DIR}"`,
    ],
    {
      // A clean environment: no user cargo config, no stray RUSTFLAGS.
      PATH: Bun.env.PATH ?? '/usr/bin:/bin',
      HOME: Bun.env.HOME ?? '/tmp',
      CARGO_HOME: join(TARGET_DIR, 'cargo-home'),
      CARGO_TARGET_DIR: TARGET_DIR,
      RUSTC: toolchain.rustc,
      CARGO_ENCODED_RUSTFLAGS: rustflags.join('\x1f'),
      SOURCE_DATE_EPOCH: '0',
    },
    log,
  )
  const wasmPath = join(TARGET_DIR, TARGET, 'release', 'vigil_fft.wasm')
  const bytes = new Uint8Array(readFileSync(wasmPath))
  const info: BuildInfo = {
    wasm: relative(CRATE_DIR, DIST_WASM),
    wasm_sha256: sha256(bytes),
    wasm_bytes: bytes.length,
    sources_sha256: sourcesDigest(),
    sources: sourceFiles(),
    rustc: toolchain.rustcVersion,
    cargo: toolchain.cargoVersion,
    target: TARGET,
    rustflags: RUSTFLAGS,
    features: FEATURES,
  }
  return { wasmPath, bytes, info }
}

/** Writes a build to wasm/dist/ (the module and build-info.json). */
export function writeDist(result: BuildWasmResult): void {
  mkdirSync(DIST_DIR, { recursive: true })
  writeFileSync(DIST_WASM, result.bytes)
  writeFileSync(BUILD_INFO, `${JSON.stringify(result.info, null, 2)}\n`)
}

/** Fetches the locked crates into target/vendor with a modern cargo, unless already there. */
function vendorCrates(toolchain: WasmToolchain, log: (line: string) => void): void {
  const lock = readFileSync(join(CRATE_DIR, 'Cargo.lock'), 'utf8')
  const packages = [...lock.matchAll(/name = "([^"]+)"\nversion = "([^"]+)"\nsource = /g)]
  const complete = packages.every(([, name, version]) =>
    existsSync(join(VENDOR_DIR, `${name}-${version}`, '.cargo-checksum.json')),
  )
  if (complete) return
  if (!toolchain.vendorCargo) throw vendorCargoMissing()
  run(
    [toolchain.vendorCargo, 'vendor', '--locked', '--versioned-dirs', VENDOR_DIR],
    { ...Bun.env, CARGO_TARGET_DIR: TARGET_DIR },
    log,
  )
}

function run(
  command: string[],
  env: Record<string, string | undefined>,
  log: (line: string) => void,
) {
  const result = Bun.spawnSync(command, { cwd: CRATE_DIR, env, stdout: 'pipe', stderr: 'pipe' })
  const text = `${result.stdout.toString()}${result.stderr.toString()}`.trim()
  for (const line of text.split('\n')) if (line) log(line)
  if (result.exitCode !== 0) {
    throw new InternalError(
      `${command.slice(0, 2).join(' ')} failed with exit code ${result.exitCode}`,
      {
        details: text.split('\n').slice(-30).join('\n'),
        meta: { command: command.join(' ') },
      },
    )
  }
}
