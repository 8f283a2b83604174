/**
 * The fog database's conformance suite: ingest, refusal, idempotence, the
 * randomized tampering campaign and restart, run against every backend
 * (fog-store.sqlite.test.ts, fog-store.postgres.test.ts) with one shared
 * in-memory ledger, so SQLite and PostgreSQL must behave identically.
 */
import { describe, expect, test } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import type { CompactBatch } from '../../ledger/index.ts'
import {
  type AuditReport,
  auditRows,
  batchSignerFrom,
  type IntegrityRecord,
  type RecordRecordsResult,
  type RowRef,
  recordRecords,
  verifyRecord,
} from '../integrity/index.ts'
import { createMemoryIntegrityLedger } from '../integrity/testing/index.ts'
import type { FogStore } from './fog-store.ts'
import { FOG_TABLES, type FogTable, sqlName } from './fog-tables.ts'
import {
  type HostOfKey,
  type IngestDeps,
  ingestBatch,
  ingestParametersOf,
  verifyBatch,
} from './ingest-batch.ts'
import { auditHosts, auditShared, deferringLedger, shareHosts } from './shared-audit.ts'
import { storeVerifiedCall } from './store-verified.ts'
import { syncFromPeer } from './sync-from-peer.ts'
import { sampleRecords, seededRandom } from './testing/index.ts'

export type FogStoreBackend = {
  readonly name: string
  /** A fresh, empty, migrated store. */
  open(): Promise<FogStore>
  /** The same database after a restart of the fog host (close, server restart, reopen). */
  restart(store: FogStore): Promise<FogStore>
}

const edgeKey = batchSignerFrom(generateKeyPairSync('ed25519').privateKey)
const strangerKey = batchSignerFrom(generateKeyPairSync('ed25519').privateKey)
const revokedKey = batchSignerFrom(generateKeyPairSync('ed25519').privateKey)
const secondKey = batchSignerFrom(generateKeyPairSync('ed25519').privateKey)
const HOST = 'edge-1'

/** The identity actor's answers: edge-1 registered, edge-9 revoked, anyone else unknown (hostId ''). */
async function hostOfKey(publicKey: string): Promise<HostOfKey> {
  if (publicKey === edgeKey.publicKey) return { hostId: HOST, registered: true }
  if (publicKey === revokedKey.publicKey) return { hostId: 'edge-9', registered: false }
  if (publicKey === secondKey.publicKey) return { hostId: 'edge-2', registered: true }
  return { hostId: '', registered: false }
}

const callOf = (records: IntegrityRecord[], result: RecordRecordsResult) => ({
  batch: result.batch,
  records,
  proof: result.proof,
  callRoot: result.callRoot,
})

const refText = (ref: RowRef) => `${ref.table}/${ref.hostId}/${ref.id}`
const sorted = (refs: readonly RowRef[]) => refs.map(refText).sort()

async function counts(store: FogStore) {
  const { rows, receipts } = await store.auditMaterial({})
  return { rows: rows.length, receipts: receipts.length }
}

