import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { Comet38Client, HttpClient } from '@cosmjs/tendermint-rpc'
import { waitFor } from '../../runtime/testing/index.ts'
import { decodeLedgerTx, encodeLedgerTx } from '../abci/ledger-tx.ts'
import { generateSignerKey } from '../abci/signer-key.ts'
import { TX_CODES } from '../abci/tx-codes.ts'
import { encodeRecordBatch } from '../abci/tx-payload.ts'
import { LedgerBackpressureError, LedgerTxRejectedError } from '../errors.ts'
import { runLedgerConformance } from '../ledger.conformance.ts'
import { type Localnet, startLocalnet } from '../localnet/start-localnet.ts'
import type { LedgerRecord, Receipt } from '../protocol.ts'
import { haltedAbove } from '../testing/index.ts'
import { type CometbftLedger, createCometbftLedger } from './cometbft-ledger.ts'

// Real networks: starting one takes seconds, and the fault tests wait for consensus rounds.
setDefaultTimeout(60_000)

function record(key: string, dataHex = 'c0ffee'): LedgerRecord {
  return { kind: 'enf_fingerprint', key, dataHex }
}

/** The node's latest block height, from plain /status (cosmjs' decoder throws on a node that has not synced). */
async function latestHeight(rpcUrl: string): Promise<number> {
  const body = (await (await fetch(`${rpcUrl}/status`)).json()) as {
    result: { sync_info: { latest_block_height: string } }
  }
  return Number(body.result.sync_info.latest_block_height)
}

async function rejectionCode(promise: Promise<unknown>): Promise<number> {
  try {
    await promise
  } catch (error) {
    if (LedgerTxRejectedError.is(error)) return (error as LedgerTxRejectedError).txCode
    throw error
  }
  throw new Error('expected the ledger to reject the transaction')
}

