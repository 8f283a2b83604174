import { afterAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { createActorSystem } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'

const here = import.meta.dir
const clip = join(here, '..', '..', 'tests', 'fixtures', 'video', 'one-by-one-excerpt.mp4')
const system = createActorSystem({ config: { spareWorkers: 0 } })
afterAll(() => system.shutdown({ deadlineMs: 5000 }))

describe('surveillance pipeline through the kernel', () => {
  test('runs camera → detector → tracker → features → decision in workers on the real clip and records features', async () => {
    const spawn = (name: string, file: string, exportName: string, args: unknown) =>
      system.spawn(name, { module: join(here, file), export: exportName }, { args })
    await spawn('integrity', 'testing/fake-integrity-actor-fixture.ts', 'fakeIntegrityActor', {})
    await spawn('surveil-decision', 'decision-actor.ts', 'decisionActor', {
      integrityActor: 'integrity',
    })
    await spawn('surveil-features', 'features-actor.ts', 'featuresActor', {
      integrityActor: 'integrity',
    })
    await spawn('surveil-tracker', 'tracker-actor.ts', 'trackerActor', {})
    await spawn('surveil-detector', 'detector-actor.ts', 'detectorActor', { detector: 'blobs' })
    await spawn('surveil-camera', 'camera-actor.ts', 'cameraActor', {
      cameraId: 'cam-1',
      input: clip,
      width: 384,
      height: 216,
      fps: 10,
    })
    const stats = await waitFor(
      async () => {
        const s = (await system.ask('surveil-camera', 'camera.stats', {})) as {
          ended: boolean
          frames: number
        }
        return s.ended ? s : undefined
      },
      { timeoutMs: 30_000, message: 'camera to finish the clip' },
    )
    expect(stats.frames).toBe(120)
    const detected = (await system.ask('surveil-detector', 'detector.stats', {})) as {
      frames: number
    }
    // Every decoded frame went through the shared ring to the detector (none dropped from a file).
    expect(detected.frames).toBe(120)
    const tracks = (await system.ask('surveil-tracker', 'tracker.tracks', {
      cameraId: 'cam-1',
    })) as { created: number }
    expect(tracks.created).toBeGreaterThan(0)
    const features = await waitFor(async () => {
      const list = (await system.ask('integrity', 'integrity.list', {
        kind: 'surveillance.features',
      })) as { keys: string[] }
      return list.keys.length > 0 ? list : undefined
    })
    expect(features.keys[0]).toMatch(/^cam-1:\d+:/)
    const alerts = (await system.ask('surveil-decision', 'decision.alerts', {})) as {
      decisions: number
      frameToFeatureP50Ms: number
    }
    expect(alerts.decisions).toBeGreaterThan(0)
    console.log(
      'pipeline',
      JSON.stringify({
        stats,
        created: tracks.created,
        features: features.keys.length,
        decisions: alerts.decisions,
        p50: alerts.frameToFeatureP50Ms,
      }),
    )
  })
})
