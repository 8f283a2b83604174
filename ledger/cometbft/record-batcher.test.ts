import { describe, expect, test } from 'bun:test'
import { TestClock } from '../../runtime/index.ts'
import { rejectionOf } from '../../runtime/testing/index.ts'
import { txHashOf } from '../abci/ledger-tx.ts'
import { TX_CODES } from '../abci/tx-codes.ts'
import { decodeRecordPayload } from '../abci/tx-payload.ts'
import {
  LedgerBackpressureError,
  LedgerTxRejectedError,
  LedgerUnavailableError,
} from '../errors.ts'
import { verifyReceipt } from '../merkle/verify-receipt.ts'
import type { LedgerRecord } from '../protocol.ts'
import { RecordBatcher, type RecordBatcherOptions } from './record-batcher.ts'
import type { TxResult } from './tx-confirmer.ts'

function record(key: string, dataHex = 'c0ffee'): LedgerRecord {
  return { kind: 'feature_hash', key, dataHex }
}

/** A confirmer whose transactions wait until the test settles them; `sign` passes payloads through. */
function fakeNetwork() {
  const sent: { payload: Uint8Array; settle(result: Partial<TxResult>): void }[] = []
  const confirmer = {
    get inFlight() {
      return sent.length
    },
    send(tx: Uint8Array): Promise<TxResult> {
      const { promise, resolve } = Promise.withResolvers<TxResult>()
      const txHash = txHashOf(tx)
      const entry = {
        payload: tx,
        settle(result: Partial<TxResult>) {
          sent.splice(sent.indexOf(entry), 1)
          resolve({
            height: 7,
            txHash,
            code: 0,
            log: '',
            data: undefined,
            stage: 'block',
            ...result,
          })
        },
      }
      sent.push(entry)
      return promise
    },
  }
  return { sent, confirmer }
}

function batcherWith(options: Partial<RecordBatcherOptions> = {}) {
  const clock = new TestClock()
  const network = fakeNetwork()
  const batcher = new RecordBatcher({
    clock,
    chainId: 'test-chain',
    sign: (payload) => payload,
    confirmer: network.confirmer,
    batchSize: 100,
    flushIntervalMs: 10,
    maxBatchBytes: 1024 * 1024,
    compress: false,
    maxPendingRecords: 1000,
    maxInFlightTxs: 4,
    ...options,
  })
  return { clock, batcher, ...network }
}

/** Resolves once every queued microtask (the batcher's immediate flushes, settled sends) has run. */
function afterMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** The record keys in a sent batch payload. */
function keysOf(payload: Uint8Array): readonly string[] {
  return decodeRecordPayload(payload).keys
}

