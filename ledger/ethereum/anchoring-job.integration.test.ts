import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { keccak256, stringToHex } from 'viem'
import type { BaseError } from '../../runtime/index.ts'
import { TestClock } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import type { Receipt } from '../protocol.ts'
import { type AnchorableBatch, createAnchoringJob } from './anchoring-job.ts'
import { domainId } from './bytes32-name.ts'
import {
  buildTestTree,
  createTestChain,
  type TestAccount,
  type TestChain,
  type TestTree,
} from './testing/index.ts'
import { verifyAnchoredReceipt } from './verify-anchored-receipt.ts'
import { createVigilContracts } from './vigil-contracts.ts'

/** The domain of the verifyAnchoredReceipt tests; each createAnchoringJob test has its own. */
const DOMAIN = 'vigil-test-domain'
const encoder = new TextEncoder()

type TestBatch = AnchorableBatch & { tree: TestTree; records: Uint8Array[] }

/** A batch of `n` records at `height`, its id a 64-hex "tx hash" as the CometBFT ledger uses. */
function makeBatch(height: number, n: number, tag: string): TestBatch {
  const records = Array.from({ length: n }, (_, i) => encoder.encode(`${tag}/${i}`))
  const tree = buildTestTree(records)
  const batchId = keccak256(stringToHex(`${tag}-tx`)).slice(2)
  return { height, batchId, root: tree.root, treeSize: n, tree, records }
}

function receiptFor(batch: TestBatch, index: number, chainId = DOMAIN): Receipt {
  return {
    record: { kind: 'feature_hash', key: `${batch.batchId}/${index}`, dataHex: '00' },
    leafHash: batch.tree.leafHashes[index] as string,
    leafIndex: index,
    treeSize: batch.treeSize,
    auditPath: batch.tree.auditPath(index),
    batchRoot: batch.root,
    batchId: batch.batchId,
    chainId,
    height: batch.height,
    txHash: batch.batchId,
  }
}

function memorySource(batches: TestBatch[]) {
  return { latestBatches: async (since: number) => batches.filter((b) => b.height > since) }
}

let chain: TestChain
let anchorer: TestAccount

beforeAll(async () => {
  chain = await createTestChain()
  anchorer = await chain.newAccount()
  const admin = createVigilContracts(chain.admin.clients, chain.addresses)
  await admin.anchor.write('grantAnchorer', [domainId(DOMAIN), anchorer.address])
})

afterAll(async () => {
  await chain?.[Symbol.asyncDispose]()
})

const anchorAs = (account: TestAccount) =>
  createVigilContracts(account.clients, chain.addresses).anchor

/** An anchoring job over `batches` in memory on its own test clock, signed by `anchorer` unless `signer` is given. */
function jobOver(
  batches: TestBatch[],
  o: { domain: string; errors?: BaseError[]; signer?: TestAccount; startAfterHeight?: number },
) {
  const { errors } = o
  return createAnchoringJob({
    source: memorySource(batches),
    anchor: anchorAs(o.signer ?? anchorer),
    domain: o.domain,
    clock: new TestClock(),
    startAfterHeight: o.startAfterHeight,
    ...(errors ? { onError: (error: BaseError) => errors.push(error) } : {}),
  })
}

/** A domain of the test's own (so no test depends on what another anchored), with `anchorer`. */
async function ownDomain(name: string): Promise<string> {
  const domain = `vigil-test-${name}`
  const admin = createVigilContracts(chain.admin.clients, chain.addresses)
  await admin.anchor.write('grantAnchorer', [domainId(domain), anchorer.address])
  return domain
}

/** A run's outcome with the failures spelled out, so a failed assertion says why. */
const outcome = (
  run: { anchored: readonly unknown[]; failed: number; anchoredHeight: number },
  errors: readonly BaseError[],
) => ({
  n: run.anchored.length,
  failed: run.failed,
  height: run.anchoredHeight,
  errors: errors.map((e) => `${e.code}: ${e.message}`),
})

