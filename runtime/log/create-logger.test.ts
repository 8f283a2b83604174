import { describe, expect, test } from 'bun:test'
import { createLogger } from './create-logger.ts'

describe('createLogger', () => {
  test('writes readable lines by default and JSON lines on request', () => {
    const lines: string[] = []
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678)
    const readable = createLogger({
      source: 'edge-1',
      json: false,
      write: (l) => lines.push(l),
      now: () => at,
    })
    const json = createLogger({
      source: 'edge-1',
      json: true,
      write: (l) => lines.push(l),
      now: () => at,
    })
    readable('rpc.connection_open', { peer: 'fog-1', reason: 'two words', n: 3 })
    json('host.ready', { http: 'http://127.0.0.1:1' })
    expect(lines[0]).toBe(
      '03:04:05.678 edge-1 rpc.connection_open peer=fog-1 reason="two words" n=3',
    )
    expect(JSON.parse(lines[1] as string)).toEqual({
      ts: '2026-01-02T03:04:05.678Z',
      host: 'edge-1',
      event: 'host.ready',
      http: 'http://127.0.0.1:1',
    })
  })
})