/** Runs the suite against one backend. */
export function runFogStoreConformance(backend: FogStoreBackend): void {
  describe(`fog database on ${backend.name}`, () => {
    const ledger = createMemoryIntegrityLedger({ neighbours: 5 })
    const deps = (store: FogStore): IngestDeps => ({ store, ledger, hostOfKey, nowMs: () => 1_000 })
    let batchNumber = 0
    async function edgeBatch(count: number, signer = edgeKey, hostId = HOST) {
      const records = sampleRecords(count, ++batchNumber, `b${batchNumber}`)
      const result = await recordRecords({ ledger, signer, hostId }, records)
      return callOf(records, result)
    }

    test('stores a verified batch and answers queries by camera and time, and by track', async () => {
      const store = await backend.open()
      try {
        const batch = await edgeBatch(200)
        expect(await ingestBatch(deps(store), batch)).toEqual({ stored: 200, records: 200 })
        const detections = batch.records.filter(
          (r) => r.table === 'detections' && r.data.cameraId === 'cam-1',
        )
        const times = detections.map((r) => r.data.tsMs as number)
        const found = await store.query({
          table: 'detections',
          cameraId: 'cam-1',
          fromMs: Math.min(...times),
          toMs: Math.max(...times),
        })
        expect(found.map((row) => row.id).sort()).toEqual(detections.map((r) => r.id).sort())
        expect(found[0]?.data).toEqual(detections.find((r) => r.id === found[0]?.id)?.data as never)
        const features = await store.query({ table: 'track_features', trackId: 'trk-3' })
        expect(features.every((row) => row.data.trackId === 'trk-3')).toBe(true)
      } finally {
        await store.close()
      }
    })

    test('stores a re-delivered batch once, whatever call root it names as a hint', async () => {
      const store = await backend.open()
      try {
        const batch = await edgeBatch(50)
        const wrongRoot = `${batch.callRoot[0] === '0' ? '1' : '0'}${batch.callRoot.slice(1)}`
        expect(await ingestBatch(deps(store), { ...batch, callRoot: wrongRoot })).toEqual({
          stored: 50,
          records: 50,
        })
        expect(await ingestBatch(deps(store), batch)).toEqual({ stored: 0, records: 50 })
        expect(await counts(store)).toEqual({ rows: 50, receipts: 50 })
      } finally {
        await store.close()
      }
    })

    test('refuses whole, storing nothing, a batch signed by an unregistered or unknown host', async () => {
      const store = await backend.open()
      try {
        for (const [signer, host] of [
          [strangerKey, HOST],
          [revokedKey, 'edge-9'],
          [edgeKey, 'edge-2'],
        ] as const) {
          const batch = await edgeBatch(20, signer, host)
          await expect(ingestBatch(deps(store), batch)).rejects.toMatchObject({
            code: 'FOG_BATCH_REFUSED',
            meta: { part: 'signer' },
          })
        }
        expect(await counts(store)).toEqual({ rows: 0, receipts: 0 })
      } finally {
        await store.close()
      }
    })

    test('refuses whole, storing nothing, a batch whose receipt, record or signature does not match', async () => {
      const store = await backend.open()
      try {
        const batch = await edgeBatch(3000)
        const cases = refusalCases(batch)
        for (const [bad, part] of cases) {
          await expect(ingestBatch(deps(store), bad as never)).rejects.toMatchObject({
            code: 'FOG_BATCH_REFUSED',
            meta: { part },
          })
        }
        expect(await counts(store)).toEqual({ rows: 0, receipts: 0 })
      } finally {
        await store.close()
      }
    })

    test('audit reports 100 % of a randomized campaign of 1,200 edits and nothing untouched', async () => {
      const store = await backend.open()
      try {
        const batches = [
          await edgeBatch(1000),
          await edgeBatch(1000),
          await edgeBatch(1000),
          await edgeBatch(600),
        ]
        for (const batch of batches) await ingestBatch(deps(store), batch)
        const records = batches.flatMap((b) => b.records)
        const expected = await tamper(
          store,
          records,
          1200,
          seededRandom(backend.name.length * 7919),
        )
        const { rows, receipts, proofs, calls } = await store.auditMaterial({})
        const report = await auditRows(ledger, rows, receipts, proofs, calls)
        expect({
          tampered: sorted(report.tampered),
          missing: sorted(report.missing),
          unrecorded: sorted(report.unrecorded),
        }).toEqual({
          tampered: expected.tampered.sort(),
          missing: expected.missing.sort(),
          unrecorded: expected.unrecorded.sort(),
        })
        expect(report.intact).toBe(records.length - expected.touched)
      } finally {
        await store.close()
      }
      // 1,200 single-statement SQL edits, each its own durable transaction.
    }, 60_000)

    test('exports its calls so another fog store imports them, refusing one altered here', async () => {
      const here = await backend.open()
      const there = await backend.open()
      try {
        const calls = [await edgeBatch(2500), await edgeBatch(40), await edgeBatch(30)]
        for (const call of calls) await ingestBatch(deps(here), call)
        const altered = calls[2]?.records.find((r) => r.table === 'detections') as IntegrityRecord
        await here.execute(`UPDATE detections SET label = 'forged' WHERE id = ${quote(altered.id)}`)
        const result = await syncFromPeer(deps(there), 'here', (after) =>
          here.exportCalls(after, 2),
        )
        expect({ calls: result.calls, stored: result.stored }).toEqual({ calls: 3, stored: 2540 })
        expect(result.refused.map((r) => [r.digest, r.part])).toEqual([
          [calls[2]?.batch.digest as string, 'signature'],
        ])
        const material = await there.auditMaterial({})
        const report = await auditRows(
          ledger,
          material.rows,
          material.receipts,
          material.proofs,
          material.calls,
        )
        expect({ intact: report.intact, tampered: report.tampered.length }).toEqual({
          intact: 2540,
          tampered: 0,
        })
      } finally {
        await here.close()
        await there.close()
      }
    }, 60_000)

    test('loses no acknowledged record across a restart of the fog host', async () => {
      let store = await backend.open()
      try {
        const batches = [await edgeBatch(300), await edgeBatch(300)]
        for (const batch of batches) await ingestBatch(deps(store), batch)
        store = await backend.restart(store)
        const { rows, receipts, proofs, calls } = await store.auditMaterial({})
        const report = await auditRows(ledger, rows, receipts, proofs, calls)
        expect({
          intact: report.intact,
          tampered: report.tampered.length,
          missing: report.missing.length,
          unrecorded: report.unrecorded.length,
        }).toEqual({ intact: 600, tampered: 0, missing: 0, unrecorded: 0 })
      } finally {
        await store.close()
      }
      // A server restart (PostgreSQL: pg_ctl stop + start) is slow on a loaded machine.
    }, 60_000)
  })
}

