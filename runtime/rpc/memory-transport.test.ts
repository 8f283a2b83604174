import { describe, expect, test } from 'bun:test'
import { createRpcNode } from './create-rpc-node.ts'
import { createMemoryTransport, MemoryNetwork } from './memory-transport.ts'
import { createTestEnrollment } from './test-enrollment.ts'
import { runTransportConformance } from './transport.conformance.ts'

runTransportConformance('memory', () => createMemoryTransport())

describe('createMemoryTransport', () => {
  test('carries authenticated RPC like TCP does', async () => {
    const network = new MemoryNetwork()
    const domain = createTestEnrollment({ fog: 'fog', edge: 'edge' })
    const server = createRpcNode({
      transport: createMemoryTransport(network),
      hostId: 'fog',
      key: domain.keys.fog!,
      enrollment: domain.enrollment,
      handler: { request: (method, body) => ({ method, body }) },
    })
    const client = createRpcNode({
      transport: createMemoryTransport(network),
      hostId: 'edge',
      key: domain.keys.edge!,
      enrollment: domain.enrollment,
      handler: { request: () => null },
    })
    try {
      const listener = await server.listen({ hostname: 'fog', port: 0 })
      const connection = await client.connect({ hostname: 'fog', port: listener.port })
      expect(await connection.request('hello', [1, 2])).toEqual({ method: 'hello', body: [1, 2] })
    } finally {
      client.close()
      server.close()
    }
  })
})