describe('RecordBatcher', () => {
  test('sends the records of one flush interval as one batch and answers each with a receipt that verifies', async () => {
    const { clock, batcher, sent } = batcherWith()
    const pending = [batcher.enqueue(record('a')), batcher.enqueue(record('b'))]
    expect(sent).toHaveLength(0)
    clock.advance(10)
    expect(sent.map((tx) => keysOf(tx.payload))).toEqual([['a', 'b']])
    sent[0]?.settle({})
    const receipts = await Promise.all(pending)
    expect(receipts.map((receipt) => [receipt.record.key, receipt.leafIndex])).toEqual([
      ['a', 0],
      ['b', 1],
    ])
    expect(receipts.every((receipt) => verifyReceipt(receipt).valid)).toBe(true)
    expect(receipts[0]?.chainId).toBe('test-chain')
    expect(batcher.stats()).toEqual({
      pendingRecords: 0,
      queuedRecords: 0,
      committedRecords: 2,
      committedTxs: 1,
    })
  })

  test('sends a full batch at once, without waiting for the interval', async () => {
    const { batcher, sent } = batcherWith({ batchSize: 2 })
    void batcher.enqueue(record('a'))
    void batcher.enqueue(record('b'))
    await afterMicrotasks()
    expect(sent.map((tx) => keysOf(tx.payload))).toEqual([['a', 'b']])
  })

  test('splits records into batches under the byte limit', async () => {
    // Each record takes 11 + 1 + 100 bytes in a batch: the third fills the limit.
    const { batcher, sent } = batcherWith({ maxBatchBytes: 250 })
    for (const key of ['a', 'b', 'c']) void batcher.enqueue(record(key, 'ab'.repeat(100)))
    await afterMicrotasks()
    expect(sent.map((tx) => keysOf(tx.payload))).toEqual([['a', 'b'], ['c']])
  })

  test('keeps records queued while the most transactions are in flight', async () => {
    const { batcher, sent } = batcherWith({ batchSize: 1, maxInFlightTxs: 1 })
    const first = batcher.enqueue(record('a'))
    const second = batcher.enqueue(record('b'))
    await afterMicrotasks()
    expect(sent.map((tx) => keysOf(tx.payload))).toEqual([['a']])
    expect(batcher.stats().queuedRecords).toBe(1)
    sent[0]?.settle({})
    await first
    await afterMicrotasks()
    expect(sent.map((tx) => keysOf(tx.payload))).toEqual([['b']])
    sent[0]?.settle({})
    expect((await second).record.key).toBe('b')
  })

  test('refuses records past the pending limit with one shared LEDGER_BACKPRESSURE error', async () => {
    const { batcher } = batcherWith({ maxPendingRecords: 2 })
    void batcher.enqueue(record('a'))
    void batcher.enqueue(record('b'))
    const refused = await Promise.all([
      rejectionOf(batcher.enqueue(record('c'))),
      rejectionOf(batcher.enqueue(record('d'))),
    ])
    expect(LedgerBackpressureError.is(refused[0])).toBe(true)
    expect(refused[1]).toBe(refused[0])
  })

  test('refuses a key that is already being written', async () => {
    const { batcher } = batcherWith()
    void batcher.enqueue(record('a'))
    const error = await rejectionOf(batcher.enqueue(record('a', '01')))
    expect(LedgerTxRejectedError.is(error)).toBe(true)
    expect((error as LedgerTxRejectedError).txCode).toBe(TX_CODES.KEY_EXISTS)
  })

  test('rejects only the records whose keys a block found taken, and sends the others again', async () => {
    const { clock, batcher, sent } = batcherWith()
    const taken = batcher.enqueue(record('taken'))
    const free = batcher.enqueue(record('free'))
    clock.advance(10)
    sent[0]?.settle({
      code: TX_CODES.KEY_EXISTS,
      log: 'key exists',
      data: new TextEncoder().encode(JSON.stringify(['taken'])),
    })
    expect(((await rejectionOf(taken)) as LedgerTxRejectedError).txCode).toBe(TX_CODES.KEY_EXISTS)
    clock.advance(10)
    expect(sent.map((tx) => keysOf(tx.payload))).toEqual([['free']])
    sent[0]?.settle({})
    expect((await free).record.key).toBe('free')
  })

  test('rejects every record of a batch the ledger refused with another code', async () => {
    const { clock, batcher, sent } = batcherWith()
    const pending = [batcher.enqueue(record('a')), batcher.enqueue(record('b'))]
    clock.advance(10)
    sent[0]?.settle({ code: TX_CODES.UNKNOWN_SIGNER, log: 'not enrolled' })
    const errors = await Promise.all(pending.map(rejectionOf))
    expect(errors.map((error) => (error as LedgerTxRejectedError).txCode)).toEqual([
      TX_CODES.UNKNOWN_SIGNER,
      TX_CODES.UNKNOWN_SIGNER,
    ])
  })

  test('rejects queued records when closed, and accepts no more', async () => {
    const { batcher } = batcherWith()
    const queued = batcher.enqueue(record('a'))
    batcher.close(new LedgerUnavailableError('closed'))
    expect(LedgerUnavailableError.is(await rejectionOf(queued))).toBe(true)
    expect(LedgerUnavailableError.is(await rejectionOf(batcher.enqueue(record('b'))))).toBe(true)
  })
})
