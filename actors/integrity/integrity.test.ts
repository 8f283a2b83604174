import { describe, expect, test } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import type { CompactBatch, Receipt } from '../../ledger/index.ts'
import { BaseError } from '../../runtime/index.ts'
import { sampleRecords } from '../fog-db/testing/index.ts'
import type { AnchorCheck, AnchorChecker } from './anchor-check.ts'
import { auditRows } from './audit-rows.ts'
import { batchDigest } from './batch-digest.ts'
import { receiptsOfCall } from './call-proof.ts'
import { callLedgerKey, leavesHex } from './call-tree.ts'
import { IntegrityBackpressureError, IntegrityRecordInvalidError } from './errors.ts'
import { batchSignerFrom, verifyBatchSignature } from './host-key.ts'
import type { IntegrityReceipt } from './integrity-receipt.ts'
import { recordHash } from './integrity-record.ts'
import { recordRecords } from './record-records.ts'
import { createMemoryIntegrityLedger } from './testing/index.ts'
import { type ReceiptLookup, verifyRecord } from './verify-record.ts'

const signer = batchSignerFrom(generateKeyPairSync('ed25519').privateKey)
const hostId = 'edge-1'

/** Flips one bit of a hex string at nibble `at`. */
function flipHex(text: string, at = 0): string {
  const nibble = (Number.parseInt(text[at] as string, 16) ^ 1).toString(16)
  return (
    text.slice(0, at) +
    (text[at] === text[at]?.toUpperCase() && /[A-F]/.test(text[at] as string)
      ? nibble.toUpperCase()
      : nibble) +
    text.slice(at + 1)
  )
}

describe('recordRecords', () => {
  test('commits one ledger entry per call and answers one two-level receipt per record, in order', async () => {
    const ledger = createMemoryIntegrityLedger()
    const records = sampleRecords(5000)
    const { proof, batch, callRoot } = await recordRecords({ ledger, signer, hostId }, records)
    const receipts = receiptsOfCall(hostId, records, proof)
    expect(receipts).toHaveLength(5000)
    expect(proof.batches).toHaveLength(1)
    receipts.forEach((receipt, i) => {
      const record = records[i] as (typeof records)[number]
      expect(receipt.recordHash).toBe(recordHash(record, hostId))
      expect(receipt.call).toMatchObject({ root: callRoot, index: i, size: 5000 })
      expect(receipt.ledger.record).toEqual({
        kind: 'feature_hash',
        key: callLedgerKey(hostId, callRoot),
        dataHex: callRoot,
      })
    })
    const digest = batchDigest(
      hostId,
      receipts.map((r) => r.recordHash),
    )
    expect(batch.digest).toBe(Buffer.from(digest).toString('hex'))
    expect(verifyBatchSignature(batch.hostPublicKey, digest, batch.signature)).toBe(true)
    expect(ledger.calls.commit).toBe(1)
  })

  test('hashes the same record to the same bytes whatever the order of its columns', () => {
    const [record] = sampleRecords(1)
    if (!record) throw new Error('no record')
    const reordered = { ...record, data: Object.fromEntries(Object.entries(record.data).reverse()) }
    expect(recordHash(reordered, hostId)).toBe(recordHash(record, hostId))
    expect(recordHash(record, 'edge-2')).not.toBe(recordHash(record, hostId))
  })

  test('refuses a call naming one record twice, or a value JSON cannot hold, before committing anything', async () => {
    const ledger = createMemoryIntegrityLedger()
    const [a] = sampleRecords(1)
    if (!a) throw new Error('no record')
    await expect(recordRecords({ ledger, signer, hostId }, [a, a])).rejects.toThrow(
      IntegrityRecordInvalidError,
    )
    const bad = { ...a, id: 'nan', data: { ...a.data, confidence: Number.NaN } }
    await expect(recordRecords({ ledger, signer, hostId }, [bad])).rejects.toThrow(
      IntegrityRecordInvalidError,
    )
    expect(ledger.calls.commit).toBe(0)
  })

  test('answers INTEGRITY_BACKPRESSURE, acknowledging nothing, when the ledger is behind', async () => {
    const ledger = {
      ...createMemoryIntegrityLedger(),
      commitBatch: () => Promise.reject(new BaseError('LEDGER_BACKPRESSURE', 'full').toWire()),
    }
    await expect(recordRecords({ ledger, signer, hostId }, sampleRecords(3))).rejects.toThrow(
      IntegrityBackpressureError,
    )
  })
})

