/**
 * The fog database's conformance suite: ingest, refusal, idempotence, the
 * randomized tampering campaign and restart, run against every backend
 * (fog-store.sqlite.test.ts, fog-store.postgres.test.ts) with one shared
 * in-memory ledger, so SQLite and PostgreSQL must behave identically.
 */
import { describe, expect, test } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import {
  auditRows,
  batchSignerFrom,
  type IntegrityRecord,
  type RecordRecordsResult,
  type RowRef,
  recordRecords,
} from '../integrity/index.ts'
import { createMemoryIntegrityLedger } from '../integrity/testing/index.ts'
import type { FogStore } from './fog-store.ts'
import { FOG_TABLES, type FogTable, sqlName } from './fog-tables.ts'
import { type HostOfKey, type IngestDeps, ingestBatch } from './ingest-batch.ts'
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
const HOST = 'edge-1'

/** The identity actor's answers: edge-1 registered, edge-9 revoked, anyone else unknown (hostId ''). */
async function hostOfKey(publicKey: string): Promise<HostOfKey> {
  if (publicKey === edgeKey.publicKey) return { hostId: HOST, registered: true }
  if (publicKey === revokedKey.publicKey) return { hostId: 'edge-9', registered: false }
  return { hostId: '', registered: false }
}

const entriesOf = (records: readonly IntegrityRecord[], result: RecordRecordsResult) => ({
  batch: result.batch,
  entries: records.map((record, i) => ({
    record,
    receipt: result.receipts[i] as RecordRecordsResult['receipts'][number],
  })),
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
    const ledger = createMemoryIntegrityLedger()
    const deps = (store: FogStore): IngestDeps => ({ store, ledger, hostOfKey, nowMs: () => 1_000 })
    let batchNumber = 0
    async function edgeBatch(count: number, signer = edgeKey, hostId = HOST) {
      const records = sampleRecords(count, ++batchNumber, `b${batchNumber}`)
      const result = await recordRecords({ ledger, signer, hostId }, records)
      return entriesOf(records, result)
    }

    test('stores a verified batch and answers queries by camera and time, and by track', async () => {
      const store = await backend.open()
      try {
        const batch = await edgeBatch(200)
        expect(await ingestBatch(deps(store), batch)).toEqual({ stored: 200, records: 200 })
        const detections = batch.entries.filter(
          (e) => e.record.table === 'detections' && e.record.data.cameraId === 'cam-1',
        )
        const times = detections.map((e) => e.record.data.tsMs as number)
        const found = await store.query({
          table: 'detections',
          cameraId: 'cam-1',
          fromMs: Math.min(...times),
          toMs: Math.max(...times),
        })
        expect(found.map((row) => row.id).sort()).toEqual(detections.map((e) => e.record.id).sort())
        expect(found[0]?.data).toEqual(
          detections.find((e) => e.record.id === found[0]?.id)?.record.data as never,
        )
        const features = await store.query({ table: 'track_features', trackId: 'trk-3' })
        expect(features.every((row) => row.data.trackId === 'trk-3')).toBe(true)
      } finally {
        await store.close()
      }
    })

    test('stores a re-delivered batch once', async () => {
      const store = await backend.open()
      try {
        const batch = await edgeBatch(50)
        await ingestBatch(deps(store), batch)
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
        const batch = await edgeBatch(30)
        const last = batch.entries.length - 1
        const at = (
          i: number,
          change: (e: (typeof batch.entries)[number]) => (typeof batch.entries)[number],
        ) => ({
          ...batch,
          entries: batch.entries.map((e, j) => (j === i ? change(e) : e)),
        })
        const root = batch.entries[last]?.receipt.ledger.batchRoot as string
        const cases: [unknown, string][] = [
          [
            at(last, (e) => ({
              ...e,
              receipt: {
                ...e.receipt,
                ledger: {
                  ...e.receipt.ledger,
                  batchRoot: `${root[0] === '0' ? '1' : '0'}${root.slice(1)}`,
                },
              },
            })),
            'proof',
          ],
          [
            at(last, (e) => ({
              ...e,
              receipt: {
                ...e.receipt,
                ledger: { ...e.receipt.ledger, height: e.receipt.ledger.height + 1 },
              },
            })),
            'height',
          ],
          [
            at(3, (e) => ({
              ...e,
              record: { ...e.record, data: { ...e.record.data, label: 'forged' } },
            })),
            'record',
          ],
          [{ ...batch, entries: batch.entries.slice(1) }, 'signature'],
        ]
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
        const records = batches.flatMap((b) => b.entries.map((e) => e.record))
        const expected = await tamper(
          store,
          records,
          1200,
          seededRandom(backend.name.length * 7919),
        )
        const { rows, receipts } = await store.auditMaterial({})
        const report = await auditRows(ledger, rows, receipts)
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
    })

    test('loses no acknowledged record across a restart of the fog host', async () => {
      let store = await backend.open()
      try {
        const batches = [await edgeBatch(300), await edgeBatch(300)]
        for (const batch of batches) await ingestBatch(deps(store), batch)
        store = await backend.restart(store)
        const { rows, receipts } = await store.auditMaterial({})
        const report = await auditRows(ledger, rows, receipts)
        expect({
          intact: report.intact,
          tampered: report.tampered.length,
          missing: report.missing.length,
          unrecorded: report.unrecorded.length,
        }).toEqual({ intact: 600, tampered: 0, missing: 0, unrecorded: 0 })
      } finally {
        await store.close()
      }
    })
  })
}

