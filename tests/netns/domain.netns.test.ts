/**
 * A domain across machines, each machine a network namespace with its own
 * address (198.18.0.0/15) on one bridge: `vigil domain init` for 1 fog
 * (validator), 3 edges (2 validators) and an anvil machine, then on each
 * machine `vigil host start --config <its folder>` in its namespace. The
 * contracts are deployed on the anvil machine; fog-1's Ethereum ledger actor
 * anchors the domain's batch roots there; an identity actor and per-edge ENF
 * actors give the issue's flow: ENF record on edge-1, commit on the 3
 * validators, anchor on Ethereum, verify from edge-3.
 * Root only (skipped with the reason otherwise); tear-down removes every
 * namespace, link and bridge, also when a test fails.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { enfFixturePath } from '../../actors/enf-fingerprint/testing/index.ts'
import { createChainClients, createVigilContracts, toBytes32Name } from '../../ledger/index.ts'
import {
  NETNS_HOSTS,
  type NetnsDomain,
  nodeStatus,
  startNetnsDomain,
} from '../../ledger/testing/index.ts'
import { readHostKey } from '../../runtime/index.ts'
import { netnsUnavailable, waitFor } from '../../runtime/testing/index.ts'
import { registerDemoHosts } from '../../scripts/security-composition.ts'

const ROOT = join(import.meta.dir, '..', '..')
const RECORDING = enfFixturePath('ENFify/notebooks/Wuhan_ENF_data/down_001.wav')
const EDGES = NETNS_HOSTS.filter((h) => h.role === 'edge').map((h) => h.id)

/**
 * Beside the domain's own actors: the identity actor (on the fog, mirroring the IdentityRegistry
 * on the anvil machine; paths are relative to each machine's folder) and one ENF fingerprint
 * actor per edge, pinned to it (it signs with that host's key), reading its `media/` folder.
 */
/**
 * The operator creates the zone, registers every host in it and binds its host key, as with
 * `vigil identity zone-add|node-add|host-key` (scripts/security-composition.ts's demo helper).
 */
async function registerHosts(domain: NetnsDomain): Promise<void> {
  const chain = { ...domain.chain, chainId: 31337, rpcUrl: domain.anvilRpc }
  const admin = createVigilContracts(await createChainClients(chain), chain.addresses)
  await admin.identityRegistry.write('createZone', [toBytes32Name('zone-a'), chain.deployer])
  const hosts = await Promise.all(
    domain.hosts.map(async (h) => ({
      id: h.id,
      role: h.role,
      publicKey: (await readHostKey(join(domain.machineDir(h.id), 'host.pem'))).publicKeyBase64,
    })),
  )
  await registerDemoHosts(join(domain.dir, 'ethereum'), chain, hosts)
}

const enfActors = (anvilRpc: string) => [
  {
    name: 'identity',
    module: join(ROOT, 'actors', 'identity', 'identity-actor.ts'),
    args: { chainId: 31337, rpcUrl: anvilRpc, addressesFile: 'ethereum-addresses.json' },
    placement: { role: 'fog', fallback: 'none' },
  },
  ...EDGES.map((edge) => ({
    name: `enf-${edge}`,
    module: join(ROOT, 'actors', 'enf-fingerprint', 'enf-fingerprint-actor.ts'),
    export: 'enfFingerprintActor',
    args: { signingKeyPath: 'host.pem', mediaRoot: 'media', identityActor: 'identity' },
    placement: { role: 'edge', labels: { host: edge }, fallback: 'none' },
  })),
]

const unavailable = netnsUnavailable()
if (unavailable) console.warn(`tests/netns skipped: ${unavailable}`)