type EdgeCall = ReturnType<typeof callOf>

/** A verified call altered in each way ingest must refuse, with the part it must name. */
function refusalCases(batch: EdgeCall): [unknown, string][] {
  const [only] = batch.proof.batches as [CompactBatch]
  const flip = (hex: string) => `${hex[0] === '0' ? '1' : '0'}${hex.slice(1)}`
  const withBatch = (b: CompactBatch) => ({
    ...batch,
    proof: { ...batch.proof, batches: [b] },
  })
  const cases: [unknown, string][] = [
    [withBatch({ ...only, batchRoot: flip(only.batchRoot) }), 'proof'],
    [
      withBatch({ ...only, nodes: [flip(only.nodes[0] as string), ...only.nodes.slice(1)] }),
      'proof',
    ],
    [withBatch({ ...only, height: only.height + 1 }), 'height'],
    [withBatch({ ...only, txHash: flip(only.txHash) }), 'batch'],
    [
      {
        ...batch,
        proof: { ...batch.proof, leafIndex: batch.proof.leafIndex.map((i) => i ^ 1) },
      },
      'proof',
    ],
    [
      {
        ...batch,
        records: [...batch.records.slice(0, 2).reverse(), ...batch.records.slice(2)],
      },
      'signature',
    ],
    [
      {
        ...batch,
        records: batch.records.map((r, k) =>
          k === 3 ? { ...r, data: { ...r.data, label: 'forged' } } : r,
        ),
      },
      'signature',
    ],
    [
      {
        ...batch,
        records: batch.records.map((r, k) =>
          k === 4 ? { ...r, data: { ...r.data, extra: 1 } } : r,
        ),
      },
      'record',
    ],
    [{ ...batch, records: batch.records.slice(1) }, 'signature'],
  ]
  return cases
}

type Expected = { tampered: string[]; missing: string[]; unrecorded: string[]; touched: number }

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

