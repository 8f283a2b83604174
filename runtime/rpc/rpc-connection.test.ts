import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { encode } from '@msgpack/msgpack'
import { systemClock } from '../clock/clock.ts'
import { waitFor } from '../testing/index.ts'
import { encodeFrame, FrameDecoder } from './frame-codec.ts'
import { createMemoryTransport } from './memory-transport.ts'
import { defaultRpcLimits, RpcConnection } from './rpc-connection.ts'
import { SessionCipher } from './session-cipher.ts'
import type { ByteStream } from './transport.ts'

// The fuzz loop takes ≈ 2 s here; bunfig's timeout is not applied by bun 1.4, so leave room on busy CI.
setDefaultTimeout(30_000)

const key = new Uint8Array(randomBytes(32))
const prefix = new Uint8Array([1, 2, 3, 4])
const peer = { hostId: 'peer', role: 'edge' as const, publicKey: '' }

/** An RpcConnection on one end of a memory stream; the test holds the raw other end and the keys. */
async function authenticatedPair() {
  const transport = createMemoryTransport()
  const accepted = Promise.withResolvers<ByteStream>()
  const listener = await transport.listen({ hostname: 'h', port: 0, onStream: accepted.resolve })
  const raw = await transport.connect({ hostname: 'h', port: listener.port })
  const logs: { event: string; data: Record<string, unknown> }[] = []
  const served: unknown[] = []
  // Settles when the connection closes or serves something: no polling in the fuzz loop.
  const progress = Promise.withResolvers<void>()
  const connection = new RpcConnection({
    stream: await accepted.promise,
    decoder: new FrameDecoder(4096),
    send: new SessionCipher(key, prefix),
    receive: new SessionCipher(key, prefix),
    peer,
    handler: {
      request: (method, body) => {
        served.push([method, body])
        return null
      },
      notify: (method, body) => {
        served.push([method, body])
        progress.resolve()
      },
    },
    clock: systemClock,
    log: (event, data) => logs.push({ event, data }),
    limits: defaultRpcLimits,
  })
  connection.onClose(() => progress.resolve())
  raw.attach({ data() {}, drain() {}, close() {} })
  // The forger knows the session keys: it speaks for an authenticated peer.
  const forger = new SessionCipher(key, prefix)
  const send = (plaintext: Uint8Array) => raw.write(encodeFrame(forger.seal(plaintext)))
  return { connection, send, logs, served, progress: progress.promise }
}

/** Messages that must close the connection. */
const malformed: unknown[] = [
  'a string',
  42,
  null,
  {},
  { a: 1 },
  [],
  [9, 1, 2],
  [0],
  [0, 'id', 'method', 1],
  [0, 1, 2, 3],
  [3, 7, {}],
]

/** Replies for unknown request ids are late replies, not attacks: ignored. */
const ignored: unknown[] = [[1], [2, 'x', {}], [1, 999, 'late']]

describe('RpcConnection', () => {
  test('closes an authenticated connection on malformed messages, thousands of them, without throwing', async () => {
    let closed = 0
    let survived = 0
    for (let i = 0; i < 1500; i++) {
      const { connection, send, logs, progress } = await authenticatedPair()
      const known = i < 300
      const plaintext = known
        ? encode(malformed[i % malformed.length])
        : new Uint8Array(randomBytes(1 + (i % 300)))
      send(plaintext)
      // Frames are handled in order: once the probe is served, the frame before it was handled too.
      send(encode([3, 'probe', i]))
      await progress
      if (connection.isOpen) survived++
      else {
        closed++
        expect(logs.map((l) => l.data.code)).toEqual(['RPC_FRAME_MALFORMED'])
      }
      if (known) expect(connection.isOpen).toBe(false)
      connection.close()
    }
    // Random bytes rarely form a harmless message; nearly all close the connection.
    expect(closed).toBeGreaterThan(1400)
    expect(closed + survived).toBe(1500)
  })

  test('ignores replies to unknown requests and keeps the connection', async () => {
    const { connection, send, served } = await authenticatedPair()
    for (const message of ignored) send(encode(message))
    send(encode([3, 'probe', 1]))
    await waitFor(() => served.length > 0)
    expect(connection.isOpen).toBe(true)
    connection.close()
  })

  test('serves well-formed messages from the same forger', async () => {
    const { connection, send, served } = await authenticatedPair()
    send(encode([3, 'note', { n: 1 }]))
    send(encode([0, 1, 'ask', [1, 2]]))
    await waitFor(() => served.length === 2)
    expect(served).toEqual([
      ['note', { n: 1 }],
      ['ask', [1, 2]],
    ])
    expect(connection.isOpen).toBe(true)
    connection.close()
  })
})