describe.skipIf(unavailable !== undefined)('a domain across network namespaces', () => {
  let domain: NetnsDomain
  let dir: string
  let counter = 0

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-netns-'))
    domain = await startNetnsDomain({
      dir,
      description: (anvilRpc) => ({ actors: enfActors(anvilRpc) }),
    })
    await registerHosts(domain)
    for (const edge of ['edge-1', 'edge-3']) {
      await mkdir(join(domain.machineDir(edge), 'media'), { recursive: true })
      await copyFile(RECORDING, join(domain.machineDir(edge), 'media', 'clip.wav'))
    }
  }, 60_000)

  afterAll(async () => {
    const tag = domain?.lab.tag
    await domain?.stop()
    if (tag) {
      const left =
        Bun.spawnSync(['ip', '-o', 'link']).stdout.toString() +
        Bun.spawnSync(['ip', 'netns', 'list']).stdout.toString()
      expect(left.includes(tag)).toBe(false)
    }
    await rm(dir, { recursive: true, force: true })
  }, 30_000)

  /** Records one detection through edge-1's gateway; answers its reply. */
  async function recordOnEdge1() {
    const record = {
      table: 'detections',
      id: `det-${++counter}`,
      data: { cameraId: 'cam-1', label: 'person' },
    }
    const reply = await domain.ask('edge-1', 'integrity-edge-1', 'integrity.record', {
      records: [record],
    })
    return { record, reply }
  }

  async function heights(hosts: readonly string[]): Promise<number[]> {
    return Promise.all(hosts.map(async (h) => (await nodeStatus(domain.cometRpc(h)))?.height ?? -1))
  }

  test('a record made on an edge commits on the three validators and verifies from another edge', async () => {
    const { record, reply } = await recordOnEdge1()
    expect(reply.status).toBe(200)
    const verified = await domain.ask('edge-3', 'integrity-edge-3', 'integrity.verify', {
      record,
      hostId: 'edge-1',
    })
    expect(verified).toMatchObject({ status: 200, body: { valid: true } })
    const [fogHeight] = await heights(['fog-1'])
    await waitFor(
      async () => (await heights(['edge-1', 'edge-2'])).every((h) => h >= (fogHeight as number)),
      {
        timeoutMs: 10_000,
        message: 'every validator at the committed height',
      },
    )
  }, 30_000)

  test('the committed batch root is anchored on Ethereum by the fog, and the anchor verifies from another edge', async () => {
    const { record, reply } = await recordOnEdge1()
    expect(reply.status).toBe(200)
    let verified: Awaited<ReturnType<typeof domain.ask>> | undefined
    await waitFor(
      async () => {
        verified = await domain.ask('edge-3', 'integrity-edge-3', 'integrity.verify', {
          record,
          hostId: 'edge-1',
        })
        return verified.body.anchor !== 'not-anchored'
      },
      { timeoutMs: 15_000, message: 'the batch root anchored on the anvil machine' },
    )
    // The Ethereum ledger actor (on fog-1) had the Anchor contract walk the receipt's audit path.
    expect(verified).toMatchObject({ status: 200, body: { valid: true, anchor: 'verified' } })
    const block = verified?.body.anchoredAtBlock as number
    const head = await fetch(domain.anvilRpc, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
    }).then((r) => r.json() as Promise<{ result: string }>)
    expect(block).toBeGreaterThan(domain.addresses.deployedAtBlock)
    expect(block).toBeLessThanOrEqual(Number(head.result))
    const status = await domain.ask('fog-1', 'ethereum', 'eth.anchoring_status', {})
    expect(status.body).toMatchObject({ enabled: true, domain: 'vigil-netns', lastError: null })
  }, 30_000)

  test('an ENF fingerprint recorded on edge-1 commits, is anchored on Ethereum, and verifies from edge-3 as signed by a trusted host', async () => {
    const recorded = await domain.ask('edge-1', 'enf-edge-1', 'enf.record', {
      recordingId: 'cam-1:1',
      audioPath: 'clip.wav',
    })
    expect(recorded.status).toBe(200)
    expect(recorded.body.receipt).toMatchObject({ chainId: 'vigil-netns' })
    let verified: Awaited<ReturnType<typeof domain.ask>> | undefined
    // The identity actor follows the registry block by block: wait until it knows the hosts.
    await waitFor(
      async () => {
        verified = await domain.ask('edge-3', 'enf-edge-3', 'enf.verify', {
          recordingId: 'cam-1:1',
          hostId: 'edge-1',
          candidatePath: 'clip.wav',
        })
        return verified.status !== 200 || verified.body.signerTrusted === true
      },
      { timeoutMs: 15_000, message: 'edge-3 trusts edge-1 as the signer' },
    )
    expect(verified).toMatchObject({
      status: 200,
      body: { passed: true, verdict: 'authentic', signerHostId: 'edge-1', signerTrusted: true },
    })
    // Its batch root is anchored on Ethereum too: the Anchor contract proves edge-3's receipt.
    const stored = await domain.ask('edge-3', 'ledger', 'ledger.get', { key: 'enf:edge-1/cam-1:1' })
    const receipt = recorded.body.receipt as { height: number; batchRoot: string }
    expect(stored.body).toMatchObject({
      record: { key: 'enf:edge-1/cam-1:1' },
      height: receipt.height,
      batchRoot: receipt.batchRoot,
    })
    let anchored: Awaited<ReturnType<typeof domain.ask>> | undefined
    await waitFor(
      async () => {
        anchored = await domain.ask('edge-3', 'ethereum', 'eth.verify_anchored_receipt', {
          receipt: stored.body,
        })
        // Wait only while the batch is not anchored yet; any other answer is the verdict.
        return anchored.status !== 200 || !String(anchored.body.reason).endsWith('is not anchored')
      },
      { timeoutMs: 15_000, message: 'the fingerprint’s batch root anchored' },
    )
    expect(anchored).toMatchObject({ status: 200, body: { valid: true } })
  }, 45_000)

  test('a validator edge cut off: membership notices, 2 of 3 keep committing, it catches up on return', async () => {
    domain.lab.linkDown('edge-2')
    try {
      await waitFor(
        async () => {
          const status = await domain.admin('fog-1', 'status')
          const members = status.body.members as { hostId: string; status: string }[]
          return members.find((m) => m.hostId === 'edge-2')?.status === 'dead'
        },
        { timeoutMs: 10_000, intervalMs: 100, message: 'fog-1 marks edge-2 dead' },
      )
      // Actors are re-placed: no replica of the echo service stays on the cut-off host.
      await waitFor(
        async () => {
          const placement = await domain.admin('fog-1', 'placement')
          const echo = (placement.body.placement as Record<string, { hosts: string[] }>).echo
          return echo && echo.hosts.length > 0 && !echo.hosts.includes('edge-2')
        },
        { timeoutMs: 5_000, message: 'echo re-placed off edge-2' },
      )
      const { reply } = await recordOnEdge1()
      expect(reply.status).toBe(200)
    } finally {
      domain.lab.linkUp('edge-2')
    }
    const [fogHeight] = await heights(['fog-1'])
    await waitFor(async () => ((await heights(['edge-2']))[0] as number) >= (fogHeight as number), {
      timeoutMs: 20_000,
      intervalMs: 100,
      message: 'edge-2 catches up',
    })
    await waitFor(
      async () => {
        const status = await domain.admin('fog-1', 'status')
        const members = status.body.members as { hostId: string; status: string }[]
        return members.find((m) => m.hostId === 'edge-2')?.status === 'alive'
      },
      { timeoutMs: 10_000, intervalMs: 100, message: 'fog-1 sees edge-2 alive again' },
    )
  }, 45_000)

  test('a host revoked while the domain runs is cut off within a second, and nothing else is disturbed', async () => {
    const connected = async (host: string) => {
      const status = await domain.admin(host, 'status')
      const links = status.body.connections as { hostId: string; open: number }[]
      return links.some((link) => link.hostId === 'edge-3' && link.open > 0)
    }
    await waitFor(
      async () => (await Promise.all(['fog-1', 'edge-1', 'edge-2'].map(connected))).every(Boolean),
      {
        timeoutMs: 10_000,
        message: 'edge-3 connected to every host before the revocation',
      },
    )
    const refusedBefore = await refusedCount('fog-1')
    const startedAt = performance.now()
    const revoke = domain.cli([
      'domain',
      'revoke',
      '--admin',
      join(dir, 'domain', 'admin'),
      '--host',
      'edge-3',
    ])
    expect(revoke.exitCode).toBe(0)
    await waitFor(
      async () =>
        (await Promise.all(['fog-1', 'edge-1', 'edge-2'].map(connected))).every((c) => !c),
      {
        timeoutMs: 1_000 + (performance.now() - startedAt),
        intervalMs: 20,
        message: 'every host closed its connections to edge-3',
      },
    )
    // edge-3 keeps dialing its seed: refused at the handshake now.
    await waitFor(async () => (await refusedCount('fog-1')) > refusedBefore, {
      timeoutMs: 5_000,
      message: 'fog-1 refuses edge-3’s new connections',
    })
    const fromRevoked = await domain.ask('edge-3', 'integrity-edge-1', 'integrity.verify', {
      record: { table: 'detections', id: 'det-1', data: { cameraId: 'cam-1', label: 'person' } },
      hostId: 'edge-1',
    })
    expect(fromRevoked.status).not.toBe(200)
    const { reply } = await recordOnEdge1()
    expect(reply.status).toBe(200)
  }, 30_000)

  async function refusedCount(host: string): Promise<number> {
    const status = await domain.admin(host, 'status')
    return Object.values(status.body.refused as Record<string, number>).reduce((a, b) => a + b, 0)
  }
})
