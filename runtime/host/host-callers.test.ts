import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { join } from 'node:path'
import type { Caller } from '../actor/caller.ts'
import { BaseError } from '../errors/base-error.ts'
import type { Guard } from '../gateway/gateway-guard.ts'
import { inProcessHosts, rejectionOf, waitFor } from '../testing/index.ts'
import type { HostServices } from './host-plugins.ts'
import type { Host } from './start-host.ts'

// Real hosts over TCP on loopback, real workers.
setDefaultTimeout(30_000)

const WHOAMI = join(import.meta.dir, '../testing/whoami-actor-fixture.ts')
const alice: Caller = { id: '0xa1', credential: 'token-of-alice', claims: { zone: 'z1' } }

/** Authenticates `Authorization: Bearer alice` as alice; everyone else is anonymous. */
const guard: Guard = {
  authenticate: (request) =>
    request.headers.get('authorization') === 'Bearer alice' ? alice : undefined,
  authorize(caller) {
    if (caller.id !== alice.id) throw new BaseError('ACCESS_DENIED', 'not alice')
  },
  statusByCode: { ACCESS_DENIED: 403 },
}

const hosts = inProcessHosts()
afterEach(() => hosts.stop())

/** fog-1 and edge-1 over TCP; edge-2 is enrolled but only used as a hand-driven peer. */
async function domain() {
  const files = await hosts.files('vigil-callers-', [
    { id: 'fog-1', role: 'fog' },
    { id: 'edge-1', role: 'edge' },
    { id: 'edge-2', role: 'edge' },
  ])
  const seen: { host: string; services: HostServices }[] = []
  const { fog, edge } = await hosts.fogAndEdge(files, (id) => ({
    config: {
      actors: [
        { name: 'who-fog', module: WHOAMI, placement: { role: 'fog', fallback: 'none' } },
        { name: 'who-edge', module: WHOAMI, placement: { role: 'edge', fallback: 'none' } },
      ],
    },
    plugins: (services) => {
      seen.push({ host: id, services })
      return { guard }
    },
  }))
  await waitFor(() => fog.system.has('who-fog') && edge.system.has('who-edge'))
  await waitFor(() => fog.placement().actors['who-edge']?.hosts.includes('edge-1'))
  return { files, fog, edge, seen }
}

function ask(host: Host, actor: string, message: string, body: unknown, authorization?: string) {
  return fetch(`${host.info.http}/v1/actors/${actor}/${message}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: authorization === undefined ? {} : { authorization },
  })
}

describe('callers across hosts', () => {
  test('a caller set at the gateway reaches a handler on the same host and on another host as the same caller', async () => {
    const { fog } = await domain()
    const local = await ask(fog, 'who-fog', 'whoami.ask', {}, 'Bearer alice')
    expect(await local.json()).toEqual({ caller: alice })
    const remote = await ask(fog, 'who-edge', 'whoami.ask', {}, 'Bearer alice')
    expect(await remote.json()).toEqual({ caller: alice })
    // Relayed by an actor on alice's behalf, from fog to edge.
    const relayed = await ask(
      fog,
      'who-fog',
      'whoami.relay',
      { to: 'who-edge', onBehalf: true },
      'Bearer alice',
    )
    expect(await relayed.json()).toEqual({ caller: alice })
    expect((await ask(fog, 'who-edge', 'whoami.ask', {})).status).toBe(401)
  })

  test('an actor’s own message reaches another host as its host principal', async () => {
    const { fog } = await domain()
    const relayed = await ask(
      fog,
      'who-fog',
      'whoami.relay',
      { to: 'who-edge', onBehalf: false },
      'Bearer alice',
    )
    expect(await relayed.json()).toEqual({
      caller: { id: 'host:fog-1', claims: { host: 'fog-1', actor: 'who-fog' } },
    })
  })

  test('a peer that sends a message as another host is refused with CALLER_FORGED', async () => {
    const { files, fog } = await domain()
    const connection = await hosts.peer(files, fog, 'edge-2')
    const forged = await rejectionOf(
      connection.request('actor.ask', {
        actor: 'who-fog',
        type: 'whoami.ask',
        payload: {},
        caller: { id: 'host:edge-1', claims: { host: 'edge-1', actor: 'x' } },
      }),
    )
    expect((forged as { code: string }).code).toBe('CALLER_FORGED')
    const claimed = await rejectionOf(
      connection.request('actor.ask', {
        actor: 'who-fog',
        type: 'whoami.ask',
        payload: {},
        caller: { id: 'host:edge-2', claims: { host: 'fog-1' } },
      }),
    )
    expect((claimed as { code: string }).code).toBe('CALLER_FORGED')
    // Acting as itself is fine.
    expect(
      await connection.request('actor.ask', {
        actor: 'who-fog',
        type: 'whoami.ask',
        payload: {},
        caller: { id: 'host:edge-2', claims: { host: 'edge-2', actor: 'x' } },
      }),
    ).toEqual({ caller: { id: 'host:edge-2', claims: { host: 'edge-2', actor: 'x' } } })
  })

  test('by default a peer cannot forward a user caller without a credential', async () => {
    const { files, fog } = await domain()
    const connection = await hosts.peer(files, fog, 'edge-2')
    const refused = await rejectionOf(
      connection.request('actor.ask', {
        actor: 'who-fog',
        type: 'whoami.ask',
        payload: {},
        caller: { id: '0xa1' },
      }),
    )
    expect((refused as { code: string }).code).toBe('CALLER_REFUSED')
    const oversized = await rejectionOf(
      connection.request('actor.ask', {
        actor: 'who-fog',
        type: 'whoami.ask',
        payload: {},
        caller: { id: '0xa1', credential: 'x'.repeat(10_000) },
      }),
    )
    expect((oversized as { code: string }).code).toBe('RPC_FRAME_MALFORMED')
  })

  test('gives plugins the host’s id, domain, enrollment, signing key and a routed ask', async () => {
    const { seen } = await domain()
    const fog = seen.find((entry) => entry.host === 'fog-1')?.services as HostServices
    expect(fog.hostId).toBe('fog-1')
    expect(fog.domain).toBe('local')
    expect([...fog.enrollment.keys()].sort()).toEqual(['edge-1', 'edge-2', 'fog-1'])
    expect(fog.enrollment.get('edge-1')?.role).toBe('edge')
    expect(fog.signingKey.asymmetricKeyType).toBe('ed25519')
    expect(fog.signingKey.type).toBe('private')
    expect(await fog.ask('who-edge', 'whoami.ask', {}, { caller: alice })).toEqual({
      caller: alice,
    })
  })
})
