/**
 * End-to-end: a three-host domain (fog-1, edge-1, edge-2) as separate
 * processes on loopback, driven through its HTTP gateways and RPC port.
 * The tests share one domain and run in order; the crash test runs last.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActorPlacement, HostStatus } from '../runtime/index.ts'
import {
  createRpcNode,
  createTamperingTransport,
  createTcpTransport,
  type Domain,
  type DomainActorSpec,
  encodeFrame,
  flipLastBit,
  generateHostKey,
  readEnrollmentList,
  readHostKey,
  runCommand,
  startDomain,
} from '../runtime/index.ts'
import { counterFixtures, rejectionOf, waitFor } from '../runtime/testing/index.ts'
import { demoHosts } from '../scripts/demo-domain.ts'
import { vigil } from '../scripts/vigil.ts'

const FIXTURES = join(import.meta.dir, '..', 'runtime', 'host', 'fixtures')
const HEARTBEAT_MS = 200
const SUSPICION_MS = 1000

const actors: DomainActorSpec[] = [
  {
    name: 'echo',
    module: join(FIXTURES, 'echo-actor-fixture.ts'),
    placement: { role: 'edge', replicas: 2 },
  },
  {
    name: 'counter',
    module: counterFixtures.v1,
    placement: { role: 'fog' },
  },
  {
    name: 'camera-cam-1',
    module: counterFixtures.v1,
    placement: { role: 'edge', labels: { camera: 'cam-1' } },
  },
  {
    name: 'relay',
    module: join(FIXTURES, 'relay-actor-fixture.ts'),
    placement: { role: 'edge', labels: { camera: 'cam-2' }, fallback: 'none' },
  },
  {
    name: 'camera-cam-2',
    module: counterFixtures.v1,
    placement: { role: 'edge', labels: { camera: 'cam-2' } },
  },
]

// bunfig's [test] timeout is not applied by bun 1.4; crash and swap tests on a busy machine need more than 5 s.
setDefaultTimeout(60_000)

let dir: string
let domain: Domain

function gateway(hostId: string): string {
  const host = domain.hosts.get(hostId)
  if (!host) throw new Error(`no host ${hostId}`)
  return host.run.http
}

async function send(hostId: string, actor: string, type: string, payload: unknown) {
  const response = await fetch(`${gateway(hostId)}/v1/actors/${actor}/${type}`, {
    method: 'POST',
    body: JSON.stringify(payload),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function admin<Answer>(hostId: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${gateway(hostId)}/v1/admin/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${domain.files.adminToken}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as Answer
}

async function vigilCli(argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCommand(vigil, argv, { out: (t) => out.push(t), err: (t) => err.push(t) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

async function placementOf(hostId: string) {
  return (await admin<{ placement: Record<string, ActorPlacement> }>(hostId, 'placement')).placement
}

/** Runs `worker` in `concurrency` loops until `stop` resolves; collects every outcome. */
function load<Outcome>(concurrency: number, worker: (seq: number) => Promise<Outcome>) {
  const outcomes: Outcome[] = []
  let seq = 0
  let running = true
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) outcomes.push(await worker(seq++))
  })
  return {
    outcomes,
    get sent() {
      return seq
    },
    async stop() {
      running = false
      await Promise.all(loops)
      return outcomes
    },
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-domain-'))
  domain = await startDomain({
    dir,
    hosts: demoHosts({ edges: 2, fogs: 1 }),
    actors,
    hostConfig: {
      heartbeatIntervalMs: HEARTBEAT_MS,
      suspicionTimeoutMs: SUSPICION_MS,
      requestTimeoutMs: 10_000,
      // The modules the swap tests roll out; hosts load nothing else.
      swappable: [
        join(FIXTURES, 'echo-actor-v2-fixture.ts'),
        counterFixtures.v2,
        counterFixtures.broken,
      ],
    },
  })
  // Every host has joined and agrees on the placement.
  await waitFor(
    async () => {
      const views = await Promise.all(['fog-1', 'edge-1', 'edge-2'].map((id) => placementOf(id)))
      const first = JSON.stringify(views[0])
      return (
        views.every((view) => JSON.stringify(view) === first) &&
        views[0]?.['camera-cam-1']?.hosts[0] === 'edge-1'
      )
    },
    { message: 'all hosts to agree on the placement' },
  )
  // bun 1.4 does not apply bunfig's test timeout to hooks; starting three processes can take a while on a busy machine.
}, 60_000)

