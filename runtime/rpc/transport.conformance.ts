/**
 * The behaviour every {@link Transport} must show. Each implementation's test
 * calls `runTransportConformance(() => createXTransport())`.
 */
import { describe, expect, test } from 'bun:test'
import { rejectionOf, waitFor } from '../testing/index.ts'
import type { ByteStream, Transport } from './transport.ts'

function collect(stream: ByteStream) {
  const received: Uint8Array[] = []
  const state = { bytes: 0, closed: undefined as string | undefined, drains: 0 }
  stream.attach({
    data(chunk) {
      received.push(new Uint8Array(chunk))
      state.bytes += chunk.length
    },
    drain() {
      state.drains++
    },
    close(reason) {
      state.closed = reason
    },
  })
  return {
    state,
    concat(): Uint8Array {
      const out = new Uint8Array(state.bytes)
      let offset = 0
      for (const chunk of received) {
        out.set(chunk, offset)
        offset += chunk.length
      }
      return out
    },
  }
}

async function pair(transport: Transport) {
  const accepted = Promise.withResolvers<ByteStream>()
  const listener = await transport.listen({
    hostname: '127.0.0.1',
    port: 0,
    onStream: (stream) => accepted.resolve(stream),
  })
  const client = await transport.connect({ hostname: '127.0.0.1', port: listener.port })
  const server = await accepted.promise
  return { listener, client, server }
}

export function runTransportConformance(name: string, create: () => Transport): void {
  describe(`Transport conformance: ${name}`, () => {
    test('binds port 0 to a free port and reports it', async () => {
      const transport = create()
      const listener = await transport.listen({ hostname: '127.0.0.1', port: 0, onStream() {} })
      try {
        expect(listener.port).toBeGreaterThan(0)
      } finally {
        listener.close()
      }
    })

    test('delivers bytes in order in both directions', async () => {
      const { listener, client, server } = await pair(create())
      try {
        const atServer = collect(server)
        const atClient = collect(client)
        for (let i = 0; i < 100; i++) client.write(new Uint8Array([i]))
        server.write(new Uint8Array([7, 8, 9]))
        await waitFor(() => atServer.state.bytes === 100 && atClient.state.bytes === 3)
        expect([...atServer.concat()]).toEqual(Array.from({ length: 100 }, (_, i) => i))
        expect([...atClient.concat()]).toEqual([7, 8, 9])
      } finally {
        client.close()
        listener.close()
      }
    })

    test('delivers a large write completely, signalling backpressure and drain', async () => {
      const { listener, client, server } = await pair(create())
      try {
        const atServer = collect(server)
        const atClient = collect(client)
        const big = new Uint8Array(16 * 1024 * 1024)
        for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) & 0xff
        const accepted = client.write(big)
        // 16 MiB cannot fit in a socket buffer at once: the stream must report it.
        expect(accepted).toBe(false)
        await waitFor(() => atServer.state.bytes === big.length, { timeoutMs: 30_000 })
        expect(Buffer.compare(atServer.concat(), big)).toBe(0)
        await waitFor(() => atClient.state.drains > 0 && client.bufferedBytes === 0)
      } finally {
        client.close()
        listener.close()
      }
    })

    test('stops reading while paused, backing the writer up, and delivers everything on resume', async () => {
      const { listener, client, server } = await pair(create())
      try {
        const atServer = collect(server)
        server.pause()
        const big = new Uint8Array(16 * 1024 * 1024)
        client.write(big)
        // While paused, the writer's queue stops draining (not to zero): it holds steady above 0.
        let last = -1
        let steady = 0
        await waitFor(() => {
          const now = client.bufferedBytes
          steady = now > 0 && now === last ? steady + 1 : 0
          last = now
          return steady >= 20
        })
        expect(atServer.state.bytes).toBeLessThan(big.length)
        server.resume()
        await waitFor(() => atServer.state.bytes === big.length, { timeoutMs: 30_000 })
      } finally {
        client.close()
        listener.close()
      }
    })

    test('reports a close to the other side', async () => {
      const { listener, client, server } = await pair(create())
      try {
        const atServer = collect(server)
        client.close()
        await waitFor(() => atServer.state.closed !== undefined)
      } finally {
        listener.close()
      }
    })

    test('buffers data that arrives before handlers are attached', async () => {
      const transport = create()
      const accepted = Promise.withResolvers<ByteStream>()
      const listener = await transport.listen({
        hostname: '127.0.0.1',
        port: 0,
        onStream: (stream) => accepted.resolve(stream),
      })
      try {
        const client = await transport.connect({ hostname: '127.0.0.1', port: listener.port })
        client.write(new Uint8Array([1, 2, 3]))
        const server = await accepted.promise
        await Bun.sleep(0)
        const atServer = collect(server)
        await waitFor(() => atServer.state.bytes === 3)
        client.close()
      } finally {
        listener.close()
      }
    })

    test('rejects a connection to a port nobody listens on', async () => {
      const transport = create()
      const listener = await transport.listen({ hostname: '127.0.0.1', port: 0, onStream() {} })
      const port = listener.port
      listener.close()
      expect(await rejectionOf(transport.connect({ hostname: '127.0.0.1', port }))).toBeInstanceOf(
        Error,
      )
    })
  })
}
