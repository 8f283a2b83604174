import { Database } from 'bun:sqlite'
import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types'
import { toHex } from '../encoding/hex.ts'
import { verifyReceipt } from '../merkle/verify-receipt.ts'
import type { LedgerRecord, Receipt } from '../protocol.ts'
import { AppStore } from './app-store.ts'
import { LedgerApp } from './ledger-app.ts'
import { encodeLedgerTx, txHashOf } from './ledger-tx.ts'
import { QUERY_PATHS } from './query-paths.ts'
import { generateSignerKey, type SignerKey } from './signer-key.ts'
import { TX_CODES, TX_OUTCOME_EVENT } from './tx-codes.ts'
import { encodeEnrollment, encodeRecordBatch } from './tx-payload.ts'

const CHAIN = 'vigil-test'
const admin = generateSignerKey()
const node = generateSignerKey()
const stranger = generateSignerKey()
let nonce = 1n

function genesis(maxTxBytes = 64 * 1024) {
  return RequestInitChain.fromPartial({
    chainId: CHAIN,
    appStateBytes: new TextEncoder().encode(
      JSON.stringify({
        signers: [
          { publicKeyHex: admin.publicKeyHex, role: 'admin', name: 'admin' },
          { publicKeyHex: node.publicKeyHex, role: 'node', name: 'edge-1' },
        ],
        maxTxBytes,
        maxRecordsPerTx: 100,
      }),
    ),
  })
}

function recordsTx(
  key: SignerKey,
  records: LedgerRecord[],
  options: { nonce?: bigint; unsigned?: boolean; chainId?: string } = {},
) {
  return encodeLedgerTx({
    chainId: options.chainId ?? CHAIN,
    key,
    nonce: options.nonce ?? nonce++,
    payload: encodeRecordBatch(records).payload,
    unsigned: options.unsigned,
  })
}

function record(i: number, prefix = 'enf'): LedgerRecord {
  return {
    kind: 'enf_fingerprint',
    key: `${prefix}/${i}`,
    dataHex: (i + 256).toString(16).padStart(4, '0'),
  }
}

