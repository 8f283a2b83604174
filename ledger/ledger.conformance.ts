/**
 * The behaviour every {@link IntraDomainLedger} must show, whatever carries
 * it: the CometBFT client, the ledger actor seen from inside an actor, the
 * in-memory ledger of unit tests. Each implementation's test calls
 * `runLedgerConformance({ name, create })`; the suite writes only keys under
 * a fresh prefix, so it can share a chain with other tests.
 */
import { describe, expect, test } from 'bun:test'
import { rejectionOf } from '../runtime/testing/index.ts'
import { receiptSchema } from './ledger-schemas.ts'
import { verifyReceipt } from './merkle/verify-receipt.ts'
import type { IntraDomainLedger, LedgerRecord } from './protocol.ts'

export type LedgerConformanceOptions = {
  /** Names the implementation in the test names. */
  readonly name: string
  /** The ledger under test; called once per test (may hand out the same ledger each time). */
  readonly create: () => IntraDomainLedger | Promise<IntraDomainLedger>
  /**
   * Prefix of every key the suite writes, e.g. to stay inside the caller's key namespace
   * (default `conformance/<random uuid>/`).
   */
  readonly keyPrefix?: string | undefined
}

/** Registers the conformance tests of one implementation. */
export function runLedgerConformance(options: LedgerConformanceOptions): void {
  const prefix = options.keyPrefix ?? `conformance/${crypto.randomUUID()}/`
  let next = 0
  const record = (dataHex = 'c0ffee'): LedgerRecord => ({
    kind: 'feature_hash',
    key: `${prefix}${next++}`,
    dataHex,
  })

  describe(`IntraDomainLedger conformance: ${options.name}`, () => {
    test('commits a record and answers with a well-formed receipt for it that verifies offline', async () => {
      const ledger = await options.create()
      const written = record()
      const receipt = await ledger.commit(written)
      expect(receipt.record).toEqual(written)
      expect(receiptSchema.safeParse(receipt).error).toBeUndefined()
      expect(verifyReceipt(receipt)).toEqual({ valid: true })
    })

    test('answers a committed key with the receipt its commit answered', async () => {
      const ledger = await options.create()
      const receipt = await ledger.commit(record())
      expect(await ledger.get(receipt.record.key)).toEqual(receipt)
    })

    test('answers a key never written with null', async () => {
      const ledger = await options.create()
      expect(await ledger.get(`${prefix}never-written`)).toBeNull()
    })

    test('refuses to rewrite a key and keeps the first record', async () => {
      const ledger = await options.create()
      const first = record('01')
      await ledger.commit(first)
      const error = await rejectionOf(ledger.commit({ ...first, dataHex: '02' }))
      expect(error).toBeDefined()
      expect((await ledger.get(first.key))?.record).toEqual(first)
    })

    test('answers concurrent commits each with a receipt for its own record', async () => {
      const ledger = await options.create()
      const records = Array.from({ length: 5 }, (_, i) => record(`0${i}`))
      const receipts = await Promise.all(records.map((each) => ledger.commit(each)))
      expect(receipts.map((receipt) => receipt.record)).toEqual(records)
      expect(receipts.every((receipt) => verifyReceipt(receipt).valid)).toBe(true)
    })

    test('refuses a malformed record without writing it', async () => {
      const ledger = await options.create()
      const malformed = { ...record(), dataHex: 'not hex' }
      expect(await rejectionOf(ledger.commit(malformed))).toBeDefined()
      expect(await ledger.get(malformed.key)).toBeNull()
    })
  })
}