/** Applies `edits` random edits, each to a different record, by plain SQL; returns what an audit must report. */
async function tamper(
  store: FogStore,
  records: readonly IntegrityRecord[],
  edits: number,
  random: () => number,
): Promise<Expected> {
  const expected: Expected = { tampered: [], missing: [], unrecorded: [], touched: 0 }
  const order = records.map((_, i) => i).sort(() => random() - 0.5)
  const receiptColumns = ['record_hash', 'leaf_index', 'batch_id']
  const intColumns = new Set(['leaf_index'])
  for (let n = 0; n < edits; n++) {
    const record = records[order[n] as number] as IntegrityRecord
    const table = record.table as FogTable
    const ref = `${table}/${HOST}/${record.id}`
    const where = `host_id = ${quote(HOST)} AND id = ${quote(record.id)}`
    const receiptWhere = `table_name = ${quote(table)} AND host_id = ${quote(HOST)} AND record_id = ${quote(record.id)}`
    const columns = Object.entries(FOG_TABLES[table]) as [string, { kind: string }][]
    const kind = Math.floor(random() * 6)
    if (kind === 0 || kind === 1) {
      // change one data column
      const [name, spec] = columns[Math.floor(random() * columns.length)] as [
        string,
        { kind: string },
      ]
      const column = sqlName(name)
      const value = record.data[name]
      const set =
        value === null
          ? spec.kind === 'json'
            ? `'[1]'`
            : spec.kind === 'text'
              ? `'x'`
              : '1'
          : spec.kind === 'text'
            ? `${column} || 'x'`
            : spec.kind === 'json'
              ? `'[0.5]'`
              : spec.kind === 'bool'
                ? `NOT ${column}`
                : `${column} + 1`
      await store.execute(`UPDATE ${table} SET ${column} = ${set} WHERE ${where}`)
      expected.tampered.push(ref)
    } else if (kind === 2) {
      await store.execute(`DELETE FROM ${table} WHERE ${where}`)
      expected.missing.push(ref)
    } else if (kind === 3) {
      const names = ['host_id', 'id', ...columns.map(([name]) => sqlName(name))]
      const select = names.map((c) => (c === 'id' ? `id || '-forged'` : c)).join(', ')
      await store.execute(
        `INSERT INTO ${table} (${names.join(', ')}) SELECT ${select} FROM ${table} WHERE ${where}`,
      )
      expected.unrecorded.push(`${ref}-forged`)
      expected.touched-- // the original row stays intact
    } else if (kind === 4) {
      const column = receiptColumns[Math.floor(random() * receiptColumns.length)] as string
      const set = intColumns.has(column) ? `${column} + 1` : `'0' || ${column}`
      await store.execute(`UPDATE integrity_receipts SET ${column} = ${set} WHERE ${receiptWhere}`)
      expected.tampered.push(ref)
    } else {
      // change the row's id: the recorded row is gone, an unrecorded one appears
      await store.execute(`UPDATE ${table} SET id = id || '-moved' WHERE ${where}`)
      expected.missing.push(ref)
      expected.unrecorded.push(`${ref}-moved`)
    }
    expected.touched++
  }
  return expected
}

/** `fogdb.ingest` with its records as one JSON text (records-json.ts), on one backend. */
export function runRecordsJsonConformance(backend: FogStoreBackend): void {
  describe(`fog database on ${backend.name}, records as JSON text`, () => recordsJsonCases(backend))
}

function recordsJsonCases(backend: FogStoreBackend): void {
  const ledger = createMemoryIntegrityLedger()
  const deps = (store: FogStore): IngestDeps => ({ store, ledger, hostOfKey, nowMs: () => 1_000 })
  async function edgeBatch(count: number) {
    const records = sampleRecords(count, 9_001, 'json')
    return callOf(records, await recordRecords({ ledger, signer: edgeKey, hostId: HOST }, records))
  }
  test('stores a batch whose records come as one JSON text as it stores their objects', async () => {
    const store = await backend.open()
    try {
      const { records, ...call } = await edgeBatch(40)
      const fromText = ingestParametersOf({ ...call, recordsJson: JSON.stringify(records) }, 100)
      expect(await ingestBatch(deps(store), fromText)).toEqual({ stored: 40, records: 40 })
      expect(await ingestBatch(deps(store), { ...call, records })).toEqual({
        stored: 0,
        records: 40,
      })
      const bad = JSON.stringify(records.map((r, i) => (i === 7 ? { ...r, id: 'no spaces' } : r)))
      expect(() => ingestParametersOf({ ...call, recordsJson: bad }, 100)).toThrow(
        expect.objectContaining({
          code: 'FOG_BATCH_REFUSED',
          meta: { index: 7, part: 'record' },
        }),
      )
      expect(await counts(store)).toEqual({ rows: 40, receipts: 40 })
    } finally {
      await store.close()
    }
  })
}

/** Write-once per record id and stored receipts, on one backend. */
export function runWriteOnceConformance(backend: FogStoreBackend): void {
  describe(`fog database on ${backend.name}, write-once ids and stored receipts`, () =>
    writeOnceCases(backend))
}