const dirs: string[] = []
function freshApp(file = ':memory:'): { app: LedgerApp; store: AppStore } {
  const store = new AppStore(file)
  return { app: new LedgerApp(store), store }
}
function block(height: number, txs: Uint8Array[]): RequestFinalizeBlock {
  return { txs, height: BigInt(height) } as RequestFinalizeBlock
}
function queryJson<T>(app: LedgerApp, path: string, data: string): T | null {
  const answer = app.query({ path, data: new TextEncoder().encode(data), height: 0n, prove: false })
  if (answer.code !== 0) return null
  return JSON.parse(new TextDecoder().decode(answer.value)) as T
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('LedgerApp', () => {
  test('derives the same app hash from the same blocks on independent instances', () => {
    const txs = [recordsTx(node, [record(1), record(2), record(3)]), recordsTx(node, [record(4)])]
    const hashes = [freshApp(), freshApp()].map(({ app }) => {
      app.initChain(genesis())
      const first = app.finalizeBlock(block(1, txs))
      app.commit()
      const second = app.finalizeBlock(block(2, []))
      app.commit()
      return [toHex(first.appHash), toHex(second.appHash)]
    })
    expect(hashes[0]).toEqual(hashes[1] as string[])
    // An empty block keeps the hash, so create_empty_blocks=false networks go quiet.
    expect(hashes[0]?.[0]).toBe(hashes[0]?.[1] as string)
  })

  test('derives a different app hash from different transactions', () => {
    const a = freshApp().app
    const b = freshApp().app
    a.initChain(genesis())
    b.initChain(genesis())
    const ha = a.finalizeBlock(block(1, [recordsTx(node, [record(1)])])).appHash
    const hb = b.finalizeBlock(block(1, [recordsTx(node, [record(2)])])).appHash
    expect(toHex(ha)).not.toBe(toHex(hb))
  })

  test('rejects unsigned, unknown-signer, bad-signature, malformed, oversized and duplicate transactions with distinct codes', () => {
    const { app } = freshApp()
    app.initChain(genesis(4096))
    const check = (tx: Uint8Array) => app.checkTx({ tx, type: 0 })
    expect(check(recordsTx(node, [record(1)], { unsigned: true })).code).toBe(TX_CODES.UNSIGNED)
    expect(check(recordsTx(stranger, [record(1)])).code).toBe(TX_CODES.UNKNOWN_SIGNER)
    expect(check(recordsTx(node, [record(1)], { chainId: 'other-chain' })).code).toBe(
      TX_CODES.BAD_SIGNATURE,
    )
    const tampered = recordsTx(node, [record(1)])
    tampered[tampered.length - 65] = (tampered[tampered.length - 65] as number) ^ 1
    expect(check(tampered).code).toBe(TX_CODES.BAD_SIGNATURE)
    expect(check(new TextEncoder().encode('{"not":"a tx"}')).code).toBe(TX_CODES.MALFORMED)
    const big = Array.from({ length: 50 }, (_, i) => ({ ...record(i), dataHex: 'ab'.repeat(100) }))
    const oversized = check(recordsTx(node, big))
    expect(oversized.code).toBe(TX_CODES.OVERSIZED)
    expect(oversized.log).toContain('at most 4096')
    const accepted = recordsTx(node, [record(1)], { nonce: 777n })
    expect(check(accepted).code).toBe(TX_CODES.OK)
    const replay = check(recordsTx(node, [record(2)], { nonce: 777n }))
    expect(replay.code).toBe(TX_CODES.DUPLICATE)
    app.finalizeBlock(block(1, [accepted]))
    app.commit()
    expect(check(accepted).code).toBe(TX_CODES.DUPLICATE)
    const rewrite = check(recordsTx(node, [record(1)]))
    expect(rewrite.code).toBe(TX_CODES.KEY_EXISTS)
    expect(JSON.parse(new TextDecoder().decode(rewrite.data))).toEqual(['enf/1'])
    const enrollByNode = encodeLedgerTx({
      chainId: CHAIN,
      key: node,
      nonce: nonce++,
      payload: encodeEnrollment(stranger.publicKey, 'node', 'x'),
    })
    expect(check(enrollByNode).code).toBe(TX_CODES.UNAUTHORIZED)
  })

  test('keeps records append-only across blocks and answers a rewrite with a non-zero tx result', () => {
    const { app } = freshApp()
    app.initChain(genesis())
    app.finalizeBlock(block(1, [recordsTx(node, [record(1)])]))
    app.commit()
    const again = app.finalizeBlock(
      block(2, [
        recordsTx(node, [{ ...record(1), dataHex: 'ffff' }]),
        recordsTx(node, [record(2), record(2)]),
      ]),
    )
    expect(again.txResults?.map((r) => r.code)).toEqual([TX_CODES.KEY_EXISTS, TX_CODES.BAD_BATCH])
    app.commit()
    expect(queryJson<Receipt>(app, QUERY_PATHS.record, 'enf/1')?.record.dataHex).toBe(
      record(1).dataHex,
    )
  })

  test('enrolls a host key by an admin transaction, after which the host may write', () => {
    const { app } = freshApp()
    app.initChain(genesis())
    const enroll = encodeLedgerTx({
      chainId: CHAIN,
      key: admin,
      nonce: nonce++,
      payload: encodeEnrollment(stranger.publicKey, 'node', 'edge-9'),
    })
    expect(app.checkTx({ tx: enroll, type: 0 }).code).toBe(TX_CODES.OK)
    const results = app.finalizeBlock(block(1, [enroll, recordsTx(stranger, [record(9)])]))
    expect(results.txResults?.map((r) => r.code)).toEqual([0, 0])
    app.commit()
    expect(queryJson(app, QUERY_PATHS.signer, stranger.publicKeyHex)).toEqual({
      publicKeyHex: stranger.publicKeyHex,
      role: 'node',
      name: 'edge-9',
      height: 1,
    })
  })

  test('answers record queries with receipts that verify', () => {
    const { app } = freshApp()
    app.initChain(genesis())
    const records = Array.from({ length: 7 }, (_, i) => record(i, 'feat'))
    app.finalizeBlock(block(1, [recordsTx(node, records)]))
    app.commit()
    for (const r of records) {
      const receipt = queryJson<Receipt>(app, QUERY_PATHS.record, r.key)
      expect(receipt?.record).toEqual(r)
      expect(verifyReceipt(receipt as Receipt)).toEqual({ valid: true })
      expect(receipt?.height).toBe(1)
    }
    expect(queryJson(app, QUERY_PATHS.record, 'missing')).toBeNull()
    const batch = queryJson<{ size: number; leafHashes: string[] }>(
      app,
      QUERY_PATHS.batch,
      (queryJson<Receipt>(app, QUERY_PATHS.record, 'feat/0') as Receipt).batchId,
    )
    expect(batch?.size).toBe(7)
    expect(batch?.leafHashes).toHaveLength(7)
    const header = queryJson<Record<string, unknown>>(
      app,
      QUERY_PATHS.batchHeader,
      (queryJson<Receipt>(app, QUERY_PATHS.record, 'feat/0') as Receipt).batchId,
    )
    const { leafHashes: _leaves, ...rest } = batch as Record<string, unknown>
    expect(header).toEqual(rest)
    expect(header).not.toHaveProperty('leafHashes')
  })

  test('reports the last committed height and app hash after a restart on the same database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-app-'))
    dirs.push(dir)
    const file = join(dir, 'app.sqlite')
    const first = freshApp(file)
    first.app.initChain(genesis())
    first.app.finalizeBlock(block(1, [recordsTx(node, [record(1)])]))
    first.app.commit()
    const { appHash } = first.app.finalizeBlock(block(2, [recordsTx(node, [record(2)])]))
    first.app.commit()
    // A block finalized but never committed is lost, as after a crash; CometBFT replays it.
    first.app.finalizeBlock(block(3, [recordsTx(node, [record(3)])]))
    first.store.close()
    const second = freshApp(file)
    const info = second.app.info()
    expect(info.lastBlockHeight).toBe(2n)
    expect(toHex(info.lastBlockAppHash)).toBe(toHex(appHash))
    expect(queryJson<Receipt>(second.app, QUERY_PATHS.record, 'enf/2')?.height).toBe(2)
    expect(queryJson(second.app, QUERY_PATHS.record, 'enf/3')).toBeNull()
    second.store.close()
  })

  test('commits a zstd batch under the same root as the plain batch, with receipts that verify', () => {
    const { app } = freshApp()
    app.initChain(genesis())
    const records = Array.from({ length: 60 }, (_, i) => record(i, 'zstd/cam-1/frame'))
    const plain = encodeRecordBatch(records)
    const packed = encodeRecordBatch(records, { compress: true })
    expect(packed.payload[0]).toBe(3)
    expect(packed.payload.length).toBeLessThan(plain.payload.length)
    expect(toHex(packed.root)).toBe(toHex(plain.root))
    const tx = encodeLedgerTx({
      chainId: CHAIN,
      key: node,
      nonce: nonce++,
      payload: packed.payload,
    })
    expect(app.checkTx({ tx, type: 0 }).code).toBe(TX_CODES.OK)
    const { txResults } = app.finalizeBlock(block(1, [tx]))
    expect(txResults[0]?.code).toBe(TX_CODES.OK)
    app.commit()
    for (const r of records) {
      const receipt = queryJson<Receipt>(app, QUERY_PATHS.record, r.key) as Receipt
      expect(receipt.record).toEqual(r)
      expect(receipt.batchRoot).toBe(toHex(plain.root))
      expect(verifyReceipt(receipt)).toEqual({ valid: true })
    }
  })

  test('refuses zstd batches that declare too much, do not decompress or decompress to another length as malformed', () => {
    const { app } = freshApp()
    app.initChain(genesis())
    const zstd = (declared: number, frame: Uint8Array) => {
      const payload = new Uint8Array(5 + frame.length)
      payload[0] = 3
      new DataView(payload.buffer).setUint32(1, declared)
      payload.set(frame, 5)
      return encodeLedgerTx({ chainId: CHAIN, key: node, nonce: nonce++, payload })
    }
    const inner = encodeRecordBatch([record(1, 'bomb')]).payload
    // A bomb: 64 MiB of zeros compress to a few KiB; the 64 KiB genesis limit allows 256 KiB.
    const bomb = Bun.zstdCompressSync(new Uint8Array(64 * 1024 * 1024), { level: 1 })
    const cases = [
      zstd(64 * 1024 * 1024, bomb),
      zstd(200 * 1024, bomb),
      zstd(inner.length, new Uint8Array([1, 2, 3, 4, 5, 6, 7])),
      zstd(inner.length + 1, Bun.zstdCompressSync(inner)),
      zstd(3, Bun.zstdCompressSync(new Uint8Array([3, 0, 0]))),
    ]
    const logs = cases.map((tx) => {
      const answer = app.checkTx({ tx, type: 0 })
      expect(answer.code).toBe(TX_CODES.MALFORMED)
      return answer.log
    })
    expect(logs[0]).toContain('at most 262144 are allowed')
    expect(logs[1]).toContain('does not decompress')
    expect(logs[2]).toContain('does not decompress')
    expect(logs[4]).toContain('does not hold a plain record batch')
    // Nothing of them reached state: the same key still commits.
    const { txResults } = app.finalizeBlock(block(1, [recordsTx(node, [record(1, 'bomb')])]))
    expect(txResults[0]?.code).toBe(TX_CODES.OK)
  })

  test('emits one block event per transaction with its hash and result code', () => {
    const { app } = freshApp()
    app.initChain(genesis())
    const good = recordsTx(node, [record(1, 'ev')])
    const bad = recordsTx(stranger, [record(2, 'ev')])
    const answer = app.finalizeBlock(block(1, [good, bad]))
    const outcomes = answer.events.map((event) => {
      expect(event.type).toBe(TX_OUTCOME_EVENT)
      return Object.fromEntries(event.attributes.map((a) => [a.key, a.value]))
    })
    expect(outcomes).toEqual([
      { hash: txHashOf(good), code: String(TX_CODES.OK) },
      { hash: txHashOf(bad), code: String(TX_CODES.UNKNOWN_SIGNER) },
    ])
  })

  test('refuses a database of the older layout and says to delete it for a replay', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-app-'))
    dirs.push(dir)
    const file = join(dir, 'old.sqlite')
    const old = new Database(file, { create: true })
    old.run('CREATE TABLE records (key TEXT PRIMARY KEY)')
    old.close()
    expect(() => new AppStore(file)).toThrow(/older ledger layout.*delete it.*replays/)
  })

  test('keeps non-ASCII record keys intact and refuses keys that are not UTF-8 as malformed', () => {
    const { app } = freshApp()
    app.initChain(genesis())
    const unicode: LedgerRecord = {
      kind: 'feature_hash',
      key: 'zone/Ünter-straße/кам-1/0',
      dataHex: 'ab',
    }
    const { txResults } = app.finalizeBlock(block(1, [recordsTx(node, [unicode, record(1)])]))
    expect(txResults[0]?.code).toBe(TX_CODES.OK)
    app.commit()
    expect(queryJson<Receipt>(app, QUERY_PATHS.record, unicode.key)?.record).toEqual(unicode)
    // Same length as 'enf/x', but 0xff is never valid UTF-8.
    const payload = encodeRecordBatch([record(9, 'enf/x')]).payload
    const at = Buffer.from(payload).indexOf(Buffer.from('enf/x'))
    payload[at + 4] = 0xff
    const bad = encodeLedgerTx({ chainId: CHAIN, key: node, nonce: nonce++, payload })
    const answer = app.checkTx({ tx: bad, type: 0 })
    expect(answer.code).toBe(TX_CODES.MALFORMED)
    expect(answer.log).toContain('not valid UTF-8')
  })

  test('refuses in a block a tx whose key another block committed after its CheckTx', () => {
    const { app } = freshApp()
    app.initChain(genesis())
    app.finalizeBlock(block(1, [recordsTx(node, [record(0, 'race')])]))
    app.commit()
    const late = recordsTx(node, [record(1, 'race')])
    expect(app.checkTx({ tx: late, type: 0 }).code).toBe(TX_CODES.OK)
    // Another proposer's block commits the same key first (a tx this node never checked).
    app.finalizeBlock(block(2, [recordsTx(admin, [record(1, 'race')])]))
    app.commit()
    const fresh = recordsTx(node, [record(2, 'race')])
    expect(app.checkTx({ tx: fresh, type: 0 }).code).toBe(TX_CODES.OK)
    const { txResults } = app.finalizeBlock(block(3, [late, fresh]))
    expect(txResults.map((result) => result.code)).toEqual([TX_CODES.KEY_EXISTS, TX_CODES.OK])
  })

  test('admits two pending txs writing one key and lets their block commit the first, refusing the second', () => {
    const { app } = freshApp()
    app.initChain(genesis())
    const first = recordsTx(node, [record(1, 'twice'), record(2, 'twice')])
    const second = recordsTx(admin, [record(2, 'twice'), record(3, 'twice')])
    expect(app.checkTx({ tx: first, type: 0 }).code).toBe(TX_CODES.OK)
    expect(app.checkTx({ tx: second, type: 0 }).code).toBe(TX_CODES.OK)
    const { txResults } = app.finalizeBlock(block(1, [first, second]))
    expect(txResults.map((result) => result.code)).toEqual([TX_CODES.OK, TX_CODES.KEY_EXISTS])
    expect(JSON.parse(new TextDecoder().decode(txResults[1]?.data))).toEqual(['twice/2'])
    app.commit()
    expect(queryJson(app, QUERY_PATHS.record, 'twice/3')).toBeNull()
    // Once committed, the key is refused at CheckTx already.
    const third = recordsTx(admin, [record(2, 'twice')])
    expect(app.checkTx({ tx: third, type: 0 }).code).toBe(TX_CODES.KEY_EXISTS)
  })
})