type Expected = { tampered: string[]; missing: string[]; unrecorded: string[]; touched: number }

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

/** Receipt columns an edit may change, and the integer ones among them. */
const RECEIPT_COLUMNS = [
  'record_hash',
  'leaf_hash',
  'leaf_index',
  'tree_size',
  'audit_path',
  'batch_root',
  'batch_id',
  'chain_id',
  'height',
  'tx_hash',
]
const INT_COLUMNS = new Set(['leaf_index', 'tree_size', 'height'])

/** One record to edit: its table, reference, row and receipt selectors and data columns. */
type Target = {
  readonly record: IntegrityRecord
  readonly table: FogTable
  readonly ref: string
  readonly where: string
  readonly receiptWhere: string
  readonly columns: readonly [string, { kind: string }][]
}

function targetOf(record: IntegrityRecord): Target {
  const table = record.table as FogTable
  return {
    record,
    table,
    ref: `${table}/${HOST}/${record.id}`,
    where: `host_id = ${quote(HOST)} AND id = ${quote(record.id)}`,
    receiptWhere: `table_name = ${quote(table)} AND host_id = ${quote(HOST)} AND record_id = ${quote(record.id)}`,
    columns: Object.entries(FOG_TABLES[table]) as [string, { kind: string }][],
  }
}

/** Changes one data column of the row. */
async function editDataColumn(store: FogStore, t: Target, random: () => number, e: Expected) {
  const [name, spec] = t.columns[Math.floor(random() * t.columns.length)] as [
    string,
    { kind: string },
  ]
  const column = sqlName(name)
  const value = t.record.data[name]
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
  await store.execute(`UPDATE ${t.table} SET ${column} = ${set} WHERE ${t.where}`)
  e.tampered.push(t.ref)
}

/** Copies the row under a forged id: an unrecorded row appears, the original stays intact. */
async function forgeCopy(store: FogStore, t: Target, e: Expected) {
  const names = ['host_id', 'id', ...t.columns.map(([name]) => sqlName(name))]
  const select = names.map((c) => (c === 'id' ? `id || '-forged'` : c)).join(', ')
  await store.execute(
    `INSERT INTO ${t.table} (${names.join(', ')}) SELECT ${select} FROM ${t.table} WHERE ${t.where}`,
  )
  e.unrecorded.push(`${t.ref}-forged`)
  e.touched--
}

/** Changes one column of the row's stored receipt. */
async function editReceipt(store: FogStore, t: Target, random: () => number, e: Expected) {
  const column = RECEIPT_COLUMNS[Math.floor(random() * RECEIPT_COLUMNS.length)] as string
  const set = INT_COLUMNS.has(column)
    ? `${column} + 1`
    : column === 'audit_path'
      ? `'[]'`
      : `'0' || ${column}`
  await store.execute(`UPDATE integrity_receipts SET ${column} = ${set} WHERE ${t.receiptWhere}`)
  e.tampered.push(t.ref)
}

/** Applies `edits` random edits, each to a different record, by plain SQL; returns what an audit must report. */
async function tamper(
  store: FogStore,
  records: readonly IntegrityRecord[],
  edits: number,
  random: () => number,
): Promise<Expected> {
  const expected: Expected = { tampered: [], missing: [], unrecorded: [], touched: 0 }
  const order = records.map((_, i) => i).sort(() => random() - 0.5)
  for (let n = 0; n < edits; n++) {
    const t = targetOf(records[order[n] as number] as IntegrityRecord)
    const kind = Math.floor(random() * 6)
    if (kind === 0 || kind === 1) await editDataColumn(store, t, random, expected)
    else if (kind === 2) {
      await store.execute(`DELETE FROM ${t.table} WHERE ${t.where}`)
      expected.missing.push(t.ref)
    } else if (kind === 3) await forgeCopy(store, t, expected)
    else if (kind === 4) await editReceipt(store, t, random, expected)
    else {
      // change the row's id: the recorded row is gone, an unrecorded one appears
      await store.execute(`UPDATE ${t.table} SET id = id || '-moved' WHERE ${t.where}`)
      expected.missing.push(t.ref)
      expected.unrecorded.push(`${t.ref}-moved`)
    }
    expected.touched++
  }
  return expected
}
