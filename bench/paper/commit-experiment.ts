/**
 * Figure 10 of the paper, on vigil's ledgers: commit latency of CometBFT
 * (4 validators, vigil's ABCI app, ledger/cometbft client) and of Ethereum
 * (anvil with 1 s interval mining, one Anchor.anchor transaction per commit),
 * each as distributions of
 * - sequential single-record commits: one waits for the previous. On Ethereum
 *   the samples come from `streams` independent sequential clients, each
 *   starting its commit at a uniformly random phase of the block interval (as
 *   independent requests arrive), so 1,000 samples take ~1,000 / streams
 *   seconds instead of 1,000 block intervals;
 * - concurrent single-record commits: all N submitted at once, one record per
 *   transaction;
 * - concurrent batched commits: all N at once through Merkle batching (the
 *   CometBFT client's batcher; on Ethereum one anchor of a Merkle root per
 *   `ETH_BATCH` records), latency per record from its submit to its receipt.
 */
import { type Hex, toHex, zeroHash } from 'viem'
import { createTestChain } from '../../ledger/ethereum/testing/index.ts'
import {
  createCometbftLedger,
  createVigilContracts,
  domainId,
  type Localnet,
  merkleRoot,
  startLocalnet,
} from '../../ledger/index.ts'

export type CommitMode = 'sequential-single' | 'concurrent-single' | 'concurrent-batched'
export type CommitSeries = {
  ledger: 'cometbft' | 'ethereum'
  mode: CommitMode
  latenciesMs: number[]
}

const ETH_BATCH = 100
type TestChain = Awaited<ReturnType<typeof createTestChain>>

export type Ledgers = {
  net: Localnet
  chain: TestChain
  anchor: ReturnType<typeof createVigilContracts>['anchor']
  domain: Hex
  nextHeight: () => bigint
  stop(): Promise<void>
}

/** A 4-validator localnet and anvil (1 s blocks) with the contracts and an anchorer. */
export async function startLedgers(): Promise<Ledgers> {
  const net = await startLocalnet({ validators: 4 })
  const chain = await createTestChain({ blockTimeSeconds: 1 }).catch(async (error) => {
    await net.stop()
    throw error
  })
  const admin = createVigilContracts(chain.admin.clients, chain.addresses)
  const domain = domainId('paper-bench')
  await admin.anchor.write('grantAnchorer', [domain, chain.admin.address])
  let height = 0n
  return {
    net,
    chain,
    anchor: admin.anchor,
    domain,
    nextHeight: () => ++height,
    async stop() {
      await chain[Symbol.asyncDispose]()
      await net.stop()
    },
  }
}

const record = (run: string, i: number) => ({
  kind: 'feature_hash' as const,
  key: `paper/${run}/${i}`,
  dataHex: Bun.SHA256.hash(`${run}/${i}`, 'hex') as string,
})

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return performance.now() - started
}

/** CometBFT: `n` commits sequentially or all at once, one record per tx or batched. */
export async function cometbftSeries(ledgers: Ledgers, mode: CommitMode, n: number) {
  const signer = ledgers.net.nodeKeys[0]
  if (!signer) throw new Error('the localnet has no node key')
  const batched = mode === 'concurrent-batched'
  const ledger = await createCometbftLedger({
    rpcUrls: ledgers.net.rpcUrls,
    signer,
    chainId: ledgers.net.chainId,
    batchSize: batched ? 4096 : 1,
    flushIntervalMs: batched ? 20 : 0,
    maxInFlightTxs: batched ? 8 : Math.max(16, n),
    maxPendingRecords: Math.max(50_000, n * 2),
  })
  const run = `${mode}-${Date.now().toString(36)}`
  try {
    const latenciesMs: number[] = []
    if (mode === 'sequential-single') {
      for (let i = 0; i < n; i++) latenciesMs.push(await timed(() => ledger.commit(record(run, i))))
    } else {
      const all = Array.from({ length: n }, (_, i) => timed(() => ledger.commit(record(run, i))))
      latenciesMs.push(...(await Promise.all(all)))
    }
    return { ledger: 'cometbft', mode, latenciesMs } satisfies CommitSeries
  } finally {
    await ledger.close()
  }
}

/** One Anchor.anchor transaction for `count` records (a Merkle root of their hashes). */
function anchorOf(ledgers: Ledgers, run: string, first: number, count: number) {
  const leaves = Array.from({ length: count }, (_, k) => Bun.SHA256.hash(`${run}/${first + k}`))
  const root = toHex(merkleRoot(leaves as Uint8Array[]))
  const height = ledgers.nextHeight()
  return ledgers.anchor.write('anchor', [ledgers.domain, height, zeroHash, root, BigInt(count)])
}

/** Ethereum: sequential streams at random block phase, or all at once (single or batched). */
export async function ethereumSeries(ledgers: Ledgers, mode: CommitMode, n: number, streams = 20) {
  const run = `${mode}-${Date.now().toString(36)}`
  const latenciesMs: number[] = []
  if (mode === 'sequential-single') {
    let next = 0
    const stream = async () => {
      for (let i = next++; i < n; i = next++) {
        await Bun.sleep(Math.random() * 1000)
        latenciesMs.push(await timed(() => anchorOf(ledgers, run, i, 1)))
      }
    }
    await Promise.all(Array.from({ length: Math.min(streams, n) }, stream))
  } else if (mode === 'concurrent-single') {
    const all = Array.from({ length: n }, (_, i) => timed(() => anchorOf(ledgers, run, i, 1)))
    latenciesMs.push(...(await Promise.all(all)))
  } else {
    const started = performance.now()
    const batches = Array.from({ length: Math.ceil(n / ETH_BATCH) }, async (_, b) => {
      const count = Math.min(ETH_BATCH, n - b * ETH_BATCH)
      await anchorOf(ledgers, run, b * ETH_BATCH, count)
      const latency = performance.now() - started
      for (let k = 0; k < count; k++) latenciesMs.push(latency)
    })
    await Promise.all(batches)
  }
  return { ledger: 'ethereum', mode, latenciesMs } satisfies CommitSeries
}
