import { describe, expect, test } from 'bun:test'
import { chmodSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BaseError } from '../../runtime/index.ts'
import { openCameraKeyStore } from './key-store.ts'
import type { RegionBox } from './pad-regions.ts'
import { padRegions } from './pad-regions.ts'
import { scrambleFrame } from './scramble-frame.ts'
import type { Sidecar } from './sidecar.ts'
import { correlation, regionOf, sharedWindows, syntheticFrame } from './testing/index.ts'
import { unscrambleFrame } from './unscramble-frame.ts'

const W = 640
const H = 360
const faces: RegionBox[] = [
  { attribute: 'faces', x: 100, y: 40, w: 40, h: 48 },
  { attribute: 'faces', x: 420, y: 60, w: 36, h: 40 },
]
const people: RegionBox[] = [
  { attribute: 'people', x: 80, y: 20, w: 90, h: 260 },
  { attribute: 'people', x: 400, y: 40, w: 80, h: 250 },
]
const store = () => openCameraKeyStore(mkdtempSync(join(tmpdir(), 'vigil-privacy-')), 'cam-1')

function scrambled(seq = 0, seed = 1) {
  const keys = store()
  const epoch = keys.nextEpoch()
  const original = syntheticFrame(W, H, seed)
  const frame = { ...original, pixels: original.pixels.slice() }
  const sidecar = scrambleFrame(frame, [...people, ...faces], (a) => keys.key(epoch, a), {
    camera: 'cam-1',
    epoch,
    seq,
    t: 1_000 + seq,
  })
  const allKeys = { faces: keys.key(epoch, 'faces'), people: keys.key(epoch, 'people') }
  return { keys, epoch, original, frame, sidecar, allKeys }
}

const codeOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return BaseError.is(error) ? error.code : String(error)
  }
  return 'no error'
}

describe('scrambleFrame', () => {
  test('leaves no original pixel pattern in any face or person region, and nothing else changed', () => {
    const { original, frame, sidecar } = scrambled()
    expect(sidecar.regions.map((r) => r.attribute)).toEqual(['faces', 'faces', 'people', 'people'])
    for (const box of [...faces, ...people]) {
      const before = regionOf(original, box)
      const after = regionOf(frame, box)
      expect(Math.abs(correlation(before, after))).toBeLessThan(0.05)
      expect(sharedWindows(before, after)).toBe(0)
      let equal = 0
      for (let i = 0; i < before.length; i++) if (before[i] === after[i]) equal++
      expect(equal / before.length).toBeLessThan(0.02)
    }
    const outside = regionOf(original, { x: 200, y: 0, w: 180, h: H })
    expect(regionOf(frame, { x: 200, y: 0, w: 180, h: H })).toEqual(outside)
  })

  test('gives back the bit-identical frame to a viewer holding both keys', () => {
    const { original, frame, sidecar, allKeys } = scrambled()
    const clear = unscrambleFrame(frame, sidecar, allKeys, ['faces', 'people'])
    expect(clear.revealed).toHaveLength(4)
    expect(Buffer.from(clear.pixels).equals(Buffer.from(original.pixels))).toBe(true)
  })

  test('shows people but keeps their faces scrambled for a viewer allowed people only', () => {
    const { original, frame, sidecar, allKeys } = scrambled()
    const view = unscrambleFrame(frame, sidecar, { people: allKeys.people }, ['people'])
    const shown = { ...frame, pixels: view.pixels }
    const body = { x: 80, y: 120, w: 90, h: 100 }
    expect(regionOf(shown, body)).toEqual(regionOf(original, body))
    for (const face of faces) {
      const seen = regionOf(shown, face)
      expect(sharedWindows(regionOf(original, face), seen)).toBe(0)
      expect(seen).not.toEqual(regionOf(frame, face))
    }
  })

  test('keeps a face inside a hidden person hidden for a viewer allowed faces only', () => {
    const { frame, sidecar, allKeys } = scrambled()
    const view = unscrambleFrame(frame, sidecar, { faces: allKeys.faces }, ['faces'])
    expect(view.revealed).toEqual([])
    expect(Buffer.from(view.pixels).equals(Buffer.from(frame.pixels))).toBe(true)
  })

  test('refuses a wrong key, a flipped tag, a flipped pixel and a swapped sidecar with PRIVACY_TAMPERED', () => {
    const { frame, sidecar, allKeys, keys, epoch } = scrambled(7)
    const reveal = ['faces', 'people'] as const
    const other = { ...allKeys, people: keys.key(epoch + 1, 'people') }
    expect(codeOf(() => unscrambleFrame(frame, sidecar, other, reveal))).toBe('PRIVACY_TAMPERED')
    const tag = Buffer.from(sidecar.regions[3]?.tag ?? '', 'base64')
    tag[0] = (tag[0] as number) ^ 1
    const flipped: Sidecar = {
      ...sidecar,
      regions: sidecar.regions.map((r, i) => (i === 3 ? { ...r, tag: tag.toString('base64') } : r)),
    }
    expect(codeOf(() => unscrambleFrame(frame, flipped, allKeys, reveal))).toBe('PRIVACY_TAMPERED')
    const pixel = { ...frame, pixels: frame.pixels.slice() }
    const at = (100 * W + 100) * 3
    pixel.pixels[at] = (pixel.pixels[at] as number) ^ 0x80
    expect(codeOf(() => unscrambleFrame(pixel, sidecar, allKeys, reveal))).toBe('PRIVACY_TAMPERED')
    // Frame 8's sidecar (same camera, epoch, boxes) on frame 7: its nonces and AAD are frame 8's.
    const next = scrambleFrame(
      { ...syntheticFrame(W, H), pixels: syntheticFrame(W, H).pixels },
      [...people, ...faces],
      (a) => keys.key(epoch, a),
      { camera: 'cam-1', epoch, seq: 8, t: 0 },
    )
    expect(codeOf(() => unscrambleFrame(frame, next, allKeys, reveal))).toBe('PRIVACY_TAMPERED')
    const moved: Sidecar = {
      ...sidecar,
      regions: sidecar.regions.map((r, i) => (i === 0 ? { ...r, x: r.x + 1 } : r)),
    }
    expect(codeOf(() => unscrambleFrame(frame, moved, allKeys, reveal))).toBe('PRIVACY_TAMPERED')
    const renonced: Sidecar = {
      ...sidecar,
      regions: sidecar.regions.map((r) => ({ ...r, nonce: next.regions[0]?.nonce ?? '' })),
    }
    expect(codeOf(() => unscrambleFrame(frame, renonced, allKeys, reveal))).toBe(
      'PRIVACY_SIDECAR_INVALID',
    )
  })
})

