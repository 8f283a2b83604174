import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { SurveilInvalidParameterError } from './errors.ts'
import { createLearnedDetector, type LearnedDetector } from './learned-detector.ts'
import { readVideoFrames } from './read-video-frames.ts'
import type { VideoFrame } from './video-frame.ts'

const clip = join(
  import.meta.dir,
  '..',
  '..',
  'tests',
  'fixtures',
  'video',
  'one-by-one-excerpt.mp4',
)
const fetched: string[] = []
const realFetch = globalThis.fetch
let detector: LearnedDetector

beforeAll(async () => {
  globalThis.fetch = ((url: string | URL | Request, init?: RequestInit) => {
    fetched.push(typeof url === 'string' ? url : url instanceof URL ? url.href : url.url)
    return realFetch(url, init)
  }) as typeof fetch
  try {
    detector = await createLearnedDetector()
  } finally {
    globalThis.fetch = realFetch
  }
}, 60_000)
afterAll(() => {
  globalThis.fetch = realFetch
})

describe('learned person detector (CenterNet + BlazeFace from @vladmandic/human on WASM)', () => {
  test('loads its models from the npm package on disk and fetches nothing else', () => {
    expect(fetched.some((u) => u.endsWith('/models/centernet.bin'))).toBe(true)
    expect(fetched.some((u) => u.endsWith('/models/blazeface.bin'))).toBe(true)
    for (const url of fetched) expect(url).toMatch(/^file:\/\/.*\/node_modules\//)
  })

  test('finds the person standing in most frames of the real clip excerpt, boxed around them', async () => {
    let withPerson = 0
    let frames = 0
    for await (const frame of readVideoFrames(clip, {
      width: 640,
      height: 360,
      pixelFormat: 'rgb24',
      startSeconds: 3,
      maxFrames: 20,
    })) {
      frames += 1
      const { persons } = await detector.detect(frame)
      // From 3 s on, one person stands by the table, between x ≈ 300 and 440 of 640.
      const onPerson = persons.filter((p) => p.x + p.w / 2 > 300 && p.x + p.w / 2 < 440)
      if (onPerson.length > 0) withPerson += 1
      for (const p of persons) {
        expect(p.h).toBeGreaterThan(p.w)
        expect(p.score).toBeGreaterThanOrEqual(0.2)
      }
    }
    expect(frames).toBe(20)
    expect(withPerson).toBeGreaterThanOrEqual(16)
  }, 60_000)

  test('refuses a grey frame with a typed error naming the pixel format to use', async () => {
    const grey: VideoFrame = {
      index: 1,
      width: 64,
      height: 64,
      channels: 1,
      pixels: new Uint8Array(64 * 64),
    }
    const error = await detector.detect(grey).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SurveilInvalidParameterError)
    expect((error as Error).message).toContain('rgb24')
  })

  test('finds no one and looks for no faces on an empty scene', async () => {
    const empty: VideoFrame = {
      index: 1,
      width: 640,
      height: 360,
      channels: 3,
      pixels: new Uint8Array(640 * 360 * 3).fill(128),
    }
    expect(await detector.detect(empty)).toEqual({ persons: [], faces: [] })
  })

  test('refuses an input width below 64 pixels with a typed error', async () => {
    const error = await createLearnedDetector({ inputWidth: 16 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SurveilInvalidParameterError)
    expect((error as Error).message).toContain('inputWidth')
  })
})
