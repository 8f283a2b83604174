import { describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { sha256File } from './sha256-file.ts'
import { enfFixturePath } from './testing/index.ts'

describe('sha256File', () => {
  test('streams a file to the same hash as hashing its bytes at once', async () => {
    const path = enfFixturePath('ENFify/notebooks/Wuhan_ENF_data/down_001.wav')
    const whole = createHash('sha256')
      .update(new Uint8Array(await Bun.file(path).arrayBuffer()))
      .digest('hex')
    expect(await sha256File(path)).toBe(whole)
  })
})