describe('verifyRecord', () => {
  async function recorded() {
    const ledger = createMemoryIntegrityLedger({ neighbours: 6 })
    const records = sampleRecords(13)
    const { proof } = await recordRecords({ ledger, signer, hostId }, records)
    const receipts = receiptsOfCall(hostId, records, proof)
    const lookup: ReceiptLookup = async (host, table, id) => {
      const at = records.findIndex((r) => host === hostId && r.table === table && r.id === id)
      return receipts[at] ?? null
    }
    return {
      ledger,
      lookup,
      record: records[5] as (typeof records)[number],
      receipt: receipts[5] as IntegrityReceipt,
    }
  }

  test('accepts an intact record with its receipt, and without one where a receipt is stored', async () => {
    const { ledger, lookup, record, receipt } = await recorded()
    expect((await verifyRecord(ledger, { record, hostId, receipt })).valid).toBe(true)
    expect((await verifyRecord(ledger, { record, hostId }, undefined, lookup)).valid).toBe(true)
    expect((await verifyRecord(ledger, { record, hostId })).part).toBe('ledger')
  })

  test('names the record when a column changed', async () => {
    const { ledger, record, receipt } = await recorded()
    const changed = { ...record, data: { ...record.data, cameraId: 'cam-x' } }
    expect((await verifyRecord(ledger, { record: changed, hostId, receipt })).part).toBe('record')
  })

  test('names the call path, ledger proof, root or height when one bit of it is flipped', async () => {
    const { ledger, record, receipt } = await recorded()
    const l = receipt.ledger
    const c = receipt.call
    const withLedger = (ledgerReceipt: Receipt): IntegrityReceipt => ({
      ...receipt,
      ledger: ledgerReceipt,
    })
    const withCall = (call: Partial<IntegrityReceipt['call']>): IntegrityReceipt => ({
      ...receipt,
      call: { ...c, ...call },
    })
    const flipped: [string, IntegrityReceipt][] = [
      ['call', withCall({ path: [flipHex(c.path[0] as string, 7), ...c.path.slice(1)] })],
      ['call', withCall({ index: c.index ^ 1 })],
      ['call', withCall({ root: flipHex(c.root, 20) })],
      ['record', { ...receipt, recordHash: flipHex(receipt.recordHash, 2) }],
      ['key', withLedger({ ...l, record: { ...l.record, dataHex: flipHex(l.record.dataHex, 9) } })],
      [
        'proof',
        withLedger({
          ...l,
          auditPath: [flipHex(l.auditPath[0] as string, 7), ...l.auditPath.slice(1)],
        }),
      ],
      ['proof', withLedger({ ...l, leafIndex: l.leafIndex ^ 1 })],
      ['root', withLedger({ ...l, batchRoot: flipHex(l.batchRoot, 63) })],
      ['height', withLedger({ ...l, height: l.height ^ 2 })],
      ['leaf', withLedger({ ...l, leafHash: flipHex(l.leafHash, 10) })],
      ['batch', withLedger({ ...l, txHash: flipHex(l.txHash, 3) })],
    ]
    for (const [part, bad] of flipped) {
      const result = await verifyRecord(ledger, { record, hostId, receipt: bad })
      expect({ part: result.part, valid: result.valid }).toEqual({
        part: part as never,
        valid: false,
      })
    }
  })

  test('checks the Ethereum anchor where the batch root is anchored, naming it when it fails', async () => {
    const { ledger, lookup, record, receipt } = await recorded()
    const anchors = (answer: AnchorCheck): AnchorChecker & { seen: Receipt[] } => {
      const seen: Receipt[] = []
      return {
        seen,
        check: async (r) => {
          seen.push(r)
          return answer
        },
      }
    }
    const holding = anchors({ anchored: true, valid: true, block: 42, at: 1 })
    expect(await verifyRecord(ledger, { record, hostId, receipt }, holding)).toMatchObject({
      valid: true,
      anchor: 'verified',
      anchoredAtBlock: 42,
    })
    expect(holding.seen).toEqual([receipt.ledger])
    const pending = anchors({ anchored: false })
    expect(await verifyRecord(ledger, { record, hostId }, pending, lookup)).toMatchObject({
      valid: true,
      anchor: 'not-anchored',
    })
    const wrong = anchors({ anchored: true, valid: false, reason: 'batchRoot differs' })
    expect(await verifyRecord(ledger, { record, hostId, receipt }, wrong)).toMatchObject({
      valid: false,
      part: 'anchor',
    })
    // A receipt that already fails against the intra-domain ledger never reaches Ethereum.
    const unused = anchors({ anchored: true, valid: true, block: 1, at: 1 })
    const bad = {
      ...receipt,
      ledger: { ...receipt.ledger, batchRoot: flipHex(receipt.ledger.batchRoot, 1) },
    }
    expect((await verifyRecord(ledger, { record, hostId, receipt: bad }, unused)).part).toBe('root')
    expect(unused.seen).toEqual([])
  })

  test('names the ledger when nothing was committed under the call’s key', async () => {
    const { record, receipt } = await recorded()
    const empty = createMemoryIntegrityLedger()
    expect((await verifyRecord(empty, { record, hostId, receipt })).part).toBe('ledger')
  })
})

