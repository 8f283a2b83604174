/**
 * The ENF fingerprint actor end to end: a real 1-validator CometBFT localnet,
 * the actor kernel running the enf-fingerprint actor and the CometBFT ledger
 * actor (ledger/cometbft/cometbft-ledger-actor.ts) in worker threads, a fingerprint recorded from a real recording, its receipt
 * verified on the chain, and enf.verify passing on the same recording. The
 * identity actor is a fixture that knows the edge host's key (the real one
 * lives in actors/identity); actors' own messages carry their host's principal
 * (`actorCaller`), which the ledger actor checks against the record keys.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { generateHostSigningKeyFile, type HostSigner } from '../actors/enf-fingerprint/index.ts'
import { enfFixturePath } from '../actors/enf-fingerprint/testing/index.ts'
import {
  type CometbftLedger,
  createCometbftLedger,
  type Localnet,
  loadSignerKey,
  startLocalnet,
} from '../ledger/index.ts'
import { type ActorSystem, createActorSystem, hostCaller } from '../runtime/index.ts'

// A real network and worker threads: starting them takes seconds.
setDefaultTimeout(120_000)

const root = resolve(import.meta.dir, '..')
let net: Localnet
let system: ActorSystem
let client: CometbftLedger
let dir: string
let host: HostSigner

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-enf-e2e-'))
  host = await generateHostSigningKeyFile(join(dir, 'edge-host-key.json'))
  await mkdir(join(dir, 'media'))
  for (const name of ['down_001.wav', 'down_001_ref.wav']) {
    await copyFile(
      enfFixturePath(`ENFify/notebooks/Wuhan_ENF_data/${name}`),
      join(dir, 'media', name),
    )
  }
  net = await startLocalnet({ validators: 1 })
  client = await createCometbftLedger({
    rpcUrls: net.rpcUrls,
    signer: await loadSignerKey(net.keyFiles.nodes[0]!),
    flushIntervalMs: 5,
  })
  // Messages the actors send carry the principal of the host they run on (edge-7 here).
  system = createActorSystem({ actorCaller: (actor) => hostCaller('edge-7', actor) })
  await system.spawn(
    'identity',
    {
      module: join(root, 'actors/identity/testing/identity-actor-fixture.ts'),
      export: 'identityActorFixture',
    },
    {
      args: {
        hosts: [
          {
            publicKey: Buffer.from(host.publicKeyHex, 'hex').toString('base64'),
            hostId: 'edge-7',
            registered: true,
            zone: 'zone-1',
          },
        ],
      },
    },
  )
  await system.spawn(
    'ledger',
    {
      module: join(root, 'ledger/cometbft/cometbft-ledger-actor.ts'),
      export: 'cometbftLedgerActor',
    },
    {
      args: {
        rpcUrls: [...net.rpcUrls],
        signerKeyFile: net.keyFiles.nodes[0]!,
        flushIntervalMs: 5,
      },
    },
  )
  await system.spawn(
    'enf-fingerprint',
    {
      module: join(root, 'actors/enf-fingerprint/enf-fingerprint-actor.ts'),
      export: 'enfFingerprintActor',
    },
    {
      args: {
        signingKeyPath: join(dir, 'edge-host-key.json'),
        ledgerActor: 'ledger',
        mediaRoot: join(dir, 'media'),
      },
    },
  )
})

afterAll(async () => {
  await system?.shutdown({ deadlineMs: 5000 })
  await client?.close()
  await net?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('enf-fingerprint actor on a CometBFT localnet', () => {
  test('records a signed fingerprint whose receipt verifies on the chain, and verifies the recording', async () => {
    const audioPath = 'down_001.wav'
    const recorded = (await system.ask(
      'enf-fingerprint',
      'enf.record',
      { recordingId: 'cam-7:2026-11-21T09:00', audioPath, capturedAtMs: 1_763_715_600_000 },
      { timeoutMs: 60_000 },
    )) as {
      fingerprintId: string
      hostPublicKey: string
      receipt: { height: number; txHash: string }
    }
    expect(recorded.fingerprintId).toBe('enf:edge-7/cam-7:2026-11-21T09:00')
    expect(recorded.hostPublicKey).toBe(host.publicKeyHex)
    expect(recorded.receipt.height).toBeGreaterThan(0)

    const onChain = await client.get('enf:edge-7/cam-7:2026-11-21T09:00')
    expect(onChain?.record.kind).toBe('enf_fingerprint')
    expect(await client.verify(onChain!)).toEqual({ valid: true })

    const verified = (await system.ask(
      'enf-fingerprint',
      'enf.verify',
      { recordingId: 'cam-7:2026-11-21T09:00', candidatePath: audioPath },
      { timeoutMs: 60_000 },
    )) as { passed: boolean; verdict: string; receipt: { txHash: string } }
    expect(verified).toMatchObject({ passed: true, verdict: 'authentic' })
    expect(verified.receipt.txHash).toBe(recorded.receipt.txHash)
  })

  test('answers enf.compare through the kernel with a plain-data verdict', async () => {
    const compared = (await system.ask(
      'enf-fingerprint',
      'enf.compare',
      { recordingPath: 'down_001.wav', referencePath: 'down_001_ref.wav' },
      { timeoutMs: 60_000 },
    )) as { verdict: string; windows: { r: number | null }[] }
    expect(compared.verdict).toBe('authentic')
    expect(compared.windows.some((w) => w.r === null)).toBe(true)
  })
})
