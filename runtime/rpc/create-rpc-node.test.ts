import { afterEach, describe, expect, test } from 'bun:test'
import { rejectionOf, waitFor } from '../testing/index.ts'
import { createRpcNode, type RpcNode } from './create-rpc-node.ts'
import { signEnrollmentList, verifyEnrollmentList } from './enrollment-list.ts'
import { encodeFrame } from './frame-codec.ts'
import { generateHostKey } from './host-key.ts'
import type { RpcHandler } from './rpc-connection.ts'
import { createTamperingTransport, flipLastBit } from './tampering-transport.ts'
import { createTcpTransport } from './tcp-transport.ts'
import { createTestEnrollment, type TestEnrollment } from './test-enrollment.ts'

const echo: RpcHandler = {
  request(method, body) {
    if (method === 'fail') throw new Error('handler refused')
    if (method === 'never') return new Promise(() => {})
    return { method, body }
  },
}

const nodes: RpcNode[] = []
afterEach(() => {
  for (const node of nodes.splice(0)) node.close()
})

function node(options: Parameters<typeof createRpcNode>[0]): RpcNode {
  const created = createRpcNode(options)
  nodes.push(created)
  return created
}

type NodeOptions = Parameters<typeof createRpcNode>[0]

/** A node for enrolled host `hostId`, serving `echo` over TCP unless `overrides` says otherwise. */
function enrolledNode(
  domain: TestEnrollment,
  hostId: 'fog' | 'edge',
  overrides: Partial<NodeOptions> = {},
): RpcNode {
  return node({
    transport: createTcpTransport(),
    hostId,
    key: domain.keys[hostId]!,
    enrollment: domain.enrollment,
    handler: echo,
    ...overrides,
  })
}

/** Where a client reaches `listener` on this machine. */
function loopback(listener: { port: number }) {
  return { hostname: '127.0.0.1', port: listener.port }
}

async function twoHosts() {
  const domain = createTestEnrollment({ fog: 'fog', edge: 'edge' })
  const logs: { event: string; data: Record<string, unknown> }[] = []
  const server = enrolledNode(domain, 'fog', { log: (event, data) => logs.push({ event, data }) })
  const listener = await server.listen({ hostname: '127.0.0.1', port: 0 })
  return { domain, server, listener, logs }
}

function refusedFrameLogged(
  logs: { event: string; data: Record<string, unknown> }[],
  code: string,
) {
  return () => logs.some((l) => l.event === 'rpc.connection_refused_frame' && l.data.code === code)
}

