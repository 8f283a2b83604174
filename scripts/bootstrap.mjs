#!/usr/bin/env node
/**
 * The one entry behind `npm start` and `npm test` on a fresh clone.
 *
 * Needs only Node/npm (and Go for cometbft). Installs into the git-ignored
 * `.tools/` folder, once, and reuses it on later runs:
 * - Bun (pinned, from the npm registry) into `.tools/bun/`;
 * - the project's packages with `bun install --frozen-lockfile` (anvil comes
 *   from @foundry-rs/anvil, whose platform package carries the binary);
 * - CometBFT with `go install …@v0.38.25` into `.tools/bin/`;
 * - for `test` and `setup`: Debian's wasm32 Rust toolchain (`rustc cargo
 *   libstd-rust-dev-wasm32`, via apt-get when running as root), which the
 *   reproducibility test of wasm/dist/vigil_fft.wasm needs. vigil itself runs
 *   from the committed .wasm and never needs Rust.
 * - Debian's ffmpeg (via apt-get when running as root), which decodes media
 *   to raw PCM for ENF extraction.
 * - for `test` and `setup`: Debian's postgresql (via apt-get when running as
 *   root), whose initdb/pg_ctl the fog database tests start a server with.
 * - for `test` and `setup`: Debian's chromium (via apt-get when running as
 *   root), the headless browser the dashboard tests drive with playwright-core.
 *
 * Then it runs the requested command with Bun, with `.tools/bin` on PATH, in
 * a process group of its own that every stop request reaches
 * (run-forwarding-signals.mjs):
 *   node scripts/bootstrap.mjs setup   install only
 *   node scripts/bootstrap.mjs start   vigil's one-machine domain
 *   node scripts/bootstrap.mjs test    the whole suite (lint, types, bun test)
 *
 * Plain Node on purpose: it must run before Bun exists.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { arch, platform } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runForwardingSignals } from './run-forwarding-signals.mjs'

export const BUN_VERSION = '1.4.5'
export const COMETBFT_VERSION = 'v0.38.25'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const tools = join(root, '.tools')
const toolsBin = join(tools, 'bin')

function log(message) {
  process.stderr.write(`[vigil setup] ${message}\n`)
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    cwd: root,
    ...options,
  })
  if (result.error) {
    throw new Error(`could not run ${command}: ${result.error.message}`)
  }
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`)
  }
}

function bunPath() {
  const exe = join(tools, 'bun', 'node_modules', 'bun', 'bin', 'bun.exe')
  return exe
}

function ensureBun() {
  const bun = bunPath()
  if (existsSync(bun)) {
    const version = spawnSync(bun, ['--version'], { encoding: 'utf8' })
    if (version.stdout?.trim() === BUN_VERSION) {
      linkBun(bun)
      return bun
    }
  }
  log(`installing bun ${BUN_VERSION} from the npm registry into .tools/bun`)
  mkdirSync(join(tools, 'bun'), { recursive: true })
  writeFileSync(join(tools, 'bun', 'package.json'), '{"name":"vigil-tools-bun","private":true}\n')
  run('npm', [
    'install',
    '--prefix',
    join(tools, 'bun'),
    `bun@${BUN_VERSION}`,
    '--no-audit',
    '--no-fund',
    '--no-save',
    '--loglevel=error',
  ])
  if (!existsSync(bun)) {
    // The bun package normally links its platform binary at install time;
    // fall back to running its own postinstall if npm skipped scripts.
    run('node', [join(tools, 'bun', 'node_modules', 'bun', 'install.js')])
  }
  if (!existsSync(bun)) throw new Error(`bun was not installed at ${bun}`)
  linkBun(bun)
  return bun
}

/** Puts a plain `bun` name on PATH (.tools/bin/bun → the package's bun.exe). */
function linkBun(bun) {
  mkdirSync(toolsBin, { recursive: true })
  const link = join(toolsBin, 'bun')
  if (!existsSync(link)) symlinkSync(bun, link)
}