describe('openCameraKeyStore', () => {
  test('never hands out an epoch twice, also after reopening, and derives distinct keys per epoch and attribute', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-privacy-'))
    const first = openCameraKeyStore(dir, 'cam-1')
    const a = first.nextEpoch()
    const b = first.nextEpoch()
    const reopened = openCameraKeyStore(dir, 'cam-1')
    const c = reopened.nextEpoch()
    expect([a, b, c]).toEqual([0, 1, 2])
    expect(reopened.key(1, 'faces')).toEqual(first.key(1, 'faces'))
    const keys = [first.key(0, 'faces'), first.key(0, 'people'), first.key(1, 'faces')]
    expect(new Set(keys.map((k) => Buffer.from(k).toString('hex'))).size).toBe(3)
    expect(openCameraKeyStore(dir, 'cam-2').key(0, 'faces')).not.toEqual(first.key(0, 'faces'))
  })

  test('refuses a master key file that others can read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-privacy-'))
    openCameraKeyStore(dir, 'cam-1')
    chmodSync(join(dir, 'cam-1.master.key'), 0o644)
    expect(codeOf(() => openCameraKeyStore(dir, 'cam-1'))).toBe('PRIVACY_KEY_STORE')
  })
})

describe('padRegions', () => {
  test('grows boxes by the padding, clips them to the frame and drops those outside it', () => {
    const padded = padRegions(
      [
        { attribute: 'faces', x: 10, y: 10, w: 20, h: 20 },
        { attribute: 'people', x: 600, y: 340, w: 60, h: 40 },
        { attribute: 'people', x: -50, y: 100, w: 40, h: 40 },
      ],
      W,
      H,
      { fraction: 0.1, pixels: 2 },
    )
    expect(padded).toEqual([
      { attribute: 'faces', x: 6, y: 6, w: 28, h: 28 },
      { attribute: 'people', x: 592, y: 334, w: 48, h: 26 },
    ])
  })
})
