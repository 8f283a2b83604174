import { describe, expect, test } from 'bun:test'
import { surveillanceActors } from './surveillance-placement.ts'

describe('surveillance placement spec', () => {
  const specs = surveillanceActors({
    cameras: [
      { id: 'cam-1', input: 'rtsp://cam-1/stream' },
      { id: 'cam-2', input: 'clip.mp4', detector: 'learned' },
    ],
    integrityActor: 'integrity',
  })
  const byName = new Map(specs.map((s) => [s.name, s]))

  test('places each camera’s edge actors on its own edge host and one decision on fog', () => {
    expect(specs.map((s) => s.name)).toEqual([
      'surveil-camera-cam-1',
      'surveil-detector-cam-1',
      'surveil-tracker-cam-1',
      'surveil-features-cam-1',
      'surveil-camera-cam-2',
      'surveil-detector-cam-2',
      'surveil-tracker-cam-2',
      'surveil-features-cam-2',
      'surveil-decision',
    ])
    for (const s of specs.filter((x) => x.name.endsWith('cam-2')))
      expect(s.placement).toMatchObject({ role: 'edge', labels: { camera: 'cam-2' } })
    expect(byName.get('surveil-decision')?.placement).toMatchObject({ role: 'fog' })
  })

  test('never lets a camera or its detector fall back to another host (they share a frame ring)', () => {
    expect(byName.get('surveil-camera-cam-1')?.placement).toMatchObject({ fallback: 'none' })
    expect(byName.get('surveil-detector-cam-1')?.placement).toMatchObject({ fallback: 'none' })
  })

  test('wires each camera’s chain by name and decodes rgb24 for a learned detector', () => {
    expect(byName.get('surveil-camera-cam-2')?.args).toMatchObject({
      detectorActor: 'surveil-detector-cam-2',
      pixelFormat: 'rgb24',
      realtime: true,
      loop: true,
    })
    expect(byName.get('surveil-detector-cam-2')?.args).toEqual({
      detector: 'learned',
      trackerActor: 'surveil-tracker-cam-2',
    })
    expect(byName.get('surveil-tracker-cam-1')?.args).toEqual({
      featuresActor: 'surveil-features-cam-1',
    })
    expect(byName.get('surveil-features-cam-1')?.args).toMatchObject({
      decisionActor: 'surveil-decision',
      integrityActor: 'integrity',
    })
  })
})