function writeOnceCases(backend: FogStoreBackend): void {
  const ledger = createMemoryIntegrityLedger({ neighbours: 5 })
  const deps = (store: FogStore): IngestDeps => ({ store, ledger, hostOfKey, nowMs: () => 1_000 })
  let batchNumber = 20_000
  async function edgeBatch(count: number) {
    const records = sampleRecords(count, ++batchNumber, `w${batchNumber}`)
    return callOf(records, await recordRecords({ ledger, signer: edgeKey, hostId: HOST }, records))
  }
  test('refuses whole, storing nothing, a batch that gives a stored record id another hash, and stores the same hash once', async () => {
    const store = await backend.open()
    try {
      const first = await edgeBatch(30)
      await ingestBatch(deps(store), first)
      const fresh = sampleRecords(20, ++batchNumber, `b${batchNumber}`)
      const same = first.records[7] as IntegrityRecord
      const changed = { ...same, data: { ...same.data, cameraId: 'cam-changed' } }
      const calls = [
        [...fresh, changed],
        [...fresh, same],
      ]
      const [conflicting, repeating] = await Promise.all(
        calls.map(async (records) =>
          callOf(records, await recordRecords({ ledger, signer: edgeKey, hostId: HOST }, records)),
        ),
      )
      await expect(ingestBatch(deps(store), conflicting as never)).rejects.toMatchObject({
        code: 'FOG_RECORD_CONFLICT',
        meta: { table: same.table, id: same.id, index: 20 },
      })
      expect(await counts(store)).toEqual({ rows: 30, receipts: 30 })
      expect(await ingestBatch(deps(store), repeating as never)).toEqual({
        stored: 20,
        records: 21,
      })
      expect(await counts(store)).toEqual({ rows: 50, receipts: 50 })
    } finally {
      await store.close()
    }
  })

  test('answers the stored two-level receipt of a record, which verifies against the ledger', async () => {
    const store = await backend.open()
    try {
      const batch = await edgeBatch(40)
      await ingestBatch(deps(store), batch)
      const record = batch.records[17] as IntegrityRecord
      const receipt = await store.receiptOf(HOST, record.table, record.id)
      expect(receipt?.call).toMatchObject({ index: 17, size: 40 })
      const lookup = () => store.receiptOf(HOST, record.table, record.id)
      expect(await verifyRecord(ledger, { record, hostId: HOST }, undefined, lookup)).toMatchObject(
        {
          valid: true,
        },
      )
      expect(await store.receiptOf(HOST, record.table, 'no-such-id')).toBeNull()
    } finally {
      await store.close()
    }
  })
}

/**
 * Split ingest (a fog-verifier's verdict, stored by the fog-db) and the audit shared by host:
 * both must give exactly what the one-worker paths give, on every backend.
 */
