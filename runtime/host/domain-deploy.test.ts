import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { join } from 'node:path'
import { createMemoryTransport, MemoryNetwork } from '../rpc/memory-transport.ts'
import { counterFixtures, inProcessHosts, waitFor } from '../testing/index.ts'

// Real workers and shutdown drains; bunfig's timeout is not applied by bun 1.4.
setDefaultTimeout(30_000)

const ECHO = join(import.meta.dir, 'fixtures', 'echo-actor-fixture.ts')
const hosts = inProcessHosts()
afterEach(() => hosts.stop())

/** A fog and an edge host in this process, deploying only a counter, each with its own deployable map. */
async function twoHosts(deployable: { fog: Record<string, string>; edge: Record<string, string> }) {
  const files = await hosts.files('vigil-deploy-', [
    { id: 'fog-1', role: 'fog' },
    { id: 'edge-1', role: 'edge' },
  ])
  const network = new MemoryNetwork()
  const { fog, edge } = await hosts.fogAndEdge(files, (_id, role) => ({
    config: {
      actors: [{ name: 'counter', module: counterFixtures.v1, placement: { role: 'fog' } }],
      deployable: deployable[role],
    },
    transport: createMemoryTransport(network),
  }))
  await waitFor(() => fog.isReady() && edge.isReady() && fog.system.has('counter'))
  return { fog, edge }
}

const echoOnEdge = { name: 'echo', module: 'fixtures/echo', placement: { role: 'edge' as const } }

describe('deploying actors onto a running domain', () => {
  test('every host adds the actor and the placement starts it on the host its rule picks', async () => {
    const { fog, edge } = await twoHosts({
      fog: { 'fixtures/echo': ECHO },
      edge: { 'fixtures/echo': ECHO },
    })
    const result = await fog.deployEverywhere({ actors: [echoOnEdge] })
    expect(result.hosts).toEqual([
      { hostId: 'fog-1', added: ['echo'] },
      { hostId: 'edge-1', added: ['echo'] },
    ])
    await waitFor(() => edge.system.has('echo'))
    expect(fog.system.has('echo')).toBe(false)
    expect(fog.info.deployment).toBe(edge.info.deployment)
    expect(await fog.router.ask('echo', 'echo.say', { text: 'hi' })).toMatchObject({ text: 'hi' })
  })

  test('a host whose allow-list lacks the key refuses it, and the rollout stops there', async () => {
    const { fog, edge } = await twoHosts({ fog: { 'fixtures/echo': ECHO }, edge: {} })
    const result = await fog.deployEverywhere({ actors: [echoOnEdge] })
    expect(result.hosts[0]).toEqual({ hostId: 'fog-1', added: ['echo'] })
    expect(result.hosts[1]?.error?.code).toBe('DEPLOY_MODULE_NOT_ALLOWED')
    expect(edge.system.has('echo')).toBe(false)
  })

  test('a request from a host that does not list the key changes no host', async () => {
    const { fog, edge } = await twoHosts({ fog: {}, edge: { 'fixtures/echo': ECHO } })
    const before = edge.info.deployment
    const error = await fog.deployEverywhere({ actors: [echoOnEdge] }).catch((e: unknown) => e)
    expect((error as { code?: string }).code).toBe('DEPLOY_MODULE_NOT_ALLOWED')
    expect(edge.info.deployment).toBe(before)
  })
})
