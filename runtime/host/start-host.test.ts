import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { join } from 'node:path'
import { createMemoryTransport, MemoryNetwork } from '../rpc/memory-transport.ts'
import { counterFixtures, inProcessHosts, waitFor } from '../testing/index.ts'

// Real workers and shutdown drains; bunfig's timeout is not applied by bun 1.4.
setDefaultTimeout(30_000)

const FIXTURES = join(import.meta.dir, 'fixtures')
const hosts = inProcessHosts()
afterEach(() => hosts.stop())

/** Two hosts in this process, linked by an in-memory transport. */
async function twoHosts() {
  const files = await hosts.files('vigil-host-', [
    { id: 'fog-1', role: 'fog' },
    { id: 'edge-1', role: 'edge', labels: { camera: 'cam-1' } },
  ])
  const network = new MemoryNetwork()
  const actors = [
    {
      name: 'counter',
      module: counterFixtures.v1,
      placement: { role: 'fog' },
    },
    {
      name: 'camera',
      module: counterFixtures.v1,
      placement: { role: 'edge', labels: { camera: 'cam-1' } },
    },
  ]
  const { fog, edge } = await hosts.fogAndEdge(files, (_id, role) => ({
    config: { labels: role === 'edge' ? { camera: 'cam-1' } : {}, actors },
    transport: createMemoryTransport(network),
  }))
  await waitFor(
    () => fog.isReady() && edge.isReady() && edge.system.has('camera') && fog.system.has('counter'),
  )
  return { fog, edge }
}

describe('startHost', () => {
  test('places actors by role and label and routes requests between hosts', async () => {
    const { fog, edge } = await twoHosts()
    expect(fog.placement().actors.camera?.hosts).toEqual(['edge-1'])
    expect(edge.system.has('counter')).toBe(false)
    // The same call from either host, local or remote.
    expect(await edge.router.ask('counter', 'counter.add', { by: 2 })).toEqual({ count: 2 })
    expect(await fog.router.ask('counter', 'counter.get', {})).toMatchObject({ count: 2 })
    expect(await fog.router.ask('camera', 'counter.get', {})).toMatchObject({ count: 0 })
    // A ref by name works the same on both hosts.
    expect(await edge.ref('camera').ask('counter.add', { by: 5 })).toMatchObject({ count: 5 })
    expect(await fog.ref('camera').ask('counter.get', {})).toMatchObject({ count: 5 })
    expect(fog.status().connections).toEqual([{ hostId: 'edge-1', open: 1 }])
  })

  test('re-places the actors of a host that leaves', async () => {
    const { fog, edge } = await twoHosts()
    await hosts.leave(edge)
    await waitFor(() => fog.membership.get('edge-1')?.status === 'left')
    await waitFor(() => fog.system.has('camera'))
    expect(fog.placement().actors.camera).toMatchObject({ hosts: ['fog-1'], tier: 'any' })
    expect(await fog.router.ask('camera', 'counter.get', {})).toMatchObject({ count: 0 })
  })

  test('answers 503 with Retry-After when a mailbox is full and 504 when the reply is late', async () => {
    const files = await hosts.files('vigil-host-', [{ id: 'fog-1', role: 'fog' }])
    const host = await hosts.start(files, {
      id: 'fog-1',
      role: 'fog',
      config: {
        actors: [{ name: 'slow', module: join(FIXTURES, 'slow-actor-fixture.ts') }],
        kernel: { mailboxCapacity: 2, dispatchCredits: 1 },
      },
      transport: createMemoryTransport(),
    })
    await waitFor(() => host.system.has('slow'))
    const post = (ms: number, headers: Record<string, string> = {}) =>
      fetch(`${host.info.http}/v1/actors/slow/slow.work`, {
        method: 'POST',
        body: JSON.stringify({ ms }),
        headers,
      })
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(100)))
    const busy = answers.filter((r) => r.status === 503)
    const first = busy[0]
    if (!first) throw new Error('no request was refused with 503')
    expect(first.headers.get('retry-after')).toBe('1')
    expect(((await first.json()) as { code: string }).code).toBe('MAILBOX_FULL')
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThan(0)
    const late = await post(400, { 'x-vigil-timeout-ms': '50' })
    expect(late.status).toBe(504)
    expect(((await late.json()) as { code: string }).code).toBe('ASK_TIMEOUT')
  })

  test('reports a peer that deploys a different set of actors', async () => {
    const files = await hosts.files('vigil-host-', [
      { id: 'fog-1', role: 'fog' },
      { id: 'fog-2', role: 'fog' },
    ])
    const network = new MemoryNetwork()
    const events: { event: string; data: Record<string, unknown> | undefined }[] = []
    const start = (id: string, actors: unknown[], seeds: string[]) =>
      hosts.start(files, {
        id,
        role: 'fog',
        config: { heartbeatIntervalMs: 50, seeds, actors },
        log: (event, data) => {
          if (id === 'fog-2') events.push({ event, data })
        },
        transport: createMemoryTransport(network),
      })
    const one = await start(
      'fog-1',
      [{ name: 'echo', module: join(FIXTURES, 'echo-actor-fixture.ts') }],
      [],
    )
    const two = await start('fog-2', [], [one.info.rpc])
    const mismatch = await waitFor(() => events.find((e) => e.event === 'host.deployment_mismatch'))
    expect(mismatch.data).toMatchObject({
      peer: 'fog-1',
      theirs: one.info.deployment,
      ours: two.info.deployment,
    })
  })
})