describe('auditRows', () => {
  async function stored(count: number) {
    const ledger = createMemoryIntegrityLedger({ neighbours: 3 })
    const records = sampleRecords(count)
    const { proof, batch, check } = await recordRecords({ ledger, signer, hostId }, records)
    const rows = records.map((r) => ({ ...r, hostId }))
    const receipts = records.map((r, i) => ({
      table: r.table,
      hostId,
      id: r.id,
      recordHash: recordHash(r, hostId),
      batchDigest: batch.digest,
      batchId: proof.batches[0]?.batchId as string,
      leafIndex: i,
    }))
    const proofs = [
      {
        batchDigest: batch.digest,
        batch: proof.batches[0] as CompactBatch,
        leafIndex: proof.leafIndex[0] as number,
      },
    ]
    const calls = [
      {
        digest: batch.digest,
        hostId,
        callRoot: check.callRoot,
        leaves: leavesHex(check.tree),
        size: count,
      },
    ]
    return { ledger, rows, receipts, proofs, calls }
  }

  test('confirms each call’s ledger batch once, not each row', async () => {
    const { ledger, rows, receipts, proofs, calls } = await stored(5000)
    const before = { get: ledger.calls.get, verify: ledger.calls.verify }
    const report = await auditRows(ledger, rows, receipts, proofs, calls)
    expect({
      intact: report.intact,
      tampered: report.tampered.length,
      missing: report.missing.length,
      unrecorded: report.unrecorded.length,
      damaged: report.damagedProofs.length,
    }).toEqual({ intact: 5000, tampered: 0, missing: 0, unrecorded: 0, damaged: 0 })
    expect({
      get: ledger.calls.get - before.get,
      verify: ledger.calls.verify - before.verify,
    }).toEqual({ get: 0, verify: 1 })
  })

  test('names the row whose stored hash, place or batch changed, and only that row', async () => {
    const { ledger, rows, receipts, proofs, calls } = await stored(300)
    const changed = receipts.map((r, i) =>
      i === 10
        ? { ...r, recordHash: flipHex(r.recordHash, 5) }
        : i === 20
          ? { ...r, leafIndex: r.leafIndex + 1 }
          : i === 30
            ? { ...r, batchId: flipHex(r.batchId, 0) }
            : r,
    )
    const report = await auditRows(ledger, rows, changed, proofs, calls)
    expect(report.tampered.map((t) => [t.id, t.part])).toEqual([
      [rows[10]?.id as string, 'record'],
      [rows[20]?.id as string, 'call'],
      [rows[30]?.id as string, 'batch'],
    ])
    expect(report.intact).toBe(297)
  })

  test('reports a damaged proof, not its rows, when only the stored proof or call root changed', async () => {
    const { ledger, rows, receipts, proofs, calls } = await stored(300)
    const [first] = proofs as [(typeof proofs)[number]]
    const [call] = calls as [(typeof calls)[number]]
    const damaged = [
      { ...first, batch: { ...first.batch, batchRoot: flipHex(first.batch.batchRoot, 0) } },
    ]
    for (const [p, c] of [
      [damaged, calls],
      [proofs, [{ ...call, callRoot: flipHex(call.callRoot, 4) }]],
    ] as const) {
      const report = await auditRows(ledger, rows, receipts, p, c)
      expect({ intact: report.intact, tampered: report.tampered.length }).toEqual({
        intact: 300,
        tampered: 0,
      })
      expect(report.damagedProofs).toEqual([
        { batchDigest: first.batchDigest, batchId: first.batch.batchId },
      ])
    }
  })
})
