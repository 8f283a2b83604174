import { describe, expect, test } from 'bun:test'
import { integrityProtocol } from './protocol.ts'
import { parseRecordsJson } from './records-json.ts'

describe('parseRecordsJson', () => {
  test('gives back the records of a JSON array text, keeping only table, id and data', () => {
    const first = { table: 'detections', id: 'd-1', data: { label: 'person', bbox: [0, 1] } }
    const second = { table: 'alerts', id: 'a:2', data: {}, extra: 'dropped' }
    expect(parseRecordsJson(JSON.stringify([first, second]), 10)).toEqual({
      ok: true,
      records: [first, { table: 'alerts', id: 'a:2', data: {} }],
    })
  })

  test('names the first entry that is not a record, and why', () => {
    const entries = (bad: unknown) => JSON.stringify([{ table: 't', id: 'x', data: {} }, bad])
    expect(parseRecordsJson(entries({ table: 'T', id: 'x', data: {} }), 10)).toMatchObject({
      ok: false,
      index: 1,
      reason: expect.stringContaining('table'),
    })
    expect(parseRecordsJson(entries({ table: 't', id: 'a b', data: {} }), 10)).toMatchObject({
      index: 1,
      reason: expect.stringContaining('id'),
    })
    expect(parseRecordsJson(entries({ table: 't', id: 'y', data: [1] }), 10)).toMatchObject({
      index: 1,
      reason: expect.stringContaining('data'),
    })
    expect(parseRecordsJson(entries(7), 10)).toMatchObject({ index: 1 })
  })

  test('refuses text that is not a JSON array of 1 to max records', () => {
    expect(parseRecordsJson('{', 10)).toMatchObject({ ok: false, index: -1 })
    expect(parseRecordsJson('[]', 10)).toMatchObject({ ok: false, index: -1 })
    expect(parseRecordsJson('{"table":"t"}', 10)).toMatchObject({ ok: false, index: -1 })
    const three = JSON.stringify([1, 2, 3].map((i) => ({ table: 't', id: `r${i}`, data: {} })))
    expect(parseRecordsJson(three, 2)).toMatchObject({ ok: false, index: -1 })
  })

  test('integrity.record takes its records as objects or as one JSON text, not both or neither', () => {
    const payload = integrityProtocol['integrity.record'].payload
    const records = [{ table: 't', id: 'x', data: {} }]
    expect(payload.safeParse({ records }).success).toBe(true)
    expect(payload.safeParse({ recordsJson: JSON.stringify(records) }).success).toBe(true)
    expect(payload.safeParse({ records, recordsJson: '[]' }).success).toBe(false)
    expect(payload.safeParse({}).success).toBe(false)
  })
})