function ensurePackages(bun) {
  const lock = join(root, 'bun.lock')
  const stamp = join(tools, 'packages.stamp')
  const digest = createHash('sha256')
    .update(readFileSync(join(root, 'package.json')))
    .update(existsSync(lock) ? readFileSync(lock) : '')
    .digest('hex')
  if (
    existsSync(join(root, 'node_modules')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === digest
  ) {
    return
  }
  log('installing packages (bun install --frozen-lockfile)')
  run(bun, ['install', '--frozen-lockfile'])
  writeFileSync(stamp, digest)
}

function ensureCometbft() {
  const binary = join(toolsBin, 'cometbft')
  if (existsSync(binary)) {
    const version = spawnSync(binary, ['version'], { encoding: 'utf8' })
    if (`v${version.stdout?.trim()}` === COMETBFT_VERSION) return binary
  }
  log(`installing cometbft ${COMETBFT_VERSION} with go install into .tools/bin`)
  mkdirSync(toolsBin, { recursive: true })
  run('go', ['install', `github.com/cometbft/cometbft/cmd/cometbft@${COMETBFT_VERSION}`], {
    env: { ...process.env, GOBIN: toolsBin, CGO_ENABLED: '0' },
  })
  return binary
}

function ensureAnvil() {
  const platformName = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[platform()]
  const archName = { x64: 'amd64', arm64: 'arm64' }[arch()]
  const candidate = join(
    root,
    'node_modules',
    '@foundry-rs',
    `anvil-${platformName}-${archName}`,
    'bin',
    'anvil',
  )
  if (!existsSync(candidate)) {
    throw new Error(
      `anvil binary not found at ${candidate}: @foundry-rs/anvil has no package for ${platform()}/${arch()}`,
    )
  }
  return candidate
}

/** True when Debian's rustc has the wasm32 standard library and Debian's cargo is present. */
function hasWasmToolchain() {
  const sysroot = spawnSync('/usr/bin/rustc', ['--print', 'sysroot'], { encoding: 'utf8' })
  if (sysroot.status !== 0) return false
  const std = join(sysroot.stdout.trim(), 'lib', 'rustlib', 'wasm32-unknown-unknown', 'lib')
  return existsSync(std) && existsSync('/usr/bin/cargo')
}

/**
 * Installs Debian's wasm32 Rust toolchain when it is missing and we may
 * (root, apt-get present). Never fatal: without it only the wasm
 * reproducibility test fails, with the same install hint.
 */
export function ensureWasmToolchain() {
  if (hasWasmToolchain()) return true
  const packages = ['rustc', 'cargo', 'libstd-rust-dev-wasm32']
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0
  if (!canInstall) {
    log(`wasm toolchain missing; install it with: sudo apt-get install -y ${packages.join(' ')}`)
    return false
  }
  log(`installing the wasm toolchain with apt-get (${packages.join(' ')})`)
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const install = spawnSync('apt-get', ['install', '-y', ...packages], { stdio: 'inherit', env })
    if (install.status !== 0) {
      run('apt-get', ['update'], { env })
      run('apt-get', ['install', '-y', ...packages], { env })
    }
  } catch (error) {
    log(`could not install the wasm toolchain: ${error.message}`)
  }
  return hasWasmToolchain()
}

/** Debian's ffmpeg decodes media to raw PCM for ENF extraction (start and tests need it). */
export function ensureFfmpeg() {
  return ensureDebianPackage(
    'ffmpeg',
    () => spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0,
  )
}

/** Debian's PostgreSQL server binaries (/usr/lib/postgresql/<n>/bin): the fog database tests run one. */
export function ensurePostgres() {
  const present = () =>
    existsSync('/usr/lib/postgresql') &&
    readdirSync('/usr/lib/postgresql').some((v) =>
      existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb')),
    )
  return ensureDebianPackage('postgresql', present)
}

/** Debian's Chromium: the dashboard's browser tests (tests/dashboard/) drive it headless. */
export function ensureChromium() {
  const binary = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium'
  return ensureDebianPackage('chromium', () => existsSync(binary))
}

function ensureDebianPackage(name, present) {
  if (present()) return true
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0
  if (!canInstall) {
    log(`${name} missing; install it with: sudo apt-get install -y ${name}`)
    return false
  }
  log(`installing ${name} with apt-get`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  try {
    const install = spawnSync('apt-get', ['install', '-y', name], { stdio: 'inherit', env })
    if (install.status !== 0) {
      run('apt-get', ['update'], { env })
      run('apt-get', ['install', '-y', name], { env })
    }
  } catch (error) {
    log(`could not install ${name}: ${error.message}`)
  }
  return present()
}

export function setup() {
  const bun = ensureBun()
  ensurePackages(bun)
  const cometbft = ensureCometbft()
  const anvil = ensureAnvil()
  writeFileSync(join(tools, 'tools.json'), `${JSON.stringify({ bun, cometbft, anvil }, null, 2)}\n`)
  return { bun, cometbft, anvil }
}

async function main() {
  const [command = 'setup', ...rest] = process.argv.slice(2)
  let paths
  try {
    paths = setup()
    ensureFfmpeg()
    if (command === 'test' || command === 'setup') ensureWasmToolchain()
    if (command === 'test' || command === 'setup') ensurePostgres()
    if (command === 'test' || command === 'setup') ensureChromium()
  } catch (error) {
    log(`set-up failed: ${error.message}`)
    process.exit(1)
  }
  const env = {
    ...process.env,
    PATH: `${toolsBin}:${dirname(paths.bun)}:${process.env.PATH ?? ''}`,
    VIGIL_COMETBFT_BIN: paths.cometbft,
    VIGIL_ANVIL_BIN: paths.anvil,
  }
  const commands = {
    setup: null,
    start: ['scripts/vigil.ts', 'start', ...rest],
    test: ['scripts/test.ts', ...rest],
  }
  if (!(command in commands)) {
    log(`unknown command "${command}"; use setup, start or test`)
    process.exit(2)
  }
  const args = commands[command]
  if (!args) return
  process.exit(await runForwardingSignals(paths.bun, args, { cwd: root, env }))
}

await main()
