import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { ProtocolViolationError } from '../../runtime/actor/errors.ts'
import type { BaseError } from '../../runtime/errors/base-error.ts'
import { type ActorSystem, createActorSystem } from '../../runtime/system/create-actor-system.ts'
import { rejectionOf } from '../../runtime/testing/rejection-of.ts'
import { TX_CODES } from '../abci/tx-codes.ts'
import { LedgerTxRejectedError } from '../errors.ts'
import { type Localnet, startLocalnet } from '../localnet/start-localnet.ts'
import { verifyReceipt } from '../merkle/verify-receipt.ts'
import type { LedgerRecord, Receipt } from '../protocol.ts'

// A real localnet plus a real worker: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(60_000)

const ledgerActor = {
  module: new URL('./cometbft-ledger-actor.ts', import.meta.url).href,
  export: 'cometbftLedgerActor',
}

function record(key: string, dataHex = 'feed'): LedgerRecord {
  return { kind: 'feature_hash', key, dataHex }
}

describe('cometbftLedgerActor in the kernel', () => {
  let net: Localnet
  let system: ActorSystem
  beforeAll(async () => {
    net = await startLocalnet({ validators: 1 })
    system = createActorSystem({ config: { simulateSerialization: true } })
    await system.spawn('ledger', ledgerActor, {
      args: { rpcUrls: net.rpcUrls, signerKeyFile: net.keyFiles.nodes[0], flushIntervalMs: 5 },
    })
  })
  afterAll(async () => {
    await system?.shutdown({ deadlineMs: 2_000 })
    await net?.stop()
  })

  test('commits a record through a worker and answers with a receipt that verifies offline', async () => {
    const receipt = (await system.ask('ledger', 'ledger.commit', record('actor/one'), {
      timeoutMs: 20_000,
    })) as Receipt
    expect(receipt.record).toEqual(record('actor/one'))
    expect(verifyReceipt(receipt)).toEqual({ valid: true })
    expect(await system.ask('ledger', 'ledger.get', { key: 'actor/one' })).toEqual(receipt)
    expect(await system.ask('ledger', 'ledger.verify', receipt)).toEqual({ valid: true })
  })

  test('commits a batch of records under one Merkle root', async () => {
    const records = Array.from({ length: 50 }, (_, i) => record(`actor/batch/${i}`))
    const { receipts } = (await system.ask(
      'ledger',
      'ledger.commit-batch',
      { records },
      { timeoutMs: 20_000 },
    )) as { receipts: Receipt[] }
    expect(receipts).toHaveLength(50)
    expect(new Set(receipts.map((r) => r.batchRoot)).size).toBe(1)
    expect(receipts.every((r) => verifyReceipt(r).valid)).toBe(true)
  })

  test('answers a tampered receipt as invalid', async () => {
    const receipt = (await system.ask('ledger', 'ledger.commit', record('actor/tamper'))) as Receipt
    const verdict = (await system.ask('ledger', 'ledger.verify', {
      ...receipt,
      record: { ...receipt.record, dataHex: '00' },
    })) as { valid: boolean }
    expect(verdict.valid).toBe(false)
  })

  test('carries a ledger rejection across the worker boundary with its code', async () => {
    await system.ask('ledger', 'ledger.commit', record('actor/once'))
    const error = await rejectionOf(
      system.ask('ledger', 'ledger.commit', record('actor/once', 'beef')),
    )
    expect(LedgerTxRejectedError.is(error)).toBe(true)
    expect((error as BaseError).meta?.code).toBe(TX_CODES.KEY_EXISTS)
  })

  test('refuses a malformed record before it reaches the actor', async () => {
    const error = await rejectionOf(
      system.ask('ledger', 'ledger.commit', { kind: 'enf_fingerprint', key: 'x', dataHex: 'XYZ' }),
    )
    expect(ProtocolViolationError.is(error)).toBe(true)
  })
})
