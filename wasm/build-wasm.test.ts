import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { DIST_WASM, readBuildInfo, sha256, sourcesDigest } from './build-wasm.ts'

describe('wasm/dist build info', () => {
  test('records the hash of the committed module', () => {
    const bytes = new Uint8Array(readFileSync(DIST_WASM))
    const info = readBuildInfo()
    expect({ sha256: sha256(bytes), bytes: bytes.length }).toEqual({
      sha256: info.wasm_sha256,
      bytes: info.wasm_bytes,
    })
  })

  test('was built from the current Rust sources (run `bun run build:wasm` after editing them)', () => {
    expect(sourcesDigest()).toBe(readBuildInfo().sources_sha256)
  })
})
