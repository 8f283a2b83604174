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

type Call = { readonly t0: number; readonly prefix: string }

function dataOf(
  table: FogTable,
  i: number,
  random: () => number,
  call: Call,
): Record<string, unknown> {
  const camera = `cam-${i % 7}`
  const ts = call.t0 + i * 40
  const trackId = `${call.prefix}-trk-${i % 50}`
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
        segmentId: i % 4 ? `${call.prefix}-seg-${Math.floor(i / 100)}` : null,
        tsMs: ts,
        label: ['person', 'car', 'bike'][i % 3],
        confidence: Math.round(random() * 1e6) / 1e6,
        bbox: [random(), random(), random(), random()],
      }
    case 'tracks':
      return { cameraId: camera, startMs: ts, endMs: i % 5 ? ts + 2000 : null, label: 'person' }
    case 'track_features':
      return {
        trackId,
        tsMs: ts,
        model: 'osnet-x0.25',
        vector: Array.from({ length: 8 }, () => random() - 0.5),
      }
    case 'alerts':
      return {
        cameraId: camera,
        trackId: i % 3 ? trackId : null,
        tsMs: ts,
        kind: 'loitering',
        severity: ['low', 'high'][i % 2],
        decision: null,
      }
    case 'enf_fingerprints':
      return {
        recordingId: `${call.prefix}-rec-${i}`,
        cameraId: camera,
        capturedAtMs: ts,
        fingerprintSha256: 'cd'.repeat(32),
        ledgerKey: `enf:edge-1/${call.prefix}-rec-${i}`,
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

/**
 * `count` records spread over the tables (mostly detections and features), ids prefixed by
 * `prefix`. Each seed's records cover their own stretch of time (40 ms apart, after the stretch of
 * seed - 1), and the segments, tracks and recordings they name are their own, as a pipeline's
 * successive calls are: not the same timestamps and ids again in every call, which would make
 * every index insert land on another page of an ever larger index.
 */
export function sampleRecords(count: number, seed = 1, prefix = 'r'): IntegrityRecord[] {
  const random = seededRandom(seed)
  const call = { t0: T0 + seed * count * 40, prefix }
  return Array.from({ length: count }, (_, i) => {
    const table = TABLES[i % 10 < 4 ? 0 : i % 10 < 7 ? 1 : 2 + (Math.floor(i / 10) % 5)] as FogTable
    return { table, id: `${prefix}-${i}`, data: dataOf(table, i, random, call) }
  })
}
