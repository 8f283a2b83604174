import { describe, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCommand } from '../../../runtime/index.ts'
import { surveilCommand } from './surveil-command.ts'

const clip = join(
  import.meta.dir,
  '..',
  '..',
  '..',
  'tests',
  'fixtures',
  'video',
  'one-by-one-excerpt.mp4',
)

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCommand(surveilCommand, argv, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  })
  return { code, out, err }
}

describe('vigil surveil', () => {
  test('track writes MOT-challenge lines in the original pixel coordinates and a JSON summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'surveil-'))
    try {
      const mot = join(dir, 'out.txt')
      const { code, out } = await run(['track', clip, '--mot', mot, '--width', '192', '--json'])
      expect(code).toBe(0)
      const summary = JSON.parse(out[0] as string)
      expect(summary).toMatchObject({
        frames: 120,
        width: 384,
        height: 216,
        processingWidth: 192,
        detector: 'blobs',
      })
      const lines = (await Bun.file(mot).text()).trim().split('\n')
      expect(lines.length).toBe(summary.motLines)
      for (const line of lines)
        expect(line).toMatch(/^\d+,\d+,-?[\d.]+,-?[\d.]+,[\d.]+,[\d.]+,[\d.]+,-1,-1,-1$/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('decide alerts a long wandering track and not a short direct one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'surveil-'))
    try {
      const file = join(dir, 'features.json')
      const loiter = { dwell: 150, speed: 0.4, straightness: 0.1, turns: 2, zoneRisk: 0 }
      const pass = { dwell: 10, speed: 1, straightness: 0.95, turns: 0, zoneRisk: 0 }
      const samples = [1, 2, 3].flatMap(() => [
        { trackId: 7, features: loiter },
        { trackId: 8, features: pass },
      ])
      await Bun.write(file, JSON.stringify({ samples }))
      const { code, out } = await run(['decide', file, '--json'])
      expect(code).toBe(0)
      expect(JSON.parse(out[0] as string).alerts).toEqual([7])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('refuses an unknown detector with a message that names the choice', async () => {
    const { code, err } = await run(['track', clip, '--mot', '/dev/null', '--detector', 'yolo'])
    expect(code).not.toBe(0)
    expect(err.join('\n')).toContain('use blobs or learned')
  })

  test('run plays the clip through the five actors and alerts the person who steps into a restricted zone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'surveil-'))
    try {
      const zones = join(dir, 'zones.json')
      // The floor around the table (384×216 decode): the person of the excerpt stands there.
      const polygon = [
        [150, 150],
        [300, 150],
        [300, 216],
        [150, 216],
      ]
      await Bun.write(
        zones,
        JSON.stringify({ zones: [{ name: 'table', restricted: true, polygon }] }),
      )
      const { code, out } = await run([
        'run',
        '--camera',
        clip,
        '--zones',
        zones,
        '--frames',
        '120',
        '--json',
      ])
      expect(code).toBe(0)
      const lines = out.map((l) => JSON.parse(l))
      const summary = lines.at(-1)
      expect(summary).toMatchObject({ camera: 'cam-1', frames: 120, ended: true })
      const intrusions = lines.filter((l) => l.kind === 'intrusion')
      expect(intrusions.length).toBeGreaterThanOrEqual(1)
      expect(intrusions[0]).toMatchObject({ zone: 'table', cameraId: 'cam-1' })
      expect(summary.alerts).toBe(lines.length - 1)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)

  test('run refuses a zones file without polygons, saying what a zone needs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'surveil-'))
    try {
      const zones = join(dir, 'zones.json')
      await Bun.write(zones, JSON.stringify({ zones: [{ name: 'x' }] }))
      const { code, err } = await run(['run', '--camera', clip, '--zones', zones])
      expect(code).not.toBe(0)
      expect(err.join('\n')).toContain('polygon')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
