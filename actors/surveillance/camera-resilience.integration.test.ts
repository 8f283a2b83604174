import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createActorSystem } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'

const here = import.meta.dir
const clip = join(here, '..', '..', 'tests', 'fixtures', 'video', 'one-by-one-excerpt.mp4')
const system = createActorSystem({ config: { spareWorkers: 0 } })
let dir = ''

type Stats = {
  frames: number
  restarts: number
  stalls: number
  ended: boolean
  lastError: string | null
}
const stats = (name: string) => system.ask(name, 'camera.stats', {}) as Promise<Stats>
const spawn = (name: string, file: string, exportName: string, args: unknown) =>
  system.spawn(name, { module: join(here, file), export: exportName }, { args })
const camera = (name: string, input: string, extra: Record<string, unknown> = {}) =>
  spawn(name, 'camera-actor.ts', 'cameraActor', {
    cameraId: name,
    input,
    width: 192,
    height: 108,
    loop: true,
    backoffMinMs: 10,
    backoffMaxMs: 40,
    ...extra,
  })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'surveil-camera-'))
  await spawn('surveil-features', 'features-actor.ts', 'featuresActor', {})
  await spawn('surveil-decision', 'decision-actor.ts', 'decisionActor', {})
  await spawn('surveil-tracker', 'tracker-actor.ts', 'trackerActor', {})
  await spawn('surveil-detector', 'detector-actor.ts', 'detectorActor', { detector: 'blobs' })
})
afterAll(async () => {
  await system.shutdown({ deadlineMs: 5000 })
  await rm(dir, { recursive: true, force: true })
})

describe('camera actor on a failing stream (real ffmpeg, real workers)', () => {
  test('restarts a stream that ends and keeps delivering frames, counting restarts', async () => {
    await camera('cam-ends', clip, { maxFrames: 10 })
    const s = await waitFor(
      async () => {
        const v = await stats('cam-ends')
        return v.frames >= 25 && v.restarts >= 2 ? v : undefined
      },
      { timeoutMs: 30_000, message: 'the camera to replay its ended input' },
    )
    expect(s.ended).toBe(false)
    expect(s.lastError).toBeNull()
  })

  test('survives garbage input with counted restarts and the decode error, and recovers once the input is valid', async () => {
    const input = join(dir, 'garbage.mp4')
    await writeFile(input, crypto.getRandomValues(new Uint8Array(64 * 1024)))
    await camera('cam-garbage', input)
    const failing = await waitFor(
      async () => {
        const v = await stats('cam-garbage')
        return v.restarts >= 2 ? v : undefined
      },
      { timeoutMs: 30_000, message: 'the camera to retry its garbage input' },
    )
    expect(failing.frames).toBe(0)
    expect(failing.lastError).toContain('could not decode')
    await copyFile(clip, input)
    await waitFor(async () => ((await stats('cam-garbage')).frames > 0 ? true : undefined), {
      timeoutMs: 30_000,
      message: 'the camera to recover once its input decodes',
    })
  })

  test('kills a stalled stream (a FIFO nobody writes) after stallTimeoutMs and retries it', async () => {
    const fifo = join(dir, 'stalled.fifo')
    expect(Bun.spawnSync(['mkfifo', fifo]).exitCode).toBe(0)
    await camera('cam-stalled', fifo, { stallTimeoutMs: 150 })
    const s = await waitFor(
      async () => {
        const v = await stats('cam-stalled')
        return v.stalls >= 2 && v.restarts >= 2 ? v : undefined
      },
      { timeoutMs: 30_000, message: 'the camera to detect the stall twice' },
    )
    expect(s.frames).toBe(0)
    expect(s.lastError).toContain('stalled')
  })
})