describe('CometbftLedger on a 1-validator localnet', () => {
  let net: Localnet
  let ledger: CometbftLedger
  beforeAll(async () => {
    net = await startLocalnet({ validators: 1, maxTxBytes: 64 * 1024 })
    ledger = await createCometbftLedger({
      rpcUrls: net.rpcUrls,
      signer: net.nodeKeys[0] as never,
      flushIntervalMs: 5,
    })
  })
  afterAll(async () => {
    await ledger?.close()
    await net?.stop()
  })

  runLedgerConformance({ name: 'CometbftLedger', create: () => ledger })

  test('commits records in one batch and answers each caller with a receipt that verifies', async () => {
    const records = Array.from({ length: 25 }, (_, i) =>
      record(`one/batch/${i}`, (i + 16).toString(16)),
    )
    const receipts = await ledger.commitMany(records)
    expect(receipts.map((r) => r.record)).toEqual(records)
    expect(new Set(receipts.map((r) => r.batchRoot)).size).toBe(1)
    expect(receipts[0]?.treeSize).toBe(25)
    for (const receipt of [receipts[0], receipts[24]] as Receipt[]) {
      expect(await ledger.verify(receipt)).toEqual({ valid: true })
    }
  })

  test('sends batches zstd-compressed and confirms them from block events, not polling', async () => {
    // Polling would first look after 10 minutes: only the NewBlockEvents subscription can confirm.
    const eventsOnly = await createCometbftLedger({
      rpcUrls: net.rpcUrls,
      signer: net.nodeKeys[0] as never,
      flushIntervalMs: 5,
      pollAfterMs: 600_000,
    })
    try {
      const records = Array.from({ length: 40 }, (_, i) =>
        record(`zstd/cam-7/frame-${i}`, 'ab'.repeat(32)),
      )
      const started = performance.now()
      const receipts = await eventsOnly.commitMany(records)
      expect(performance.now() - started).toBeLessThan(10_000)
      const receipt = receipts[0] as Receipt
      // verify() waits for the node's tx index (it trails the block event a little).
      expect(await eventsOnly.verify(receipt)).toEqual({ valid: true })
      const rpc = Comet38Client.create(new HttpClient(net.rpcUrls[0] as string))
      const found = await rpc.tx({ hash: Buffer.from(receipt.txHash, 'hex') })
      rpc.disconnect()
      const onChain = decodeLedgerTx(found.tx)
      expect(onChain.payloadBytes[0]).toBe(3)
      expect(onChain.payload.type === 'records' && onChain.payload.compressed).toBe(true)
      expect(await eventsOnly.get(records[39]?.key as string)).toEqual(receipts[39] as Receipt)
    } finally {
      await eventsOnly.close()
    }
  })

  test('splits long records into batches under the byte limit instead of one oversized transaction', async () => {
    // 48 records of 2 KiB of random (incompressible) data: ~100 KiB, over the 64 KiB tx limit.
    const bySize = await createCometbftLedger({
      rpcUrls: net.rpcUrls,
      signer: net.nodeKeys[0] as never,
      flushIntervalMs: 5,
      maxBatchBytes: 24 * 1024,
    })
    try {
      const records = Array.from({ length: 48 }, (_, i) =>
        record(
          `long/fingerprint/${i}`,
          Buffer.from(crypto.getRandomValues(new Uint8Array(2048))).toString('hex'),
        ),
      )
      const receipts = await bySize.commitMany(records)
      const batches = new Set(receipts.map((receipt) => receipt.batchId))
      expect(batches.size).toBeGreaterThanOrEqual(5)
      for (const receipt of receipts) expect(receipt.treeSize).toBeLessThanOrEqual(12)
      expect(await bySize.verify(receipts[47] as Receipt)).toEqual({ valid: true })
    } finally {
      await bySize.close()
    }
  })

  test('queries a committed record by key with the same receipt', async () => {
    const [receipt] = await ledger.commitMany([record('query/me')])
    expect(await ledger.get('query/me')).toEqual(receipt as Receipt)
    expect(await ledger.get('never/written')).toBeNull()
    const batch = await ledger.batch((receipt as Receipt).batchId)
    expect(batch?.root).toBe((receipt as Receipt).batchRoot)
  })

  test('rejects tampered receipts offline and on the chain', async () => {
    const receipt = await ledger.commit(record('tamper/target'))
    const forged = { ...receipt, record: { ...receipt.record, dataHex: 'baad' } }
    expect((await ledger.verify(forged)).valid).toBe(false)
    expect((await ledger.verify({ ...receipt, batchRoot: '00'.repeat(32) })).valid).toBe(false)
    expect((await ledger.verify({ ...receipt, height: receipt.height + 1 })).valid).toBe(false)
  })

  test('refuses to rewrite a key (records are append-only)', async () => {
    await ledger.commit(record('append/only'))
    expect(await rejectionCode(ledger.commit(record('append/only', 'ff')))).toBe(
      TX_CODES.KEY_EXISTS,
    )
    expect((await ledger.get('append/only'))?.record.dataHex).toBe('c0ffee')
  })

  test('rejects bad-signature, unknown-signer, unsigned, malformed, duplicate and oversized transactions with their codes', async () => {
    const key = net.nodeKeys[0] as never
    const payload = () => encodeRecordBatch([record(`raw/${crypto.randomUUID()}`)]).payload
    const chainId = net.chainId
    expect(
      await rejectionCode(
        ledger.submitRaw(
          encodeLedgerTx({ chainId: 'wrong-chain', key, nonce: 1n, payload: payload() }),
        ),
      ),
    ).toBe(TX_CODES.BAD_SIGNATURE)
    expect(
      await rejectionCode(
        ledger.submitRaw(
          encodeLedgerTx({ chainId, key: generateSignerKey(), nonce: 1n, payload: payload() }),
        ),
      ),
    ).toBe(TX_CODES.UNKNOWN_SIGNER)
    expect(
      await rejectionCode(
        ledger.submitRaw(
          encodeLedgerTx({ chainId, key, nonce: 2n, payload: payload(), unsigned: true }),
        ),
      ),
    ).toBe(TX_CODES.UNSIGNED)
    expect(await rejectionCode(ledger.submitRaw(new TextEncoder().encode('hello ledger')))).toBe(
      TX_CODES.MALFORMED,
    )
    await ledger.submitRaw(encodeLedgerTx({ chainId, key, nonce: 42n, payload: payload() }))
    expect(
      await rejectionCode(
        ledger.submitRaw(encodeLedgerTx({ chainId, key, nonce: 42n, payload: payload() })),
      ),
    ).toBe(TX_CODES.DUPLICATE)
    const big = encodeRecordBatch(
      Array.from({ length: 40 }, (_, i) => record(`big/${i}`, 'ab'.repeat(2048))),
    ).payload
    expect(
      await rejectionCode(
        ledger.submitRaw(encodeLedgerTx({ chainId, key, nonce: 43n, payload: big })),
      ),
    ).toBe(TX_CODES.OVERSIZED)
  })

  test('fails fast with LEDGER_BACKPRESSURE once its pending queue is full', async () => {
    const small = await createCometbftLedger({
      rpcUrls: net.rpcUrls,
      signer: net.nodeKeys[0] as never,
      maxPendingRecords: 10,
      flushIntervalMs: 5,
    })
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => small.commit(record(`pressure/${i}`))),
      )
      const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[]
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10)
      expect(rejected).toHaveLength(20)
      expect(rejected.every((o) => LedgerBackpressureError.is(o.reason))).toBe(true)
      // Once the queue drains, commits are accepted again.
      expect((await small.commit(record('pressure/after'))).record.key).toBe('pressure/after')
    } finally {
      await small.close()
    }
  })

  test('lets an admin enroll a host key, which can then write records', async () => {
    const host = generateSignerKey()
    const admin = await createCometbftLedger({ rpcUrls: net.rpcUrls, signer: net.adminKey })
    const hostLedger = await createCometbftLedger({ rpcUrls: net.rpcUrls, signer: host })
    try {
      expect(await rejectionCode(hostLedger.commit(record('host/before')))).toBe(
        TX_CODES.UNKNOWN_SIGNER,
      )
      await admin.enroll(host.publicKeyHex, 'node', 'edge-cam-7')
      expect((await hostLedger.commit(record('host/after'))).record.key).toBe('host/after')
    } finally {
      await admin.close()
      await hostLedger.close()
    }
  })
})

