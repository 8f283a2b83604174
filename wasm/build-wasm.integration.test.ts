import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { buildWasm, DIST_WASM, readBuildInfo, sha256 } from './build-wasm.ts'

describe('buildWasm', () => {
  // Vendoring and an LTO build take 15–60 s on a loaded 2-core machine, above the 60 s default.
  test(
    'reproduces the committed wasm/dist/vigil_fft.wasm byte for byte',
    () => {
      // Throws WasmToolchainMissingError (with the apt-get line) when the toolchain is absent.
      const fresh = buildWasm()
      const committed = readBuildInfo()
      expect(fresh.info.rustc).toBe(committed.rustc)
      expect(fresh.info.sources_sha256).toBe(committed.sources_sha256)
      expect(sha256(new Uint8Array(readFileSync(DIST_WASM)))).toBe(fresh.info.wasm_sha256)
      expect(Buffer.compare(readFileSync(DIST_WASM), fresh.bytes)).toBe(0)
    },
    { timeout: 300_000 },
  )
})
