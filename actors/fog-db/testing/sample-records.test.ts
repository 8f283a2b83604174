import { describe, expect, test } from 'bun:test'
import { sampleRecords } from './sample-records.ts'

type Data = Record<string, unknown>

/** When each record's event happened (cameras are installations, not events). */
const times = (seed: number) =>
  sampleRecords(500, seed, `s${seed}`)
    .filter(({ table }) => table !== 'cameras')
    .map(({ data }) => {
      const d = data as Data
      return (d.tsMs ?? d.startMs ?? d.capturedAtMs) as number
    })

const named = (seed: number, column: string) =>
  new Set(
    sampleRecords(500, seed, `s${seed}`)
      .map(({ data }) => (data as Data)[column])
      .filter((value) => typeof value === 'string'),
  )

describe('sampleRecords', () => {
  test('is the same for the same seed and prefix', () => {
    expect(sampleRecords(200, 7, 'x')).toEqual(sampleRecords(200, 7, 'x'))
  })

  test("a later seed's records are timed after an earlier seed's, as a pipeline's next call is", () => {
    const first = times(3)
    const next = times(4)
    expect(first.every(Number.isFinite)).toBe(true)
    expect(Math.min(...next)).toBeGreaterThan(Math.max(...first))
  })

  test('each call names its own segments, tracks and recordings', () => {
    for (const column of ['segmentId', 'trackId', 'recordingId']) {
      const shared = [...named(1, column)].filter((id) => named(2, column).has(id))
      expect(named(1, column).size).toBeGreaterThan(0)
      expect(shared).toEqual([])
    }
  })
})