export function runSplitConformance(backend: FogStoreBackend): void {
  describe(`split ingest and shared audit on ${backend.name}`, () => {
    const ledger = createMemoryIntegrityLedger({ neighbours: 5 })
    const deps = (store: FogStore): IngestDeps => ({ store, ledger, hostOfKey, nowMs: () => 1_000 })
    let n = 0
    async function edgeBatch(count: number, signer = edgeKey, hostId = HOST) {
      const records = sampleRecords(count, ++n, `split${n}`)
      return callOf(records, await recordRecords({ ledger, signer, hostId }, records))
    }
    const verifiedCall = async (call: EdgeCall) => ({
      batch: call.batch,
      recordsJson: JSON.stringify(call.records),
      proof: call.proof,
      ...(await verifyBatch({ ledger, hostOfKey }, call)),
    })

    test('stores a call a verifier checked once, however often its verdict is delivered', async () => {
      const store = await backend.open()
      try {
        const verified = await verifiedCall(await edgeBatch(500))
        expect(await storeVerifiedCall(store, 1_000, verified)).toEqual({
          stored: 500,
          records: 500,
        })
        expect(await storeVerifiedCall(store, 1_000, verified)).toEqual({
          stored: 0,
          records: 500,
        })
        const { rows, receipts, proofs, calls } = await store.auditMaterial({})
        const report = await auditRows(ledger, rows, receipts, proofs, calls)
        expect({ intact: report.intact, tampered: report.tampered.length }).toEqual({
          intact: 500,
          tampered: 0,
        })
      } finally {
        await store.close()
      }
    })

    test('refuses, storing nothing, a verdict that does not hold a hash and a leaf per record', async () => {
      const store = await backend.open()
      try {
        const verified = await verifiedCall(await edgeBatch(30))
        for (const bad of [
          { ...verified, hashes: verified.hashes.slice(64) },
          { ...verified, leaves: verified.leaves.slice(64) },
          { ...verified, recordsJson: JSON.stringify(JSON.parse(verified.recordsJson).slice(1)) },
        ]) {
          await expect(storeVerifiedCall(store, 1_000, bad)).rejects.toMatchObject({
            code: 'FOG_BATCH_REFUSED',
            meta: { part: 'verdict' },
          })
        }
        expect(await counts(store)).toEqual({ rows: 0, receipts: 0 })
      } finally {
        await store.close()
      }
    })

    /** The audit shared by host as the fog-db runs it: a verifier's share beside its own. */
    async function sharedAudit(store: FogStore) {
      const [own = [], theirs = []] = shareHosts(await store.auditHostRows(), 2)
      const deferring = deferringLedger(ledger)
      const report = auditHosts(deferring.ledger, store, undefined, theirs).then((r) => ({
        ...r,
        assumed: [...deferring.assumed.values()],
      }))
      return auditShared(ledger, store, undefined, own, [{ hostIds: theirs, report }])
    }
    const lists = (r: AuditReport) => ({
      checked: r.checked,
      intact: r.intact,
      tampered: sorted(r.tampered),
      missing: sorted(r.missing),
      unrecorded: sorted(r.unrecorded),
    })

    test('an audit shared by host reports exactly what one audit over every host reports', async () => {
      const store = await backend.open()
      try {
        const mine = [await edgeBatch(800), await edgeBatch(400)]
        const theirs = [await edgeBatch(600, secondKey, 'edge-2')]
        for (const call of [...mine, ...theirs]) await ingestBatch(deps(store), call)
        const expected = await tamper(
          store,
          mine.flatMap((c) => c.records),
          120,
          seededRandom(4242),
        )
        const [gone, changed] = theirs[0]?.records ?? []
        await store.execute(`DELETE FROM ${gone?.table} WHERE id = ${quote(gone?.id ?? '')}`)
        await store.execute(
          `UPDATE ${changed?.table} SET host_id = 'edge-7' WHERE id = ${quote(changed?.id ?? '')}`,
        )
        expect(shareHosts(await store.auditHostRows(), 2)).toEqual([
          ['edge-1'],
          ['edge-2', 'edge-7'],
        ])
        const whole = await auditHosts(ledger, store, undefined, [undefined])
        expect(lists(await sharedAudit(store))).toEqual(lists(whole))
        expect(sorted(whole.tampered)).toEqual(expect.arrayContaining(expected.tampered))
        expect(sorted(whole.missing)).toEqual(
          expect.arrayContaining([`${gone?.table}/edge-2/${gone?.id}`]),
        )
        expect(sorted(whole.unrecorded)).toEqual(
          expect.arrayContaining([`${changed?.table}/edge-7/${changed?.id}`]),
        )
      } finally {
        await store.close()
      }
    }, 60_000)

    test('a shared audit still reports the receipts of a host whose rows and calls were all deleted', async () => {
      const store = await backend.open()
      try {
        const mine = await edgeBatch(200)
        const theirs = await edgeBatch(100, secondKey, 'edge-2')
        for (const call of [mine, theirs]) await ingestBatch(deps(store), call)
        await store.execute(`DELETE FROM integrity_batches WHERE host_id = 'edge-2'`)
        for (const table of new Set(theirs.records.map((r) => r.table))) {
          await store.execute(`DELETE FROM ${table} WHERE host_id = 'edge-2'`)
        }
        const whole = await auditHosts(ledger, store, undefined, [undefined])
        expect(whole.missing).toHaveLength(100)
        expect(lists(await sharedAudit(store))).toEqual(lists(whole))
      } finally {
        await store.close()
      }
    })

    test('a share whose assumed ledger batch does not hold is audited again against the ledger', async () => {
      const store = await backend.open()
      try {
        const mine = await edgeBatch(400)
        const theirs = await edgeBatch(300, secondKey, 'edge-2')
        for (const call of [mine, theirs]) await ingestBatch(deps(store), call)
        // edge-2's stored proof now names another height: its call still rebuilds offline, so
        // only the ledger can refuse it, and the share of edge-2 took it as confirmed.
        await store.execute(
          `UPDATE integrity_proofs SET height = height + 1 WHERE batch_digest = ${quote(theirs.batch.digest)}`,
        )
        const whole = await auditHosts(ledger, store, undefined, [undefined])
        const shared = await sharedAudit(store)
        expect(lists(shared)).toEqual(lists(whole))
        expect(whole.tampered).toHaveLength(300)
        expect(new Set(whole.tampered.map((row) => row.hostId))).toEqual(new Set(['edge-2']))
        expect(whole.intact).toBe(400)
      } finally {
        await store.close()
      }
    })
  })
}
