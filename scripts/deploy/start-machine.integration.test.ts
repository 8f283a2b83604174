/**
 * Two machines of an initialised domain on loopback (distinct ports): fog-1
 * (validator: host, CometBFT node, ABCI app) and edge-1 (host only), each
 * started as `vigil host start --config <folder>` would. The netns test
 * (tests/netns/) runs the same on separate network namespaces.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from '../../runtime/testing/index.ts'
import { domainDescriptionSchema } from './domain-description.ts'
import { initDomain } from './init-domain.ts'
import { type Machine, startMachine } from './start-machine.ts'

const dir = await mkdtemp(join(tmpdir(), 'vigil-machine-'))
const machines: Machine[] = []
afterAll(async () => {
  for (const machine of machines) await machine.stop()
  await rm(dir, { recursive: true, force: true })
})

function freePort(): number {
  const server = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const { port } = server
  server.stop(true)
  return port
}

const ports = () => ({
  rpc: freePort(),
  http: freePort(),
  p2p: freePort(),
  cometRpc: freePort(),
  abci: freePort(),
})

let ca: string | undefined

async function post(
  url: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    ...(ca ? { tls: { ca } } : {}),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('vigil host start --config <machine folder>', async () => {
  const description = domainDescriptionSchema.parse({
    domain: 'loop',
    tls: true,
    hosts: [
      { id: 'fog-1', role: 'fog', address: '127.0.0.1', validator: true, ports: ports() },
      { id: 'edge-1', role: 'edge', address: '127.0.0.1', ports: ports() },
    ],
  })
  const layout = await initDomain({ description, out: join(dir, 'domain') })
  ca = await Bun.file(join(layout.adminDir, 'ca', 'ca.pem')).text()
  const events: { event: string; data: Record<string, unknown> }[] = []
  const log = (event: string, data: Record<string, unknown>) => events.push({ event, data })
  for (const host of description.hosts) {
    machines.push(await startMachine({ folder: layout.machineDir(host.id), log }))
  }
  const [fog, edge] = machines as [Machine, Machine]
  await Promise.all(machines.map((m) => m.ready))
  const edgeGateway = layout.gatewayUrl('edge-1')
  const fogGateway = layout.gatewayUrl('fog-1')

  async function recordAndVerify(id: string) {
    const record = { table: 'detections', id, data: { cameraId: 'cam-1', label: 'person' } }
    const recorded = await waitFor(
      async () => {
        const reply = await post(`${edgeGateway}/v1/actors/integrity-edge-1/integrity.record`, {
          records: [record],
        })
        return reply.status === 200 ? reply : undefined
      },
      { timeoutMs: 30_000, intervalMs: 100, message: 'a record committed through the edge' },
    )
    const verified = await post(`${fogGateway}/v1/actors/integrity-edge-1/integrity.verify`, {
      record,
      hostId: 'edge-1',
    })
    return { recorded, verified }
  }

  test('serves the gateways over HTTPS with certificates from the domain CA', async () => {
    expect(edgeGateway.startsWith('https://')).toBe(true)
    expect((await fetch(`${edgeGateway}/healthz`, { tls: { ca } })).status).toBe(200)
    await expect(fetch(`${edgeGateway}/healthz`)).rejects.toThrow()
  })

  test('commits a record from the edge on the fog validator and verifies it through the fog gateway', async () => {
    const { recorded, verified } = await recordAndVerify('det-1')
    expect(recorded.status).toBe(200)
    expect(verified).toEqual({ status: 200, body: expect.objectContaining({ valid: true }) })
  }, 60_000)

  test('restarts a crashed ABCI app and its node, and the ledger commits again', async () => {
    const abci = fog.processes.get('abci')
    const node = fog.processes.get('cometbft')
    const before = { abci: abci?.restarts ?? 0, node: node?.restarts ?? 0 }
    abci?.crash()
    await waitFor(
      () => (abci?.restarts ?? 0) > before.abci && (node?.restarts ?? 0) > before.node,
      {
        timeoutMs: 30_000,
        message: 'the app and its node restarted',
      },
    )
    const { verified } = await recordAndVerify('det-2')
    expect(verified.body.valid).toBe(true)
  }, 60_000)

  test('stops every process it started', async () => {
    const pids = [...fog.processes.values(), ...edge.processes.values()].map((p) => p.pid)
    expect(pids.every((pid) => typeof pid === 'number')).toBe(true)
    await Promise.all(machines.map((m) => m.stop()))
    for (const pid of pids) expect(isAlive(pid as number)).toBe(false)
    expect(events.filter((e) => e.event === 'machine.stopped')).toHaveLength(2)
  }, 30_000)
})

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
