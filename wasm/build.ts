/**
 * `bun run build:wasm [--check]`: rebuilds wasm/dist/vigil_fft.wasm and
 * wasm/dist/build-info.json from the Rust crate in wasm/ (see build-wasm.ts).
 * With --check it writes nothing and exits 1 when the fresh build differs from
 * the committed one. Needs Debian's `rustc cargo libstd-rust-dev-wasm32` and
 * a rustup cargo (for `cargo vendor`).
 */
import { readFileSync } from 'node:fs'
import { BaseError } from '../runtime/index.ts'
import { buildWasm, DIST_WASM, readBuildInfo, sha256, writeDist } from './build-wasm.ts'

const check = Bun.argv.includes('--check')
try {
  const result = buildWasm({ log: (line) => process.stderr.write(`${line}\n`) })
  if (check) {
    const committed = sha256(new Uint8Array(readFileSync(DIST_WASM)))
    const info = readBuildInfo()
    if (committed !== result.info.wasm_sha256) {
      process.stderr.write(
        `wasm/dist/vigil_fft.wasm (${committed}) differs from a fresh build (${result.info.wasm_sha256}); ` +
          `committed with ${info.rustc}, rebuilt with ${result.info.rustc}. Run \`bun run build:wasm\` and commit wasm/dist.\n`,
      )
      process.exit(1)
    }
    process.stdout.write(`wasm/dist/vigil_fft.wasm matches a fresh build (${committed})\n`)
  } else {
    writeDist(result)
    process.stdout.write(
      `wrote wasm/dist/vigil_fft.wasm (${result.info.wasm_bytes} bytes, sha256 ${result.info.wasm_sha256}) with ${result.info.rustc}\n`,
    )
  }
} catch (error) {
  process.stderr.write(`${error instanceof BaseError ? error.message : String(error)}\n`)
  process.exit(1)
}
