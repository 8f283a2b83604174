import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActorContext, BaseError } from '../../runtime/index.ts'
import {
  type ActorSystem,
  createActorSystem,
  generateHostKey,
  ProtocolViolationError,
  systemClock,
  writeHostKey,
} from '../../runtime/index.ts'
import { rejectionOf } from '../../runtime/testing/index.ts'
import { TX_CODES } from '../abci/tx-codes.ts'
import { LedgerTxRejectedError } from '../errors.ts'
import { type Localnet, startLocalnet } from '../localnet/start-localnet.ts'
import {
  type BatchNodes,
  batchLeaves,
  expandCompactReceipts,
  rebuildBatch,
} from '../merkle/compact-receipts.ts'
import { verifyReceipt } from '../merkle/verify-receipt.ts'
import type { LedgerRecord, Receipt } from '../protocol.ts'
import { createCometbftLedger } from './cometbft-ledger.ts'
import { cometbftLedgerActor } from './cometbft-ledger-actor.ts'
import { AccessNamespaceError, type NamespaceCaller } from './record-namespace.ts'

// A real localnet plus a real worker: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(60_000)

const ledgerActor = {
  module: new URL('./cometbft-ledger-actor.ts', import.meta.url).href,
  export: 'cometbftLedgerActor',
}

const USER = `0x${'ab'.repeat(20)}`

function record(key: string, dataHex = 'feed'): LedgerRecord {
  return { kind: 'feature_hash', key, dataHex }
}

/** A handler context carrying `caller`, as the runtime gives one (context.caller). */
function contextAs(caller: NamespaceCaller | undefined): ActorContext {
  return {
    self: 'ledger',
    clock: systemClock,
    log() {},
    ask: () => Promise.reject(new Error('the ledger actor asks no one')),
    tell() {},
    caller,
  } as ActorContext
}

let net: Localnet
let dir: string
let hostPublicKeyHex: string

beforeAll(async () => {
  net = await startLocalnet({ validators: 1 })
  dir = await mkdtemp(join(tmpdir(), 'vigil-ledger-actor-'))
  // The fog host's own key (as `vigil start` creates it), enrolled by the ledger's admin.
  const hostKey = generateHostKey()
  await writeHostKey(join(dir, 'fog-1.pem'), hostKey)
  hostPublicKeyHex = Buffer.from(hostKey.publicKeyBase64, 'base64').toString('hex')
  const admin = await createCometbftLedger({ rpcUrls: net.rpcUrls, signer: net.adminKey })
  try {
    await admin.enroll(hostPublicKeyHex, 'node', 'fog-1')
  } finally {
    await admin.close()
  }
})

