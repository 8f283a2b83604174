/**
 * Cross-domain verification end to end: records committed on a real 1-validator CometBFT
 * localnet (domain A), their batch roots anchored on anvil by the anchoring job reading
 * CometBFT's tx index, and the receipts verified by someone holding only the receipt and the
 * Ethereum chain (domain B) — the record→leaf→root check offline (ledger/merkle verifyReceipt),
 * the root and audit path by the Anchor contract. Forged receipts fail.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createActorSystem, TestClock } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import { type CometbftLedger, createCometbftLedger } from '../cometbft/cometbft-ledger.ts'
import { type Localnet, startLocalnet } from '../localnet/start-localnet.ts'
import { MerkleTree } from '../merkle/merkle-tree.ts'
import { recordLeafHash } from '../merkle/record-leaf.ts'
import { verifyReceipt } from '../merkle/verify-receipt.ts'
import type { LedgerRecord, Receipt } from '../protocol.ts'
import { createAnchoringJob } from './anchoring-job.ts'
import { domainId } from './bytes32-name.ts'
import { createCometbftBatchSource } from './cometbft-batch-source.ts'
import { writeContractAddresses } from './contract-addresses.ts'
import { createChainClients } from './create-chain-clients.ts'
import type { EthereumLedgerArgs } from './ethereum-ledger-actor.ts'
import { createTestChain, type TestChain } from './testing/index.ts'
import { verifyAnchoredReceipt } from './verify-anchored-receipt.ts'
import { createVigilContracts } from './vigil-contracts.ts'

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const record = (key: string, text: string): LedgerRecord => ({
  kind: 'feature_hash',
  key,
  dataHex: Buffer.from(text).toString('hex'),
})

let net: Localnet
let ledger: CometbftLedger
let chain: TestChain
let receipts: Receipt[]

beforeAll(async () => {
  ;[net, chain] = await Promise.all([startLocalnet({ validators: 1 }), createTestChain()])
  const key = net.nodeKeys[0]
  if (!key) throw new Error('the localnet has no node key')
  ledger = await createCometbftLedger({ rpcUrls: net.rpcUrls, signer: key, chainId: net.chainId })
  const first = await ledger.commitMany([
    record('cam-1/0001', 'features of frame 1'),
    record('cam-1/0002', 'features of frame 2'),
    record('cam-1/0003', 'features of frame 3'),
  ])
  const second = await ledger.commitMany([record('cam-2/0001', 'features of frame 1, camera 2')])
  receipts = [...first, ...second]
  const admin = createVigilContracts(chain.admin.clients, chain.addresses)
  await admin.anchor.write('grantAnchorer', [domainId(net.chainId), chain.admin.address])
})

afterAll(async () => {
  await ledger?.close()
  await Promise.all([net?.stop(), chain?.[Symbol.asyncDispose]()])
})

describe('cross-domain receipt verification', () => {
  test('anchors the localnet batch roots and verifies every receipt from another domain', async () => {
    const job = createAnchoringJob({
      source: createCometbftBatchSource({ rpcUrl: net.rpcUrls[0] as string }),
      anchor: createVigilContracts(chain.admin.clients, chain.addresses).anchor,
      domain: net.chainId,
      clock: new TestClock(),
    })
    const run = await job.runOnce()
    expect(run.failed).toBe(0)
    expect(new Set(run.anchored.map((b) => b.batchId))).toEqual(
      new Set(receipts.map((r) => r.batchId)),
    )
    // Domain B: a read-only view of the chain, and the receipts.
    const readOnly = await createChainClients({
      chainId: chain.anvil.chainId,
      rpcUrl: chain.anvil.rpcUrl,
    })
    const anchor = createVigilContracts(readOnly, chain.addresses).anchor
    for (const receipt of receipts) {
      const verdict = await verifyAnchoredReceipt(receipt, anchor, { offlineCheck: verifyReceipt })
      expect({ key: receipt.record.key, valid: verdict.valid }).toEqual({
        key: receipt.record.key,
        valid: true,
      })
    }
  })

  test('rejects forged receipts: altered record, self-made batch, foreign domain, unanchored', async () => {
    const anchor = createVigilContracts(chain.admin.clients, chain.addresses).anchor
    const genuine = receipts[0] as Receipt
    const verify = (receipt: Receipt) =>
      verifyAnchoredReceipt(receipt, anchor, { offlineCheck: verifyReceipt })

    // 1. The record's data changed: no longer hashes to the leaf.
    const altered = { ...genuine, record: { ...genuine.record, dataHex: 'deadbeef' } }
    expect(await verify(altered)).toMatchObject({ valid: false })

    // 2. A consistent receipt for a record never committed: the forger builds a tree of their
    //    own that verifies offline, but its root is not the anchored one.
    const fake = record(genuine.record.key, 'a record that was never committed')
    const leaves = [recordLeafHash(fake), recordLeafHash(record('other', 'x'))]
    const tree = new MerkleTree(leaves)
    const forged: Receipt = {
      ...genuine,
      record: fake,
      leafHash: toHex(tree.leaf(0)),
      leafIndex: 0,
      treeSize: 2,
      auditPath: tree.auditPath(0).map(toHex),
      batchRoot: toHex(tree.root),
    }
    expect(verifyReceipt(forged).valid).toBe(true)
    const verdict = await verify(forged)
    expect(verdict).toMatchObject({ valid: false })
    expect(verdict.valid ? '' : verdict.reason).toContain('differs from the root anchored')

    // 3. The genuine receipt presented as another domain's.
    expect(await verify({ ...genuine, chainId: `${genuine.chainId}-other` })).toMatchObject({
      valid: false,
    })

    // 4. The genuine receipt at a height where nothing was anchored.
    expect(await verify({ ...genuine, height: genuine.height + 1000 })).toMatchObject({
      valid: false,
    })
  })
})

describe('the Ethereum ledger actor anchoring a live domain in the kernel', () => {
  test('anchors new batches on its own, forwards Anchored events and verifies the receipts', async () => {
    const host = await chain.newAccount()
    await createVigilContracts(chain.admin.clients, chain.addresses).anchor.write('grantAnchorer', [
      domainId(net.chainId),
      host.address,
    ])
    const addressesFile = join(mkdtempSync(join(tmpdir(), 'vigil-xdomain-')), 'addresses.json')
    await writeContractAddresses(addressesFile, chain.addresses)
    const rpcUrl = net.rpcUrls[0] as string
    const args: EthereumLedgerArgs = {
      chainId: chain.anvil.chainId,
      rpcUrl: chain.anvil.rpcUrl,
      // The host's own account: an anchorer of the domain, no admin role.
      keyFile: host.keyFile,
      addressesFile,
      pollingIntervalMs: 20,
      anchoring: { domain: net.chainId, cometbftRpcUrl: rpcUrl, intervalMs: 100 },
    }
    const system = createActorSystem()
    try {
      await system.spawn('recorder', {
        module: new URL('./testing/event-recorder-actor-fixture.ts', import.meta.url).href,
        export: 'eventRecorderActor',
      })
      await system.spawn(
        'ethereum-ledger',
        {
          module: new URL('./ethereum-ledger-actor.ts', import.meta.url).href,
          export: 'ethereumLedgerActor',
        },
        { args },
      )
      await system.ask('ethereum-ledger', 'eth.subscribe', {
        actor: 'recorder',
        type: 'recorder.events',
        contracts: ['Anchor'],
        eventNames: ['Anchored'],
      })
      const [fresh] = await ledger.commitMany([
        record('cam-3/0001', 'committed while the actor runs'),
      ])
      if (!fresh) throw new Error('no receipt')
      await waitFor(
        async () => {
          const status = (await system.ask('ethereum-ledger', 'eth.anchoring_status', {})) as {
            anchoredHeight: number
          }
          return status.anchoredHeight >= fresh.height
        },
        { message: 'the actor to anchor the new batch', timeoutMs: 30_000, intervalMs: 50 },
      )
      const events = await waitFor(
        async () => {
          const { events } = (await system.ask('recorder', 'recorder.list', {})) as {
            events: { args: Record<string, unknown> }[]
          }
          return events.find((e) => e.args.batchId === `0x${fresh.batchId}`)
        },
        { message: 'the Anchored event of the new batch', timeoutMs: 30_000, intervalMs: 50 },
      )
      expect(events.args.root).toBe(`0x${fresh.batchRoot}`)
      expect(
        await system.ask('ethereum-ledger', 'eth.verify_anchored_receipt', { receipt: fresh }),
      ).toMatchObject({ valid: true })
      const forged = { ...fresh, record: { ...fresh.record, dataHex: '00' } }
      expect(
        await system.ask('ethereum-ledger', 'eth.verify_anchored_receipt', { receipt: forged }),
      ).toMatchObject({ valid: false })
    } finally {
      await system.shutdown({ deadlineMs: 2_000 })
    }
  })
})