afterAll(async () => {
  if (process.env.VIGIL_DEBUG_LOGS)
    for (const host of domain.hosts.values())
      console.error(
        host.id,
        host.process.exitCode,
        host.process.signalCode,
        host.logs
          .filter((l) => !l.includes('heartbeat'))
          .slice(-25)
          .join('\n'),
      )
  await domain?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('a three-host domain', () => {
  test('places actors where the policy says and serves them from any gateway', async () => {
    const placement = await placementOf('fog-1')
    expect(placement['camera-cam-1']?.hosts).toEqual(['edge-1'])
    expect(placement['camera-cam-2']?.hosts).toEqual(['edge-2'])
    expect(placement.counter?.hosts).toEqual(['fog-1'])
    expect([...(placement.echo?.hosts ?? [])].sort()).toEqual(['edge-1', 'edge-2'])
    await waitFor(async () => {
      const status = await admin<HostStatus>('edge-1', 'status')
      return JSON.stringify(status.actors.map((a) => a.name).sort()) === '["camera-cam-1","echo"]'
    })
    const listed = await vigilCli([
      'actors',
      'ls',
      '--config',
      domain.hosts.get('edge-2')!.configFile,
    ])
    expect(listed.code).toBe(0)
    expect(listed.out).toMatch(/camera-cam-1\s+preferred\s+edge-1/)
    const shown = await vigilCli([
      'host',
      'status',
      '--config',
      domain.hosts.get('edge-1')!.configFile,
    ])
    expect(shown.out).toContain('host edge-1 (edge) ready')
    expect(shown.out).not.toContain('DEPLOYMENT DIFFERS')
    const fogStatus = await admin<HostStatus>('fog-1', 'status')
    expect(fogStatus.actors.map((a) => a.name)).toEqual(['counter'])
    // Location transparency: the same request works through every gateway.
    for (const via of ['fog-1', 'edge-1', 'edge-2']) {
      const reply = await send(via, 'camera-cam-1', 'counter.get', {})
      expect(reply).toEqual({ status: 200, body: { count: 0, host: 'edge-1' } })
    }
    // …and from inside an actor: the relay on edge-2 asks the counter on fog-1 by name.
    const relayed = await send('edge-1', 'relay', 'relay.ask', {
      to: 'counter',
      type: 'counter.get',
      payload: {},
    })
    expect(relayed).toEqual({
      status: 200,
      body: { via: 'edge-2', reply: { count: 0, host: 'fog-1' } },
    })
    const echoed = await send('fog-1', 'echo', 'echo.say', { text: 'hi' })
    expect(echoed.status).toBe(200)
    expect(['edge-1', 'edge-2']).toContain(echoed.body.host as string)
  })

  test('swaps an actor host by host under load without losing a request', async () => {
    const echoLoad = load(4, (seq) => send('fog-1', 'echo', 'echo.say', { text: `m${seq}`, seq }))
    const counterLoad = load(2, () => send('edge-2', 'counter', 'counter.add', { by: 1 }))
    await waitFor(() => echoLoad.outcomes.length > 50 && counterLoad.outcomes.length > 20)
    const echoSwap = await admin<{
      hosts: { hostId: string; swapped: boolean; toVersion?: number }[]
    }>('fog-1', 'swap', { actor: 'echo', module: join(FIXTURES, 'echo-actor-v2-fixture.ts') })
    const counterSwap = await admin<{ hosts: { hostId: string; swapped: boolean }[] }>(
      'edge-1',
      'swap',
      {
        actor: 'counter',
        module: counterFixtures.v2,
      },
    )
    const swappedAt = echoLoad.outcomes.length
    await waitFor(() => echoLoad.outcomes.length > swappedAt + 50)
    const echoes = await echoLoad.stop()
    const adds = await counterLoad.stop()
    expect(
      echoSwap.hosts
        .filter((h) => h.swapped)
        .map((h) => h.hostId)
        .sort(),
    ).toEqual(['edge-1', 'edge-2'])
    expect(counterSwap.hosts.map((h) => [h.hostId, h.swapped])).toEqual([
      ['fog-1', true],
      ['edge-1', false],
      ['edge-2', false],
    ])
    // Every host deploys the new modules now: once the next heartbeats arrive, no mismatch is reported.
    const fogConfig = domain.hosts.get('fog-1')!.configFile
    await waitFor(async () => {
      const status = await vigilCli(['host', 'status', '--config', fogConfig])
      return status.code === 0 && !status.out.includes('DEPLOYMENT DIFFERS')
    })
    // Nothing lost: every request was answered successfully, with its own payload.
    expect(echoes.filter((r) => r.status !== 200)).toEqual([])
    expect(echoes.length).toBe(echoLoad.sent)
    expect(new Set(echoes.map((r) => r.body.seq)).size).toBe(echoes.length)
    expect(echoes.at(-1)?.body.version).toBe(2)
    expect(adds.filter((r) => r.status !== 200)).toEqual([])
    // Nothing lost or doubled in the stateful actor either: its count counts every add once.
    const total = await send('fog-1', 'counter', 'counter.get', {})
    expect(total.body.count).toBe(adds.length)
  })

  test('stops a rolling swap at a failing host and keeps the old code serving', async () => {
    const before = await send('fog-1', 'counter', 'counter.get', {})
    const answer = await admin<{
      hosts: { hostId: string; swapped: boolean; error?: { code: string } }[]
    }>('edge-2', 'swap', {
      actor: 'counter',
      module: counterFixtures.broken,
    })
    // fog-1, the host that runs it, refuses; the rollout stops before any other host records the module.
    expect(answer.hosts.map((h) => [h.hostId, h.swapped, h.error?.code])).toEqual([
      ['fog-1', false, 'MIGRATION_FAILED'],
    ])
    expect(await send('fog-1', 'counter', 'counter.get', {})).toEqual(before)
  })

  test('refuses to swap to a module no host registered, naming the code', async () => {
    const fogConfig = domain.hosts.get('fog-1')!.configFile
    const refused = await vigilCli([
      'actors',
      'swap',
      'echo',
      join(FIXTURES, 'slow-actor-fixture.ts'),
      '--config',
      fogConfig,
    ])
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('SWAP_MODULE_NOT_ALLOWED')
    const echoed = await send('fog-1', 'echo', 'echo.say', { text: 'still here' })
    expect(echoed.body.text).toBe('still here')
  })

  test('refuses a host with an unknown key and a tampered frame, and keeps serving', async () => {
    const fog = domain.hosts.get('fog-1')!
    const [hostname, port] = fog.run.rpc.split(':') as [string, string]
    const enrollment = await readEnrollmentList(
      domain.files.enrollmentFile,
      domain.files.adminPublicKey,
    )
    const intruder = createRpcNode({
      transport: createTcpTransport(),
      hostId: 'edge-1',
      key: generateHostKey(),
      enrollment,
      handler: { request: () => null },
    })
    expect(await rejectionOf(intruder.connect({ hostname, port: Number(port) }))).toBeInstanceOf(
      Error,
    )
    intruder.close()
    const tamper = { armed: false, mutate: flipLastBit }
    const forger = createRpcNode({
      transport: createTamperingTransport(tamper),
      hostId: 'edge-2',
      key: await readHostKey(domain.files.keyFile('edge-2')),
      enrollment,
      handler: { request: () => null },
    })
    const connection = await forger.connect({ hostname, port: Number(port) })
    tamper.armed = true
    expect(
      await rejectionOf(
        connection.request('actor.ask', { actor: 'counter', type: 'counter.get', payload: {} }),
      ),
    ).toMatchObject({ code: 'RPC_CONNECTION_CLOSED' })
    forger.close()
    await waitFor(() =>
      fog.logs.some(
        (line) =>
          line.includes('rpc.connection_refused_frame') && line.includes('RPC_UNAUTHENTICATED'),
      ),
    )
    const status = await admin<HostStatus>('fog-1', 'status')
    expect(status.refused.RPC_HOST_NOT_ENROLLED).toBeGreaterThanOrEqual(1)
    expect((await send('fog-1', 'camera-cam-2', 'counter.get', {})).status).toBe(200)
  })

  test('survives thousands of random and malformed frames on its RPC port', async () => {
    const fog = domain.hosts.get('fog-1')!
    const [hostname, port] = fog.run.rpc.split(':') as [string, string]
    const before = Object.values((await admin<HostStatus>('fog-1', 'status')).refused).reduce(
      (a, b) => a + b,
      0,
    )
    for (let c = 0; c < 200; c++) {
      const closed = Promise.withResolvers<void>()
      const socket = await Bun.connect({
        hostname,
        port: Number(port),
        socket: { data() {}, close: () => closed.resolve(), error: () => closed.resolve() },
      })
      for (let k = 0; k < 10; k++) {
        const body = crypto.getRandomValues(new Uint8Array(1 + ((c * 31 + k * 7) % 300)))
        socket.write(
          k % 3 === 0
            ? body
            : k % 3 === 1
              ? encodeFrame(body)
              : new Uint8Array([0x7f, 0, 0, 0, ...body]),
        )
      }
      socket.end()
      await closed.promise
    }
    await waitFor(async () => {
      const after = Object.values((await admin<HostStatus>('fog-1', 'status')).refused).reduce(
        (a, b) => a + b,
        0,
      )
      return after >= before + 200
    })
    expect(fog.process.exitCode).toBeNull()
    expect((await send('fog-1', 'counter', 'counter.get', {})).status).toBe(200)
    expect((await send('edge-1', 'counter', 'counter.get', {})).status).toBe(200)
  })

  test('re-places a killed edge host’s actors and loses no acknowledged request', async () => {
    const echoes = load(3, (seq) => send('fog-1', 'echo', 'echo.say', { text: 'x', seq }))
    const reads = load(2, () => send('fog-1', 'camera-cam-1', 'counter.get', {}))
    const adds = load(1, () => send('edge-2', 'camera-cam-1', 'counter.add', { by: 1 }))
    await waitFor(
      () => echoes.outcomes.length > 30 && reads.outcomes.length > 10 && adds.outcomes.length > 5,
    )
    const killedAt = Date.now()
    await domain.kill('edge-1', 'SIGKILL')
    await waitFor(async () => (await placementOf('fog-1'))['camera-cam-1']?.hosts[0] === 'edge-2', {
      message: 'camera-cam-1 to be placed again',
    })
    const detectedMs = Date.now() - killedAt
    // Served again from its new host.
    await waitFor(() => reads.outcomes.at(-1)?.body.host === 'edge-2')
    const mark = echoes.outcomes.length
    await waitFor(() => echoes.outcomes.length > mark + 30)
    const echoResults = await echoes.stop()
    const readResults = await reads.stop()
    const addResults = await adds.stop()

    expect(detectedMs).toBeLessThan(SUSPICION_MS + HEARTBEAT_MS + 3000)
    const placement = await placementOf('fog-1')
    expect(placement['camera-cam-1']?.tier).toBe('same-role')
    expect(placement.echo?.hosts).not.toContain('edge-1')
    // Idempotent requests in flight at the crash were retried: every one was acknowledged.
    expect(echoResults.filter((r) => r.status !== 200)).toEqual([])
    expect(echoResults.length).toBe(echoes.sent)
    expect(readResults.filter((r) => r.status !== 200)).toEqual([])
    // A non-idempotent request is either acknowledged or reported as maybe-delivered, never dropped.
    for (const result of addResults) {
      if (result.status === 200) continue
      expect(result).toMatchObject({
        status: 503,
        body: { code: 'HOST_UNAVAILABLE', meta: { maybeDelivered: true } },
      })
    }
    expect(addResults.length).toBe(adds.sent)
    expect(
      echoResults.slice(-10).every((r) => r.body.host === 'edge-2' || r.body.host === 'fog-1'),
    ).toBe(true)
  })

  test('takes a restarted host back and returns its actors to it', async () => {
    await domain.restart('edge-1')
    await waitFor(async () => (await placementOf('fog-1'))['camera-cam-1']?.hosts[0] === 'edge-1', {
      message: 'camera-cam-1 to return to edge-1',
    })
    await waitFor(
      async () => (await send('fog-1', 'camera-cam-1', 'counter.get', {})).body.host === 'edge-1',
    )
    const members = (await admin<HostStatus>('fog-1', 'status')).members
    expect(members.find((m) => m.hostId === 'edge-1')?.status).toBe('alive')
  })
})