afterAll(async () => {
  await net?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('cometbftLedgerActor handlers', () => {
  type State = Awaited<ReturnType<typeof cometbftLedgerActor.init>>
  let state: State
  const receive = cometbftLedgerActor.receive
  const host = contextAs({ id: 'host:edge-1' })
  beforeAll(async () => {
    state = await cometbftLedgerActor.init(
      { rpcUrls: [...net.rpcUrls], signerKeyFile: join(dir, 'fog-1.pem'), flushIntervalMs: 5 },
      host,
    )
  })
  afterAll(async () => {
    await cometbftLedgerActor.terminate?.(state, host)
  })

  test('signs its transactions with its host’s own enrolled key', async () => {
    const receipt = await receive['ledger.commit'](record('enf:edge-1/own-key'), state, host)
    const batch = await state.ledger.batch(receipt.batchId)
    expect(batch?.signer).toBe(hostPublicKeyHex)
    expect(verifyReceipt(receipt)).toEqual({ valid: true })
  })

  test('commits under the caller’s own namespace: a host’s id or a user’s address', async () => {
    const hostReceipt = await receive['ledger.commit'](record('enf:edge-1/cam-1:1'), state, host)
    expect(hostReceipt.record.key).toBe('enf:edge-1/cam-1:1')
    const user = contextAs({ id: USER })
    const userReceipt = await receive['ledger.commit'](
      record(`feature:${USER}/note-1`),
      state,
      user,
    )
    expect(await receive['ledger.get']({ key: `feature:${USER}/note-1` }, state, user)).toEqual(
      userReceipt,
    )
  })

  test('refuses keys of another principal’s namespace, unowned shapes and callers without a namespace', async () => {
    const refusals: [NamespaceCaller | undefined, string][] = [
      [{ id: 'host:edge-2' }, 'enf:edge-1/cam-1:2'],
      [{ id: USER }, 'enf:edge-1/cam-1:3'],
      [{ id: 'host:edge-1' }, `feature:${USER}/x`],
      [{ id: 'host:edge-1' }, 'enf:cam-1:4'],
      [{ id: 'host:edge-1' }, 'enf:edge-1'],
      [{ id: 'alice' }, 'enf:alice/x'],
      [{ id: USER.toUpperCase().replace('0X', '0x') }, `feature:${USER}/y`],
      [undefined, 'enf:edge-1/cam-1:5'],
    ]
    for (const [caller, key] of refusals) {
      const error = await rejectionOf(
        Promise.resolve().then(() =>
          receive['ledger.commit'](record(key), state, contextAs(caller)),
        ),
      )
      expect(AccessNamespaceError.is(error)).toBe(true)
    }
    expect(await receive['ledger.get']({ key: 'enf:edge-1/cam-1:2' }, state, host)).toBeNull()
  })

  test('refuses a whole batch when one record lies outside the caller’s namespace', async () => {
    const records = [record('enf:edge-1/batch-1'), record('enf:edge-2/batch-2')]
    const error = await rejectionOf(
      Promise.resolve().then(() => receive['ledger.commit_batch']({ records }, state, host)),
    )
    expect(AccessNamespaceError.is(error)).toBe(true)
    expect(await receive['ledger.get']({ key: 'enf:edge-1/batch-1' }, state, host)).toBeNull()
  })

  test('commits a batch of the caller’s records under one Merkle root', async () => {
    const records = Array.from({ length: 50 }, (_, i) => record(`enf:edge-1/batch/${i}`))
    const { receipts } = await receive['ledger.commit_batch']({ records }, state, host)
    expect(receipts).toHaveLength(50)
    expect(new Set(receipts.map((r) => r.batchRoot)).size).toBe(1)
    expect(receipts.every((r) => verifyReceipt(r).valid)).toBe(true)
  })

  test('answers a batch compact, the receipts rebuilding from it, and verifies many at once', async () => {
    const records = Array.from({ length: 70 }, (_, i) => record(`enf:edge-1/compact/${i}`))
    const compact = await receive['ledger.commit_compact']({ records }, state, host)
    const leaves = batchLeaves(records, compact)
    const rebuilt = compact.batches.map((batch, b) => rebuildBatch(batch, leaves[b] ?? []))
    expect(rebuilt.every((nodes) => nodes !== null)).toBe(true)
    const receipts = expandCompactReceipts(records, compact, rebuilt as BatchNodes[])
    const first = receipts[0] as Receipt
    const { results } = await receive['ledger.verify_many'](
      { receipts: [first, { ...first, height: first.height + 1 }] },
      state,
      host,
    )
    expect(results.map((r) => r.valid)).toEqual([true, false])
    expect(receipts.every((r) => verifyReceipt(r).valid)).toBe(true)
  })

  test('answers a rewrite of a committed key with its tx code', async () => {
    await receive['ledger.commit'](record('enf:edge-1/once'), state, host)
    const error = await rejectionOf(
      Promise.resolve().then(() =>
        receive['ledger.commit'](record('enf:edge-1/once', 'beef'), state, host),
      ),
    )
    expect(LedgerTxRejectedError.is(error)).toBe(true)
    expect((error as BaseError).meta?.code).toBe(TX_CODES.KEY_EXISTS)
  })
})

describe('cometbftLedgerActor in the kernel', () => {
  let system: ActorSystem
  let committed: Receipt
  beforeAll(async () => {
    system = createActorSystem({ config: { simulateSerialization: true } })
    await system.spawn('ledger', ledgerActor, {
      args: { rpcUrls: net.rpcUrls, signerKeyFile: join(dir, 'fog-1.pem'), flushIntervalMs: 5 },
    })
    const direct = await createCometbftLedger({ rpcUrls: net.rpcUrls, signer: net.nodeKeys[0]! })
    try {
      committed = await direct.commit(record('enf:node-0/kernel'))
    } finally {
      await direct.close()
    }
  })
  afterAll(async () => {
    await system?.shutdown({ deadlineMs: 2_000 })
  })

  test('carries a namespace refusal across the worker boundary with its code', async () => {
    // Sent without a caller: nobody owns a namespace.
    const error = await rejectionOf(
      system.ask('ledger', 'ledger.commit', record('enf:edge-1/anonymous')),
    )
    expect(AccessNamespaceError.is(error)).toBe(true)
  })

  test('answers reads and verifies receipts through a worker', async () => {
    expect(await system.ask('ledger', 'ledger.get', { key: 'enf:node-0/kernel' })).toEqual(
      committed,
    )
    expect(await system.ask('ledger', 'ledger.verify', committed)).toEqual({ valid: true })
    const tampered = { ...committed, record: { ...committed.record, dataHex: '00' } }
    expect(await system.ask('ledger', 'ledger.verify', tampered)).toMatchObject({ valid: false })
  })

  test('refuses a malformed record before it reaches the actor', async () => {
    const error = await rejectionOf(
      system.ask('ledger', 'ledger.commit', { kind: 'enf_fingerprint', key: 'x', dataHex: 'XYZ' }),
    )
    expect(ProtocolViolationError.is(error)).toBe(true)
  })
})
