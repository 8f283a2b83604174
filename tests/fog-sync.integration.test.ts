/**
 * Two fog sites of one domain synchronizing through the ledger, on a real
 * CometBFT localnet in real workers: two fog-db actors with their own SQLite
 * files, each fed by the edge, each importing the other's calls
 * (`fogdb.sync`), which the receipts on the shared ledger prove; a record
 * altered in one site's database is refused by the other.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openFogStore } from '../actors/fog-db/index.ts'
import { sampleRecords } from '../actors/fog-db/testing/index.ts'
import { batchSignerFrom, type RecordRecordsResult } from '../actors/integrity/index.ts'
import { type Localnet, startLocalnet } from '../ledger/index.ts'
import { type ActorSystem, createActorSystem } from '../runtime/index.ts'

setDefaultTimeout(120_000)

const moduleOf = (path: string, name: string) => ({
  module: new URL(path, import.meta.url).href,
  export: name,
})

type Sync = { calls: number; stored: number; refused: { digest: string; part: string }[] }
type Audit = { intact: number; tampered: unknown[]; missing: unknown[]; unrecorded: unknown[] }

describe('two fog sites synchronizing through the ledger', () => {
  let net: Localnet
  let system: ActorSystem
  let dir: string
  const file = (site: string) => join(dir, `${site}.sqlite`)
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-fog-sync-'))
    const { privateKey } = generateKeyPairSync('ed25519')
    const keyPath = join(dir, 'edge-1.pem')
    writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
    net = await startLocalnet({ validators: 1 })
    system = createActorSystem({
      config: { simulateSerialization: true },
      actorCaller: (actor) => ({
        id: `host:${actor.startsWith('fog') ? actor : 'edge-1'}`,
        claims: { actor },
      }),
    })
    await system.spawn(
      'ledger',
      moduleOf('../ledger/cometbft/cometbft-ledger-actor.ts', 'cometbftLedgerActor'),
      {
        args: { rpcUrls: net.rpcUrls, signerKeyFile: net.keyFiles.nodes[0], flushIntervalMs: 5 },
      },
    )
    const publicKey = batchSignerFrom(privateKey).publicKey
    await system.spawn(
      'identity',
      moduleOf('../actors/identity/testing/identity-actor-fixture.ts', 'identityActorFixture'),
      { args: { hosts: [{ publicKey, hostId: 'edge-1', registered: true }] } },
    )
    for (const site of ['fog-a', 'fog-b']) {
      await system.spawn(site, moduleOf('../actors/fog-db/fog-db-actor.ts', 'fogDbActor'), {
        args: { databaseFile: file(site) },
      })
      await system.spawn(
        `audit-${site}`,
        moduleOf('../actors/integrity/integrity-actor.ts', 'integrityActor'),
        {
          args: { hostId: site, fogDbActor: site },
        },
      )
    }
    await system.spawn(
      'integrity',
      moduleOf('../actors/integrity/integrity-actor.ts', 'integrityActor'),
      {
        args: { hostId: 'edge-1', signingKeyPath: keyPath },
      },
    )
  })
  afterAll(async () => {
    await system?.shutdown({ deadlineMs: 5_000 })
    await net?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  async function recordInto(site: string, count: number, prefix: string) {
    const records = sampleRecords(count, count, prefix)
    const recorded = (await system.ask('integrity', 'integrity.record', {
      records,
    })) as RecordRecordsResult
    await system.ask(site, 'fogdb.ingest', { ...recorded, records })
    return { records, digest: recorded.batch.digest }
  }
  const sync = (site: string, peer: string) =>
    system.ask(site, 'fogdb.sync', { peer }, { timeoutMs: 60_000 }) as Promise<Sync>
  const audit = (site: string) =>
    system.ask(`audit-${site}`, 'integrity.audit', {}, { timeoutMs: 60_000 }) as Promise<Audit>

  test('each site imports the calls the other received, once, and both audit intact', async () => {
    await recordInto('fog-a', 300, 'a')
    await recordInto('fog-b', 200, 'b')
    expect(await sync('fog-b', 'fog-a')).toEqual({ calls: 1, stored: 300, refused: [] })
    expect(await sync('fog-a', 'fog-b')).toEqual({ calls: 2, stored: 200, refused: [] })
    expect(await sync('fog-b', 'fog-a')).toEqual({ calls: 2, stored: 0, refused: [] })
    for (const site of ['fog-a', 'fog-b']) {
      expect(await audit(site)).toMatchObject({
        intact: 500,
        tampered: [],
        missing: [],
        unrecorded: [],
      })
    }
  })

  test('a record altered at one site is refused by the other, which stores nothing of its call', async () => {
    const { records, digest } = await recordInto('fog-a', 50, 'altered')
    const victim = records.find((r) => r.table === 'alerts')
    const tamperer = await openFogStore({ file: file('fog-a') })
    await tamperer.execute(
      `UPDATE alerts SET severity = 'low' || severity WHERE id = '${victim?.id}'`,
    )
    await tamperer.close()
    const result = await sync('fog-b', 'fog-a')
    expect(result.refused).toEqual([expect.objectContaining({ digest, part: 'signature' })])
    expect(result.stored).toBe(0)
    const rows = (await system.ask('fog-b', 'fogdb.query', { table: 'alerts', limit: 10_000 })) as {
      rows: { id: string }[]
    }
    expect(rows.rows.some((row) => row.id.startsWith('altered-'))).toBe(false)
  })
})
