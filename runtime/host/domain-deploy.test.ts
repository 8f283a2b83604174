import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDomainFiles } from '../domain/create-domain-files.ts'
import { createMemoryTransport, MemoryNetwork } from '../rpc/memory-transport.ts'
import { counterFixtures, waitFor } from '../testing/index.ts'
import { hostConfigSchema } from './host-config.ts'
import { type Host, startHost } from './start-host.ts'

// Real workers and shutdown drains; bunfig's timeout is not applied by bun 1.4.
setDefaultTimeout(30_000)

const ECHO = join(import.meta.dir, 'fixtures', 'echo-actor-fixture.ts')
const hosts: Host[] = []
const dirs: string[] = []

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()))
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A fog and an edge host in this process, deploying only a counter, each with its own deployable map. */
async function twoHosts(deployable: { fog: Record<string, string>; edge: Record<string, string> }) {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-deploy-'))
  dirs.push(dir)
  const files = await createDomainFiles({
    dir,
    hosts: [
      { id: 'fog-1', role: 'fog' },
      { id: 'edge-1', role: 'edge' },
    ],
  })
  const network = new MemoryNetwork()
  const start = (id: string, role: 'fog' | 'edge', seeds: string[]) =>
    startHost({
      config: hostConfigSchema.parse({
        id,
        role,
        keyFile: files.keyFile(id),
        enrollmentFile: files.enrollmentFile,
        adminPublicKey: files.adminPublicKey,
        seeds,
        heartbeatIntervalMs: 50,
        suspicionTimeoutMs: 400,
        actors: [{ name: 'counter', module: counterFixtures.v1, placement: { role: 'fog' } }],
        deployable: deployable[role],
      }),
      log: () => {},
      transport: createMemoryTransport(network),
    })
  const fog = await start('fog-1', 'fog', [])
  hosts.push(fog)
  const edge = await start('edge-1', 'edge', [fog.info.rpc])
  hosts.push(edge)
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