describe('createAnchoringJob', () => {
  test('anchors new batches once, including several at one height, and advances', async () => {
    const domain = await ownDomain('advance')
    const batches = [makeBatch(1, 3, 'a'), makeBatch(2, 5, 'b'), makeBatch(2, 1, 'c')]
    const errors: BaseError[] = []
    const job = jobOver(batches, { domain, errors })
    const first = await job.runOnce()
    expect(outcome(first, errors)).toEqual({ n: 3, failed: 0, height: 2, errors: [] })
    expect(first.gasUsed).toBeGreaterThan(0n)
    const second = await job.runOnce()
    expect(second.anchored.length).toBe(0)
    batches.push(makeBatch(3, 2, 'd'))
    const third = await job.runOnce()
    expect(third.anchored.map((b) => b.height)).toEqual([3])
  })

  test('retries batches that failed and does not move past them', async () => {
    const domain = 'vigil-test-retry'
    const outsider = await chain.newAccount()
    const batches = [makeBatch(10, 2, 'e'), makeBatch(11, 2, 'f')]
    const errors: BaseError[] = []
    const refused = jobOver(batches, { domain, errors, signer: outsider, startAfterHeight: 9 })
    const run = await refused.runOnce()
    expect({ failed: run.failed, height: run.anchoredHeight }).toEqual({ failed: 2, height: 9 })
    expect(errors.map((e) => e.meta?.errorName)).toEqual(['NotAnchorer', 'NotAnchorer'])
    const admin = createVigilContracts(chain.admin.clients, chain.addresses)
    await admin.anchor.write('grantAnchorer', [domainId(domain), outsider.address])
    errors.length = 0
    const retry = await refused.runOnce()
    expect(outcome(retry, errors)).toEqual({ n: 2, failed: 0, height: 11, errors: [] })
  })

  test('resumes from the chain and skips batches already anchored', async () => {
    const domain = await ownDomain('resume')
    const errors: BaseError[] = []
    const batches = [makeBatch(11, 2, 'f'), makeBatch(12, 4, 'g')]
    const before = await jobOver(batches.slice(0, 1), {
      domain,
      errors,
      startAfterHeight: 10,
    }).runOnce()
    expect(outcome(before, errors)).toEqual({ n: 1, failed: 0, height: 11, errors: [] })
    const job = jobOver(batches, { domain, errors })
    const run = await job.runOnce()
    expect({ already: run.alreadyAnchored, ...outcome(run, errors) }).toEqual({
      already: 1,
      n: 1,
      failed: 0,
      height: 12,
      errors: [],
    })
  })

  test('reports a conflicting root without retrying it forever', async () => {
    const domain = await ownDomain('conflict')
    const original = makeBatch(20, 2, 'h')
    const errors: BaseError[] = []
    const job = jobOver([original], { domain, errors, startAfterHeight: 19 })
    expect(outcome(await job.runOnce(), errors)).toEqual({
      n: 1,
      failed: 0,
      height: 20,
      errors: [],
    })
    const forked = { ...makeBatch(20, 2, 'forked'), batchId: original.batchId }
    const forkJob = jobOver([forked], { domain, errors, startAfterHeight: 19 })
    const run = await forkJob.runOnce()
    expect({ failed: run.failed, height: run.anchoredHeight }).toEqual({ failed: 1, height: 20 })
    expect(errors.map((e) => e.meta?.errorName)).toEqual(['AnchorConflict'])
  })

  test('runs on its clock every interval until stopped', async () => {
    const domain = await ownDomain('interval')
    const clock = new TestClock()
    const batches = [makeBatch(30, 1, 'i')]
    const job = createAnchoringJob({
      source: memorySource(batches),
      anchor: anchorAs(anchorer),
      domain,
      clock,
      intervalMs: 1_000,
      startAfterHeight: 29,
    })
    job.start()
    await waitFor(() => job.anchoredHeight === 30 && clock.pendingTimers === 1, {
      message: 'first run',
    })
    batches.push(makeBatch(31, 1, 'j'))
    clock.advance(999)
    expect(job.anchoredHeight).toBe(30)
    clock.advance(1)
    await waitFor(() => job.anchoredHeight === 31, { message: 'second run' })
    await job.stop()
    expect(clock.pendingTimers).toBe(0)
  })
})

describe('verifyAnchoredReceipt', () => {
  let batch: TestBatch
  beforeAll(async () => {
    batch = makeBatch(40, 7, 'verify')
    await jobOver([batch], { domain: DOMAIN, startAfterHeight: 39 }).runOnce()
  })
  const verify = (receipt: Receipt) =>
    verifyAnchoredReceipt(
      receipt,
      createVigilContracts(chain.admin.clients, chain.addresses).anchor,
    )

  test('accepts every receipt of an anchored batch', async () => {
    for (let i = 0; i < batch.treeSize; i++) {
      const result = await verify(receiptFor(batch, i))
      expect(result.valid).toBe(true)
    }
  })

  test('rejects a forged leaf, a swapped path, a wrong root, size or domain', async () => {
    const good = receiptFor(batch, 3)
    const forgedLeaf = buildTestTree([encoder.encode('forged')]).leafHashes[0] as string
    const cases: [string, Receipt][] = [
      ['forged leaf', { ...good, leafHash: forgedLeaf }],
      ['wrong index', { ...good, leafIndex: 4 }],
      ['altered path', { ...good, auditPath: [...good.auditPath].reverse() }],
      ['wrong root', { ...good, batchRoot: makeBatch(40, 7, 'other').root }],
      ['wrong size', { ...good, treeSize: 8 }],
      ['other domain', { ...good, chainId: 'another-domain' }],
      ['unanchored height', { ...good, height: 41 }],
      ['malformed hash', { ...good, leafHash: 'xyz' }],
    ]
    for (const [label, receipt] of cases) {
      const result = await verify(receipt)
      expect({ label, valid: result.valid }).toEqual({ label, valid: false })
    }
  })

  test('runs the offline check first and reports its reason', async () => {
    const result = await verifyAnchoredReceipt(
      receiptFor(batch, 0),
      createVigilContracts(chain.admin.clients, chain.addresses).anchor,
      { offlineCheck: () => ({ valid: false, reason: 'record does not hash to leafHash' }) },
    )
    expect(result).toEqual({
      valid: false,
      reason: 'offline check failed: record does not hash to leafHash',
    })
  })
})
