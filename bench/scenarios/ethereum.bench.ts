/**
 * `bun run bench ethereum [--json] [--samples N] [--block-time S]`: the inter-domain ledger.
 *
 * - Ethereum commit latency: anvil with interval mining (default 1 s blocks, a real chain's
 *   behaviour), one Anchor.anchor transaction at a time, timed from the call (simulate + sign +
 *   send through the nonce manager) to the receipt. Sends arrive at a uniformly random phase of
 *   the block interval, as independent requests would; back-to-back sends would all start right
 *   after a block and measure a full interval each.
 * - CometBFT commit latency, same run: a 4-validator localnet (ledger/localnet) and the
 *   CometBFT ledger client (ledger/cometbft), one record per transaction, one at a time, timed
 *   from `commit` to its receipt (broadcast_tx_sync + Tx event confirmation).
 * - Gas per operation: issueToken (1 and 3 rights), registerNode, anchor.
 * - The anchor: the BlendSPS prototype measured 4.63 s mean commit on its geth PoW chain
 *   (peer-prototype.md §9); the ratio is printed beside ours. Target: p50 ≤ block interval + 100 ms.
 */
import { type Hex, keccak256, toHex, zeroHash } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createTestChain } from '../../ledger/ethereum/testing/index.ts'
import {
  createCometbftLedger,
  createVigilContracts,
  domainId,
  startLocalnet,
  toBytes32Name,
} from '../../ledger/index.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { round, summarize } from '../harness/stats.ts'

const PROTOTYPE_ETH_COMMIT_MEAN_MS = 4630
const PROTOTYPE_TENDERMINT_COMMIT_MEAN_MS = 3640

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`)
  const value = index >= 0 ? Number(args[index + 1]) : fallback
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`)
  return value
}

type Log = (line: string) => void

/** Gas of the setup writes and Ethereum commit latencies, one anchor at a time at a random block phase. */
async function measureEthereum(log: Log, samples: number, blockTimeSeconds: number) {
  const blockMs = blockTimeSeconds * 1000
  log(`starting anvil with ${blockTimeSeconds} s blocks and deploying the contracts…`)
  const chain = await createTestChain({ blockTimeSeconds })
  const latencies: number[] = []
  const gas: Record<string, number> = {}
  try {
    const admin = createVigilContracts(chain.admin.clients, chain.addresses)
    const domain = domainId('bench-domain')
    const zone = toBytes32Name('bench-zone')
    await Promise.all([
      admin.identityRegistry.write('createZone', [zone, chain.admin.address]),
      admin.anchor.write('grantAnchorer', [domain, chain.admin.address]),
    ])
    const node = privateKeyToAccount(generatePrivateKey()).address
    const registered = await admin.identityRegistry.write('registerNode', [node, 1, zone])
    gas.register_node = Number(registered.gasUsed)
    const block = await chain.admin.clients.publicClient.getBlock()
    const right = (resource: string) => ({
      resource,
      action: 'GET',
      startSecond: 0,
      endSecond: 0,
      zoneId: zeroHash,
      nodeTypes: 0,
    })
    const issued = await admin.capabilityAccessControl.write('issueToken', [
      node,
      block.timestamp + 86_400n,
      [right('/enf/records')],
    ])
    gas.issue_token = Number(issued.gasUsed)
    const node3 = privateKeyToAccount(generatePrivateKey()).address
    await admin.identityRegistry.write('registerNode', [node3, 2, zone])
    const issued3 = await admin.capabilityAccessControl.write('issueToken', [
      node3,
      block.timestamp + 86_400n,
      [right('/enf/records'), right('/video/live'), right('/video/archive')],
    ])
    gas.issue_token_3_rights = Number(issued3.gasUsed)

    log(`measuring ${samples} anchor commits (random phase within the ${blockMs} ms block)…`)
    for (let i = 0; i < samples; i++) {
      await Bun.sleep(Math.random() * blockMs)
      const root: Hex = keccak256(toHex(`sample-${i}`))
      const started = performance.now()
      const result = await admin.anchor.write('anchor', [domain, BigInt(i + 1), zeroHash, root, 1n])
      latencies.push(performance.now() - started)
      if (i === 0) gas.anchor = Number(result.gasUsed)
    }
  } finally {
    await chain[Symbol.asyncDispose]()
  }
  return { latencies: latencies.filter(Number.isFinite), gas }
}

