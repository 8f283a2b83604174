import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { join, relative } from 'node:path'
import type { DomainFiles } from '../domain/create-domain-files.ts'
import { counterFixtures, inProcessHosts, rejectionOf, waitFor } from '../testing/index.ts'
import { loadHostConfig } from './host-config.ts'
import { type Host, startHost } from './start-host.ts'

// Real workers and a real TCP peer.
setDefaultTimeout(30_000)

const FIXTURES = join(import.meta.dir, 'fixtures')
const COUNTER = counterFixtures.v1
const COUNTER_V2 = counterFixtures.v2

const hosts = inProcessHosts()
afterEach(() => hosts.stop())

/** One fog host running `counter`, configured from a file whose `swappable` lists the v2 module. */
async function oneHost(): Promise<{ host: Host; files: DomainFiles }> {
  const files = await hosts.files('vigil-swap-', [
    { id: 'fog-1', role: 'fog' },
    { id: 'edge-1', role: 'edge' },
  ])
  const configFile = await files.writeHostConfig(
    { id: 'fog-1', role: 'fog' },
    {
      suspicionTimeoutMs: 200,
      actors: [{ name: 'counter', module: COUNTER }],
      // Relative to the config file (hosts/fog-1.json), as an operator writes it.
      swappable: [relative(join(files.dir, 'hosts'), COUNTER_V2)],
    },
  )
  const host = hosts.own(
    await startHost({ config: await loadHostConfig({ file: configFile }), log: () => {} }),
  )
  await waitFor(() => host.system.has('counter'))
  return { host, files }
}

function adminSwap(host: Host, files: DomainFiles, body: unknown) {
  return fetch(`${host.info.http}/v1/admin/swap`, {
    method: 'POST',
    headers: { authorization: `Bearer ${files.adminToken}` },
    body: JSON.stringify(body),
  })
}

describe('hot swap restricted to registered modules', () => {
  test('swaps to a module listed as swappable, and back to the deployed one', async () => {
    const { host, files } = await oneHost()
    await host.router.ask('counter', 'counter.add', { by: 3 })
    const forward = await adminSwap(host, files, { actor: 'counter', module: COUNTER_V2 })
    expect(await forward.json()).toMatchObject({
      actor: 'counter',
      hosts: [{ hostId: 'fog-1', swapped: true, fromVersion: 1, toVersion: 2 }],
    })
    expect(await host.router.ask('counter', 'counter.get', {})).toMatchObject({ count: 3 })
    const back = await host.swapEverywhere({ actor: 'counter', module: COUNTER })
    expect(back.hosts).toMatchObject([{ hostId: 'fog-1', swapped: true, toVersion: 1 }])
  })

  test('refuses any other module path or a URL with SWAP_MODULE_NOT_ALLOWED, before loading it', async () => {
    const { host, files } = await oneHost()
    for (const module of [
      join(FIXTURES, 'echo-actor-fixture.ts'),
      '/tmp/definitely-not-registered.ts',
      'https://example.com/evil.ts',
      'data:text/javascript,export default 1',
    ]) {
      const response = await adminSwap(host, files, { actor: 'counter', module })
      expect(response.status).toBe(403)
      expect(((await response.json()) as { code: string }).code).toBe('SWAP_MODULE_NOT_ALLOWED')
    }
    expect(host.system.listActors()).toMatchObject([{ name: 'counter', version: 1 }])
  })

  test('refuses a peer’s host.swap to an unregistered module', async () => {
    const { host, files } = await oneHost()
    const connection = await hosts.peer(files, host, 'edge-1')
    const refused = await rejectionOf(
      connection.request('host.swap', { actor: 'counter', module: '/tmp/evil-actor.ts' }),
    )
    expect((refused as { code: string }).code).toBe('SWAP_MODULE_NOT_ALLOWED')
  })
})