describe('createRpcNode', () => {
  test('completes the handshake between enrolled hosts and serves requests both ways', async () => {
    const { domain, server, listener } = await twoHosts()
    const client = enrolledNode(domain, 'edge', {
      handler: { request: (method) => `edge:${method}` },
    })
    const connection = await client.connect({
      hostname: '127.0.0.1',
      port: listener.port,
      expectedPeerId: 'fog',
    })
    expect(connection.peer).toEqual({
      hostId: 'fog',
      role: 'fog',
      publicKey: domain.keys.fog!.publicKeyBase64,
    })
    expect(await connection.request('hello', { n: 1 })).toEqual({ method: 'hello', body: { n: 1 } })
    const replies = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => connection.request('many', i)),
    )
    expect(replies.map((reply) => (reply as { body: number }).body)).toEqual(
      Array.from({ length: 1000 }, (_, i) => i),
    )
    const inbound = await waitFor(() => [...server.connections][0])
    expect(inbound.peer.hostId).toBe('edge')
    expect(await inbound.request('ping', null)).toBe('edge:ping')
  })

  test('carries handler errors back as typed errors', async () => {
    const { domain, listener } = await twoHosts()
    const client = enrolledNode(domain, 'edge')
    const connection = await client.connect(loopback(listener))
    expect(await rejectionOf(connection.request('fail', null))).toMatchObject({ code: 'INTERNAL' })
    expect(await rejectionOf(connection.request('never', null, { timeoutMs: 50 }))).toMatchObject({
      code: 'RPC_TIMEOUT',
    })
  })

  test('refuses a host whose key is not enrolled', async () => {
    const { domain, server, listener, logs } = await twoHosts()
    const intruder = node({
      transport: createTcpTransport(),
      hostId: 'edge',
      key: generateHostKey(),
      enrollment: domain.enrollment,
      handler: echo,
    })
    expect(await rejectionOf(intruder.connect(loopback(listener)))).toBeInstanceOf(Error)
    await waitFor(() => server.refused.RPC_HOST_NOT_ENROLLED === 1)
    expect(server.connections.size).toBe(0)
    expect(logs.some((l) => l.event === 'rpc.handshake_refused')).toBe(true)
  })

  test('refuses a host id missing from the enrollment list', async () => {
    const { domain, server, listener } = await twoHosts()
    const strangerKey = generateHostKey()
    // The stranger signs its own list with a rogue admin key; the server trusts only its own.
    const rogueAdmin = generateHostKey()
    const rogueList = verifyEnrollmentList(
      signEnrollmentList(rogueAdmin, 'test-domain', [
        ...domain.enrollment.hosts,
        { hostId: 'stranger', role: 'edge', publicKey: strangerKey.publicKeyBase64 },
      ]),
      rogueAdmin.publicKeyBase64,
    )
    const stranger = node({
      transport: createTcpTransport(),
      hostId: 'stranger',
      key: strangerKey,
      enrollment: rogueList,
      handler: echo,
    })
    expect(await rejectionOf(stranger.connect(loopback(listener)))).toBeInstanceOf(Error)
    await waitFor(() => server.refused.RPC_HOST_NOT_ENROLLED === 1)
  })

  test('refuses a server that is not the expected host', async () => {
    const { domain, listener } = await twoHosts()
    const client = enrolledNode(domain, 'edge')
    expect(
      await rejectionOf(
        client.connect({ hostname: '127.0.0.1', port: listener.port, expectedPeerId: 'cloud' }),
      ),
    ).toMatchObject({ code: 'RPC_UNAUTHENTICATED' })
  })

  test('closes the connection on a tampered frame and keeps serving others', async () => {
    const { domain, server, listener, logs } = await twoHosts()
    const tamper = { armed: false, mutate: flipLastBit }
    const tampering = enrolledNode(domain, 'edge', { transport: createTamperingTransport(tamper) })
    const connection = await tampering.connect(loopback(listener))
    expect(await connection.request('before', 1)).toEqual({ method: 'before', body: 1 })
    tamper.armed = true
    expect(await rejectionOf(connection.request('after', 2))).toMatchObject({
      code: 'RPC_CONNECTION_CLOSED',
    })
    await waitFor(refusedFrameLogged(logs, 'RPC_UNAUTHENTICATED'))
    const honest = enrolledNode(domain, 'edge')
    const good = await honest.connect(loopback(listener))
    expect(await good.request('still', 3)).toEqual({ method: 'still', body: 3 })
    expect(server.connections.size).toBe(1)
  })

  test('closes the connection on a replayed frame', async () => {
    const { domain, listener, logs } = await twoHosts()
    const tamper = { armed: false, mutate: (bytes: Uint8Array) => [bytes, bytes] }
    const replaying = enrolledNode(domain, 'edge', { transport: createTamperingTransport(tamper) })
    const connection = await replaying.connect(loopback(listener))
    tamper.armed = true
    // The first copy is served; the replayed copy fails authentication and closes the connection.
    await connection.request('once', 1).catch(() => {})
    await waitFor(refusedFrameLogged(logs, 'RPC_UNAUTHENTICATED'))
    await waitFor(() => !connection.isOpen)
  })

  test('closes an authenticated connection that declares an oversized frame', async () => {
    const { domain, listener, logs } = await twoHosts()
    const tamper = {
      armed: false,
      mutate: () => [new Uint8Array([0x7f, 0xff, 0xff, 0xff, 1, 2, 3])],
    }
    const client = enrolledNode(domain, 'edge', { transport: createTamperingTransport(tamper) })
    const connection = await client.connect(loopback(listener))
    tamper.armed = true
    expect(await rejectionOf(connection.request('big', 1))).toMatchObject({
      code: 'RPC_CONNECTION_CLOSED',
    })
    await waitFor(refusedFrameLogged(logs, 'RPC_FRAME_TOO_LARGE'))
  })

  test('keeps serving after thousands of random and malformed connections and frames', async () => {
    const { domain, server, listener } = await twoHosts()
    const junk: Uint8Array[] = []
    for (let i = 0; i < 3000; i++) {
      const kind = i % 6
      const body = new Uint8Array(1 + ((i * 7919) % 200))
      crypto.getRandomValues(body)
      if (kind === 0) junk.push(body)
      else if (kind === 1) junk.push(encodeFrame(body))
      else if (kind === 2) junk.push(new Uint8Array([0xff, 0xff, 0xff, 0xff, ...body]))
      else if (kind === 3) junk.push(new Uint8Array([0, 0, 0, 0]))
      // msgpack maps that look like a hello but are wrong
      else if (kind === 4)
        junk.push(
          encodeFrame(
            new Uint8Array([0x82, 0xa1, 0x74, 0xa5, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0xc0, 0xc0]),
          ),
        )
      else junk.push(encodeFrame(new Uint8Array(5000)))
    }
    // 300 connections, 10 junk writes each.
    for (let c = 0; c < 300; c++) {
      const closed = Promise.withResolvers<void>()
      const socket = await Bun.connect({
        hostname: '127.0.0.1',
        port: listener.port,
        socket: {
          data() {},
          close: () => closed.resolve(),
          error: () => closed.resolve(),
        },
      })
      for (let k = 0; k < 10; k++) socket.write(junk[c * 10 + k] as Uint8Array)
      // Random bytes that happen to form a partial frame may leave the server waiting: end our side.
      socket.end()
      await closed.promise
    }
    const refusedTotal = Object.values(server.refused).reduce((a, b) => a + b, 0)
    await waitFor(() => Object.values(server.refused).reduce((a, b) => a + b, 0) >= 300)
    expect(refusedTotal).toBeGreaterThan(0)
    const client = enrolledNode(domain, 'edge')
    const connection = await client.connect(loopback(listener))
    expect(await connection.request('alive', true)).toEqual({ method: 'alive', body: true })
  })

  test('closes connections beyond the pending-handshake limit and keeps serving', async () => {
    const domain = createTestEnrollment({ fog: 'fog', edge: 'edge' })
    const server = enrolledNode(domain, 'fog', { maxPendingHandshakes: 4 })
    const listener = await server.listen({ hostname: '127.0.0.1', port: 0 })
    const idle = await Promise.all(
      Array.from({ length: 8 }, () =>
        Bun.connect({ hostname: '127.0.0.1', port: listener.port, socket: { data() {} } }),
      ),
    )
    await waitFor(() => (server.refused.RPC_UNAUTHENTICATED ?? 0) >= 4)
    for (const socket of idle) socket.end()
    const client = enrolledNode(domain, 'edge')
    await waitFor(async () => {
      const connection = await client.connect(loopback(listener)).catch(() => undefined)
      return connection && (await connection.request('ok', 1))
    })
  })

  test('stops reading a peer that floods requests, so the flood backs up at the sender', async () => {
    const domain = createTestEnrollment({ fog: 'fog', edge: 'edge' })
    const held: (() => void)[] = []
    let holding = true
    let maxServing = 0
    const server = enrolledNode(domain, 'fog', {
      limits: { maxServing: 100 },
      handler: {
        request: () =>
          holding
            ? new Promise<null>((resolve) => {
                held.push(() => resolve(null))
                maxServing = Math.max(maxServing, held.length)
              })
            : null,
      },
    })
    const listener = await server.listen({ hostname: '127.0.0.1', port: 0 })
    const client = enrolledNode(domain, 'edge', {
      transport: createTcpTransport({ highWaterMark: 64 * 1024 }),
      limits: { maxOutboundBytes: 1024 * 1024 },
    })
    const connection = await client.connect(loopback(listener))
    const payload = 'x'.repeat(1000)
    const replies: Promise<unknown>[] = []
    let refused = 0
    // 100 requests per tick, until the sender's own bounded queue says stop.
    for (let batch = 0; batch < 400 && refused === 0; batch++) {
      for (let i = 0; i < 100; i++) {
        const reply = connection.request('flood', payload, { timeoutMs: 60_000 })
        replies.push(
          reply.catch((error: { code?: string }) => {
            if (error.code === 'RPC_QUEUE_FULL') refused++
          }),
        )
      }
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(refused).toBeGreaterThan(0)
    // The server took on only what it had read before pausing, not the whole flood.
    expect(maxServing).toBeLessThan(replies.length / 4)
    // Let the server catch up: everything the sender queued is served once reading resumes.
    holding = false
    for (const release of held.splice(0)) release()
    await Promise.all(replies)
    expect(await connection.request('flood', 'after')).toBe(null)
  })

  test('fails sends at once when the outbound queue is full', async () => {
    const { domain, listener } = await twoHosts()
    const client = enrolledNode(domain, 'edge', {
      transport: createTcpTransport({ highWaterMark: 64 * 1024 }),
      limits: { maxOutboundBytes: 1024 * 1024 },
    })
    const connection = await client.connect(loopback(listener))
    const payload = 'x'.repeat(100_000)
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => connection.request('big', payload)),
    )
    const full = results.filter(
      (r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'RPC_QUEUE_FULL',
    )
    expect(full.length).toBeGreaterThan(0)
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0)
    // While the queue is full, data is refused at once but control messages (heartbeats) still go out.
    const flood = Array.from({ length: 20 }, () =>
      connection.request('big', payload).catch(() => null),
    )
    expect(() => connection.notify('data', payload)).toThrow(/outbound queue/)
    expect(() => connection.notify('host.heartbeat', { beat: 1 }, { control: true })).not.toThrow()
    await Promise.all(flood)
    expect(await connection.request('after', 1)).toEqual({ method: 'after', body: 1 })
  })

  test('rejects a message that cannot be encoded at the caller', async () => {
    const { domain, listener } = await twoHosts()
    const client = enrolledNode(domain, 'edge')
    const connection = await client.connect(loopback(listener))
    expect(await rejectionOf(connection.request('fn', { f: () => 1 }))).toMatchObject({
      code: 'RPC_FRAME_MALFORMED',
    })
    expect(connection.isOpen).toBe(true)
  })
})