/** CometBFT commit latencies on a 4-validator localnet, one record per transaction. */
async function measureCometbft(log: Log, samples: number): Promise<number[]> {
  log(`starting a 4-validator CometBFT localnet…`)
  const latencies: number[] = []
  const net = await startLocalnet({ validators: 4 })
  try {
    const key = net.nodeKeys[0]
    if (!key) throw new Error('the localnet has no node key')
    // One record per transaction, sent at once: the commit latency of a single write.
    const ledger = await createCometbftLedger({
      rpcUrls: net.rpcUrls,
      signer: key,
      chainId: net.chainId,
      flushIntervalMs: 0,
    })
    try {
      log(`measuring ${samples} CometBFT commits…`)
      for (let i = 0; i < samples; i++) {
        const started = performance.now()
        await ledger.commit({
          kind: 'feature_hash',
          key: `bench/${Date.now()}/${i}`,
          dataHex: 'ab'.repeat(32),
        })
        latencies.push(performance.now() - started)
      }
    } finally {
      await ledger.close()
    }
  } finally {
    await net.stop()
  }
  return latencies
}

/** Prints the latency table, the prototype comparison and the gas. */
function report(
  log: Log,
  blockMs: number,
  eth: ReturnType<typeof summarize>,
  comet: ReturnType<typeof summarize>,
  gas: Record<string, number>,
) {
  const targetMs = blockMs + 100
  log('')
  log(`${'commit latency, ms'.padEnd(34)}   n    mean     p50     p95     p99     max`)
  for (const [label, s] of [
    [`ethereum (anvil, ${blockMs} ms blocks)`, eth],
    ['cometbft (4 validators)', comet],
  ] as const) {
    log(
      `${label.padEnd(34)} ${String(s.n).padStart(3)} ${[s.mean, s.p50, s.p95, s.p99, s.max]
        .map((v) => round(v, 0).toString().padStart(8))
        .join('')}`,
    )
  }
  log('')
  log(
    `prototype (geth PoW) mean ${PROTOTYPE_ETH_COMMIT_MEAN_MS} ms vs ours ${round(eth.mean, 0)} ms: ` +
      `${round(PROTOTYPE_ETH_COMMIT_MEAN_MS / eth.mean, 2)}× faster (p50 ${round(PROTOTYPE_ETH_COMMIT_MEAN_MS / eth.p50, 2)}×)`,
  )
  log(
    `prototype Tendermint mean ${PROTOTYPE_TENDERMINT_COMMIT_MEAN_MS} ms vs our CometBFT ${round(comet.mean, 0)} ms: ` +
      `${round(PROTOTYPE_TENDERMINT_COMMIT_MEAN_MS / comet.mean, 2)}× faster`,
  )
  log(
    `target p50 ≤ ${targetMs} ms (block + 100 ms): ${eth.p50 <= targetMs ? 'met' : 'NOT met'} (p50 ${round(eth.p50, 0)} ms)`,
  )
  log('')
  log('gas per operation')
  for (const [operation, used] of Object.entries(gas)) log(`  ${operation.padEnd(22)} ${used}`)
}

export const scenario: BenchScenario = {
  name: 'ethereum',
  description:
    'Ethereum (anvil, interval mining) vs CometBFT (4 validators) commit latency, gas per operation',
  async run({ log, args }) {
    const samples = Math.round(option(args, 'samples', 40))
    const blockTimeSeconds = option(args, 'block-time', 1)
    const blockMs = blockTimeSeconds * 1000
    const measured = await measureEthereum(log, samples, blockTimeSeconds)
    const { gas } = measured
    const eth = summarize(measured.latencies)
    const comet = summarize(await measureCometbft(log, samples))
    const targetMs = blockMs + 100
    report(log, blockMs, eth, comet, gas)

    return {
      eth_commit_p50_ms: round(eth.p50, 1),
      eth_commit_p99_ms: round(eth.p99, 1),
      cometbft_commit_p50_ms: round(comet.p50, 1),
      gas_issue_token: gas.issue_token ?? null,
      gas_register_node: gas.register_node ?? null,
      gas_anchor: gas.anchor ?? null,
      gas_issue_token_3_rights: gas.issue_token_3_rights ?? null,
      eth_commit_mean_ms: round(eth.mean, 1),
      cometbft_commit_p99_ms: round(comet.p99, 1),
      cometbft_commit_mean_ms: round(comet.mean, 1),
      eth_block_time_ms: blockMs,
      samples,
      eth_target_p50_ms: targetMs,
      eth_target_met: eth.p50 <= targetMs,
      prototype_eth_commit_mean_ms: PROTOTYPE_ETH_COMMIT_MEAN_MS,
      eth_speedup_vs_prototype_mean: round(PROTOTYPE_ETH_COMMIT_MEAN_MS / eth.mean, 2),
    }
  },
}