describe('CometbftLedger on a 4-validator localnet', () => {
  let net: Localnet
  let ledger: CometbftLedger
  beforeAll(async () => {
    net = await startLocalnet({ validators: 4 })
    ledger = await createCometbftLedger({
      rpcUrls: net.rpcUrls,
      signer: net.nodeKeys[0] as never,
      flushIntervalMs: 5,
      confirmTimeoutMs: 60_000,
    })
  })
  afterAll(async () => {
    await ledger?.close()
    await net?.stop()
  })

  async function client(index: number): Promise<Comet38Client> {
    return Comet38Client.connect((net.nodes[index] as { rpcUrl: string }).rpcUrl)
  }

  /** Every running node holds the same block at every height they share: no fork. */
  async function expectNoFork(): Promise<void> {
    const running = net.nodes.filter((node) => net.isRunning(node.index))
    const clients = await Promise.all(running.map((node) => client(node.index)))
    const heights = await Promise.all(running.map((node) => latestHeight(node.rpcUrl)))
    const top = Math.min(...heights)
    for (let height = 1; height <= top; height++) {
      const hashes = await Promise.all(
        clients.map(async (c) => Buffer.from((await c.block(height)).blockId.hash).toString('hex')),
      )
      expect(new Set(hashes).size).toBe(1)
    }
    for (const c of clients) c.disconnect()
  }

  test('commits records that every validator answers queries for', async () => {
    const receipts = await ledger.commitMany(
      Array.from({ length: 10 }, (_, i) => record(`four/${i}`)),
    )
    for (const node of net.nodes) {
      const other = await createCometbftLedger({
        rpcUrls: [node.rpcUrl],
        signer: net.nodeKeys[node.index] as never,
        pollOnly: true,
      })
      await waitFor(async () => (await other.get('four/9')) !== null, {
        message: `node ${node.index} to hold four/9`,
      })
      expect(await other.get('four/3')).toEqual(receipts[3] as Receipt)
      await other.close()
    }
  })

  test('keeps committing with 1 of 4 validators stopped', async () => {
    await net.stopValidator(3)
    const receipt = await ledger.commit(record('faults/one-down'))
    expect(await ledger.verify(receipt)).toEqual({ valid: true })
  })

  test('stops committing without forking with 2 of 4 stopped, and resumes when one returns', async () => {
    await net.stopValidator(2)
    const before = await latestHeight(net.nodes[0]?.rpcUrl as string)
    const pending = ledger.commit(record('faults/two-down'))
    let settled = false
    void pending.then(() => {
      settled = true
    })
    // Consensus state is the witness (haltedAbove): the height above the latest block is stuck with
    // both live validators' prevotes and no precommit quorum. The latest block may be before + 1:
    // validator 2 can be stopped just after precommitting a block the others commit a moment later.
    const url = net.nodes[0]?.rpcUrl as string
    const stalled = await waitFor(
      async () => {
        const latest = await latestHeight(url)
        return latest >= before && (await haltedAbove(url, latest, 2)) ? latest + 1 : null
      },
      { timeoutMs: 30_000, message: 'both live validators to prevote the stalled block' },
    )
    expect(settled).toBe(false)
    expect(await latestHeight(net.nodes[0]?.rpcUrl as string)).toBe(stalled - 1)
    await net.startValidator(2)
    const receipt = await pending
    expect(receipt.height).toBeGreaterThan(before)
    expect(await ledger.verify(receipt)).toEqual({ valid: true })
    await expectNoFork()
    await net.startValidator(3)
  })

  test('restarts a crashed ABCI app at the same height and app hash without losing records', async () => {
    const receipts = await ledger.commitMany(
      Array.from({ length: 5 }, (_, i) => record(`restart/${i}`)),
    )
    const c1 = await client(1)
    // Wait for the network to go quiet: the latest header already carries the app's latest hash.
    const quiet = await waitFor(
      async () => {
        const info = await c1.abciInfo()
        const height = await latestHeight(net.nodes[1]?.rpcUrl as string)
        if (height !== info.lastBlockHeight) return null
        const header = (await c1.block(info.lastBlockHeight)).block.header
        return Buffer.from(header.appHash).equals(Buffer.from(info.lastBlockAppHash ?? []))
          ? info
          : null
      },
      { message: 'the network to go quiet' },
    )
    c1.disconnect()
    await net.restartApp(1)
    const again = await client(1)
    const c0 = await client(0)
    const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex')
    // The other validators may commit a block while node 1 is down: compare the restarted app with
    // validator 0 once both report the same height, which is never below the one before the crash.
    const agreed = await waitFor(
      async () => {
        const [mine, theirs] = [await again.abciInfo(), await c0.abciInfo()]
        return mine.lastBlockHeight === theirs.lastBlockHeight ? { mine, theirs } : null
      },
      { message: 'the restarted app to report the same height as validator 0' },
    )
    const quietHeight = quiet.lastBlockHeight ?? 0
    expect(agreed.mine.lastBlockHeight ?? 0).toBeGreaterThanOrEqual(quietHeight)
    expect(hex(agreed.mine.lastBlockAppHash)).toBe(hex(agreed.theirs.lastBlockAppHash))
    // The hash it had committed before the crash is still the chain's hash at that height.
    const header = (await again.block(quietHeight + 1).catch(() => null))?.block.header
    expect(hex(header?.appHash ?? agreed.mine.lastBlockAppHash)).toBe(hex(quiet.lastBlockAppHash))
    again.disconnect()
    c0.disconnect()
    const restarted = await createCometbftLedger({
      rpcUrls: [net.nodes[1]?.rpcUrl as string],
      signer: net.nodeKeys[1] as never,
    })
    for (const receipt of receipts) expect(await restarted.get(receipt.record.key)).toEqual(receipt)
    expect(await restarted.get('four/0')).not.toBeNull()
    // And it keeps participating.
    const after = await restarted.commit(record('restart/after'))
    expect(await restarted.verify(after)).toEqual({ valid: true })
    await restarted.close()
    await expectNoFork()
  })
})
