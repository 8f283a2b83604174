/**
 * The live ENF actor on the real ledger path: a CometBFT localnet (one
 * validator) and its ledger actor, the integrity actor forwarding to the fog
 * database (SQLite file), in workers. A spliced camera clip at 50× real time:
 * its checkpoints are committed on CometBFT with receipts that verify, and
 * its tamper alert and checkpoints arrive as verified fog rows.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Localnet, type Receipt, startLocalnet, verifyReceipt } from '../../ledger/index.ts'
import { type ActorSystem, createActorSystem } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import { generateHostSigningKeyFile } from './host-signing-key.ts'
import { liveSpliceAudio, writeWav } from './testing/index.ts'

setDefaultTimeout(180_000)

const moduleOf = (file: string, exportName: string) => ({
  module: new URL(file, import.meta.url).href,
  export: exportName,
})
const EPOCH_MS = 1_764_000_000_000

let dir: string
let net: Localnet
let system: ActorSystem

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'vigil-enf-live-fog-')))
  const audio = await liveSpliceAudio()
  const fs = audio.reference.sampleRate
  // 420 s: the splice (300–345 s) and two checkpoints after it.
  const clip = (samples: Float64Array) =>
    writeWav(samples.subarray(0, 420 * fs), { sampleRate: fs })
  await writeFile(join(dir, 'grid.wav'), clip(audio.reference.samples))
  await writeFile(join(dir, 'camera.wav'), clip(audio.spliced.samples))
  const keyPath = join(dir, 'edge-1.json')
  const signer = await generateHostSigningKeyFile(keyPath)
  const publicKey = Buffer.from(signer.publicKeyHex, 'hex').toString('base64')
  net = await startLocalnet({ validators: 1 })
  system = createActorSystem({
    config: { simulateSerialization: true },
    actorCaller: (actor) => ({ id: 'host:edge-1', claims: { actor } }),
  })
  await system.spawn(
    'identity',
    moduleOf('../identity/testing/identity-actor-fixture.ts', 'identityActorFixture'),
    {
      args: { hosts: [{ publicKey, hostId: 'edge-1', registered: true, zone: 'z1' }] },
    },
  )
  await system.spawn(
    'ledger',
    moduleOf('../../ledger/cometbft/cometbft-ledger-actor.ts', 'cometbftLedgerActor'),
    {
      args: { rpcUrls: net.rpcUrls, signerKeyFile: net.keyFiles.nodes[0], flushIntervalMs: 5 },
    },
  )
  await system.spawn('fog-db', moduleOf('../fog-db/fog-db-actor.ts', 'fogDbActor'), {
    args: { databaseFile: join(dir, 'fog.sqlite') },
  })
  await system.spawn('integrity', moduleOf('../integrity/integrity-actor.ts', 'integrityActor'), {
    args: { hostId: 'edge-1', signingKeyPath: keyPath, forwardTo: 'fog-db' },
  })
  const live = { readRate: 50, epochMs: EPOCH_MS }
  await system.spawn('grid', moduleOf('./grid-reference-actor.ts', 'gridReferenceActor'), {
    args: { input: join(dir, 'grid.wav'), ...live },
  })
  await system.spawn('cam-1', moduleOf('./enf-live-actor.ts', 'enfLiveActor'), {
    args: {
      cameraId: 'cam-1',
      input: join(dir, 'camera.wav'),
      signingKeyPath: keyPath,
      referenceActor: 'grid',
      integrityActor: 'integrity',
      ...live,
    },
  })
  await waitFor(
    async () => ((await system.ask('cam-1', 'enf.live.status', {})) as { ended: boolean }).ended,
    { timeoutMs: 150_000, intervalMs: 200, message: 'the camera to reach the end of its clip' },
  )
})

afterAll(async () => {
  await system?.shutdown({ deadlineMs: 5_000 })
  await net?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('live ENF on CometBFT, with the fog database', () => {
  test('checkpoints are committed on the localnet with receipts that verify', async () => {
    const status = (await system.ask('cam-1', 'enf.live.status', {})) as {
      lastError: string | null
      streamId: string
      checkpoints: number
    }
    expect(status.lastError).toBeNull()
    expect(status.checkpoints).toBe(14)
    for (const seq of [0, 7, 13]) {
      const receipt = (await system.ask('ledger', 'ledger.get', {
        key: `enfcp:edge-1/${status.streamId}/${seq}`,
      })) as Receipt
      expect(verifyReceipt(receipt)).toEqual({ valid: true })
    }
  })

  test('the tamper alert and the checkpoints arrive as fog rows', async () => {
    const rows = await waitFor(
      async () => {
        const alerts = (await system.ask('fog-db', 'fogdb.query', {
          table: 'alerts',
          cameraId: 'cam-1',
        })) as {
          rows: { data: { kind: string; tsMs: number } }[]
        }
        const checkpoints = (await system.ask('fog-db', 'fogdb.query', {
          table: 'enf_fingerprints',
          cameraId: 'cam-1',
        })) as { rows: unknown[] }
        return alerts.rows.length > 0 && checkpoints.rows.length === 14
          ? { alerts: alerts.rows }
          : null
      },
      { timeoutMs: 30_000, intervalMs: 100, message: 'the fog rows' },
    )
    expect(rows.alerts[0]!.data.kind).toBe('enf_tamper')
    const startSeconds = (rows.alerts[0]!.data.tsMs - EPOCH_MS) / 1000
    expect(Math.abs(startSeconds - 300)).toBeLessThanOrEqual(5)
  })
})
