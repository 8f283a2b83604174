/**
 * Split ingest on real parts: a CometBFT localnet (one validator) and its
 * ledger actor, edge integrity actors, two fog-verifier replicas in front of
 * the fog-db actor (SQLite file), each in its own worker. Calls ingested
 * through either replica are verified there and stored once; a batch that
 * fails is refused before the store sees it; the store takes verified calls
 * only from its verifiers; the audit shared with the replicas finds a row
 * edited behind the database's back.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openFogStore } from '../actors/fog-db/index.ts'
import { sampleRecords } from '../actors/fog-db/testing/index.ts'
import type { RecordRecordsResult } from '../actors/integrity/index.ts'
import { writeHostKeyFile } from '../actors/integrity/testing/index.ts'
import { type Localnet, startLocalnet } from '../ledger/index.ts'
import { type ActorSystem, createActorSystem } from '../runtime/index.ts'

setDefaultTimeout(120_000)

const moduleOf = (path: string, name: string) => ({
  module: new URL(path, import.meta.url).href,
  export: name,
})

const VERIFIERS = ['fog-verifier-0', 'fog-verifier-1']
const HOSTS = ['edge-1', 'edge-2', 'edge-3'] // edge-3 is not registered

describe('fog-verifier replicas in front of the fog-db on a CometBFT localnet', () => {
  let net: Localnet
  let system: ActorSystem
  let dir: string
  let fogFile: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-fog-verifier-'))
    fogFile = join(dir, 'fog.sqlite')
    const keys = HOSTS.map((host) => writeHostKeyFile(dir, host))
    net = await startLocalnet({ validators: 1 })
    system = createActorSystem({
      config: { simulateSerialization: true },
      // Each edge's integrity actor speaks as its host (the ledger admits its namespace).
      actorCaller: (actor) => ({
        id: `host:${actor.startsWith('integrity-') ? actor.slice('integrity-'.length) : 'fog-1'}`,
        claims: { actor },
      }),
    })
    await system.spawn(
      'ledger',
      moduleOf('../ledger/cometbft/cometbft-ledger-actor.ts', 'cometbftLedgerActor'),
      { args: { rpcUrls: net.rpcUrls, signerKeyFile: net.keyFiles.nodes[0], flushIntervalMs: 5 } },
    )
    await system.spawn(
      'identity',
      moduleOf('../actors/identity/testing/identity-actor-fixture.ts', 'identityActorFixture'),
      {
        args: {
          hosts: keys.slice(0, 2).map((key, i) => ({
            publicKey: key.publicKey,
            hostId: HOSTS[i] as string,
            registered: true,
          })),
        },
      },
    )
    await system.spawn('fog-db', moduleOf('../actors/fog-db/fog-db-actor.ts', 'fogDbActor'), {
      args: { databaseFile: fogFile, verifiers: VERIFIERS, auditShares: 3 },
    })
    for (const name of VERIFIERS) {
      await system.spawn(
        name,
        moduleOf('../actors/fog-db/fog-verifier-actor.ts', 'fogVerifierActor'),
        { args: { databaseFile: fogFile } },
      )
    }
    for (const [i, host] of HOSTS.entries()) {
      await system.spawn(
        `integrity-${host}`,
        moduleOf('../actors/integrity/integrity-actor.ts', 'integrityActor'),
        { args: { hostId: host, signingKeyPath: keys[i]?.path as string } },
      )
    }
  })
  afterAll(async () => {
    await system?.shutdown({ deadlineMs: 5_000 })
    await net?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  async function record(host: string, count: number, prefix: string) {
    const records = sampleRecords(count, count, prefix)
    const recordsJson = JSON.stringify(records)
    const recorded = (await system.ask(
      `integrity-${host}`,
      'integrity.record',
      { recordsJson },
      { timeoutMs: 60_000 },
    )) as RecordRecordsResult
    const call = { batch: recorded.batch, proof: recorded.proof, callRoot: recorded.callRoot }
    return {
      records,
      recordsJson,
      call,
      ingest: (at: string, json = recordsJson) =>
        system.ask(at, 'fogdb.ingest', { ...call, recordsJson: json }, { timeoutMs: 60_000 }),
    }
  }

  const rowsOf = async (host: string) => {
    const store = await openFogStore({ file: fogFile })
    try {
      const { rows } = await store.auditMaterial({ hostId: host })
      return rows.length
    } finally {
      await store.close()
    }
  }

  test('stores a call ingested through either replica once, however often it is delivered', async () => {
    const { ingest } = await record('edge-1', 300, 'twice')
    expect(await ingest('fog-verifier-0')).toEqual({ stored: 300, records: 300 })
    expect(await ingest('fog-verifier-1')).toEqual({ stored: 0, records: 300 })
    expect(await ingest('fog-db')).toEqual({ stored: 0, records: 300 })
  })

  test('refuses at the replica, storing nothing, a batch of an unregistered host or with an altered record', async () => {
    const stranger = await record('edge-3', 50, 'stranger')
    await expect(stranger.ingest('fog-verifier-0')).rejects.toMatchObject({
      code: 'FOG_BATCH_REFUSED',
      meta: { part: 'signer' },
    })
    expect(await rowsOf('edge-3')).toBe(0)
    const before = await rowsOf('edge-2')
    const { records, ingest } = await record('edge-2', 60, 'altered')
    const altered = records.map((r, i) =>
      i === 0 ? { ...r, data: { ...r.data, label: 'forged' } } : r,
    )
    await expect(ingest('fog-verifier-1', JSON.stringify(altered))).rejects.toMatchObject({
      code: 'FOG_BATCH_REFUSED',
      meta: { part: 'signature' },
    })
    expect(await rowsOf('edge-2')).toBe(before)
  })

  test('the store refuses verified calls from any caller but its verifiers', async () => {
    const { records, recordsJson, call } = await record('edge-2', 20, 'forged-verdict')
    const verdict = {
      ...call,
      recordsJson,
      hashes: 'ab'.repeat(32 * records.length),
      leaves: 'cd'.repeat(32 * records.length),
      batchId: call.proof.batches[0]?.batchId as string,
    }
    for (const caller of [
      undefined,
      { id: 'host:edge-2', claims: { actor: 'integrity-edge-2' } },
      { id: '0xabc0000000000000000000000000000000000001', claims: { actor: 'fog-verifier-0' } },
    ]) {
      await expect(
        system.ask('fog-db', 'fogdb.store_verified', verdict, caller ? { caller } : {}),
      ).rejects.toMatchObject({ code: 'FOG_CALLER_REFUSED' })
    }
    expect(
      (
        await openFogStore({ file: fogFile }).then(async (store) => {
          const { rows } = await store.auditMaterial({})
          await store.close()
          return rows
        })
      ).some((row) => row.id.startsWith('forged-verdict')),
    ).toBe(false)
  })

  test('the audit shared with the replicas reports a row edited behind the database, and nothing else', async () => {
    for (const host of ['edge-1', 'edge-2']) {
      const { ingest } = await record(host, 400, `audit-${host}`)
      await ingest(VERIFIERS[host === 'edge-1' ? 0 : 1] as string)
    }
    const tamperer = await openFogStore({ file: fogFile })
    await tamperer.execute(`UPDATE detections SET label = 'forged' WHERE id = 'audit-edge-2-0'`)
    const { rows } = await tamperer.auditMaterial({})
    await tamperer.close()
    const report = (await system.ask('fog-db', 'fogdb.audit', {}, { timeoutMs: 60_000 })) as {
      checked: number
      intact: number
      tampered: { table: string; hostId: string; id: string; part: string }[]
      batchesConfirmed: number
    }
    expect(report.tampered.map((row) => [row.table, row.hostId, row.id, row.part])).toEqual([
      ['detections', 'edge-2', 'audit-edge-2-0', 'record'],
    ])
    expect({ checked: report.checked, intact: report.intact }).toEqual({
      checked: rows.length,
      intact: rows.length - 1,
    })
    expect(report.batchesConfirmed).toBeGreaterThan(0)
  })
})
