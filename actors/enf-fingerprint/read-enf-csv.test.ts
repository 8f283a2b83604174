import { describe, expect, test } from 'bun:test'
import { EnfBadReferenceError } from './errors.ts'
import { formatEnfCsv, looksLikeEnfCsv, readEnfCsv } from './read-enf-csv.ts'

describe('readEnfCsv', () => {
  test('reads time,frequency rows with a header and round-trips formatEnfCsv', () => {
    const track = readEnfCsv('time_s,frequency_hz\n10,50.01\n11,50.012\n12,49.998\n')
    expect({
      start: track.startSeconds,
      hop: track.hopSeconds,
      f: Array.from(track.frequency),
    }).toEqual({
      start: 10,
      hop: 1,
      f: [50.01, 50.012, 49.998],
    })
    expect(readEnfCsv(formatEnfCsv(track)).frequency).toEqual(track.frequency)
  })

  test('accepts semicolons and tabs', () => {
    expect(readEnfCsv('0;60.001\n0.5;60.002\n1;60.0\n').hopSeconds).toBe(0.5)
    expect(readEnfCsv('0\t60.001\n1\t60.002\n').frequency.length).toBe(2)
  })

  test('rejects rows that are not time,frequency with ENF_BAD_REFERENCE', () => {
    expect(() => readEnfCsv('t,f\n0,50\n1,fifty\n')).toThrow(EnfBadReferenceError)
    expect(() => readEnfCsv('0,50\n')).toThrow(EnfBadReferenceError)
  })

  test('rejects unevenly spaced rows and values that are not grid frequencies', () => {
    expect(() => readEnfCsv('0,50\n1,50\n5,50\n')).toThrow(EnfBadReferenceError)
    expect(() => readEnfCsv('0,1000\n1,1000\n2,1000\n')).toThrow(EnfBadReferenceError)
  })

  test('tells CSV text from binary audio', () => {
    expect(looksLikeEnfCsv(new TextEncoder().encode('time,frequency\n0,50.0\n'))).toBe(true)
    expect(looksLikeEnfCsv(new Uint8Array([82, 73, 70, 70, 0, 0, 0, 0]))).toBe(false)
  })
})
