/**
 * Test and bench data: deterministic records for every fog table (a seeded
 * PRNG), shaped as the pipeline would produce them, with every column given.
 */
import type { IntegrityRecord } from '../../integrity/index.ts'
import type { FogTable } from '../fog-tables.ts'

/** A small seeded PRNG (mulberry32), so campaigns are reproducible from their seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const T0 = 1_764_547_200_000

function dataOf(table: FogTable, i: number, random: () => number): Record<string, unknown> {
  const camera = `cam-${i % 7}`
  const ts = T0 + i * 40
  switch (table) {
    case 'cameras':
      return {
        zone: `zone-${i % 3}`,
        label: `Camera ${i}`,
        latitude: 51.5 + random() / 100,
        longitude: i % 2 ? null : -0.12,
        installedAtMs: T0 - i,
      }
    case 'segments':
      return {
        cameraId: camera,
        startMs: ts,
        endMs: ts + 10_000,
        uri: `file:///media/${camera}/${i}.mp4`,
        sha256: 'ab'.repeat(32),
      }
    case 'detections':
      return {
        cameraId: camera,
        segmentId: i % 4 ? `seg-${i}` : null,
        tsMs: ts,
        label: ['person', 'car', 'bike'][i % 3],
        confidence: Math.round(random() * 1e6) / 1e6,
        bbox: [random(), random(), random(), random()],
      }
    case 'tracks':
      return { cameraId: camera, startMs: ts, endMs: i % 5 ? ts + 2000 : null, label: 'person' }
    case 'track_features':
      return {
        trackId: `trk-${i % 50}`,
        tsMs: ts,
        model: 'osnet-x0.25',
        vector: Array.from({ length: 8 }, () => random() - 0.5),
      }
    case 'alerts':
      return {
        cameraId: camera,
        trackId: i % 3 ? `trk-${i % 50}` : null,
        tsMs: ts,
        kind: 'loitering',
        severity: ['low', 'high'][i % 2],
        decision: null,
      }
    case 'enf_fingerprints':
      return {
        recordingId: `rec-${i}`,
        cameraId: camera,
        capturedAtMs: ts,
        fingerprintSha256: 'cd'.repeat(32),
        ledgerKey: `enf:edge-1/rec-${i}`,
      }
  }
}

const TABLES: FogTable[] = [
  'detections',
  'track_features',
  'alerts',
  'tracks',
  'segments',
  'cameras',
  'enf_fingerprints',
]

/** `count` records spread over the tables (mostly detections and features), ids prefixed by `prefix`. */
export function sampleRecords(count: number, seed = 1, prefix = 'r'): IntegrityRecord[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, (_, i) => {
    const table = TABLES[i % 10 < 4 ? 0 : i % 10 < 7 ? 1 : 2 + (Math.floor(i / 10) % 5)] as FogTable
    return { table, id: `${prefix}-${i}`, data: dataOf(table, i, random) }
  })
}
