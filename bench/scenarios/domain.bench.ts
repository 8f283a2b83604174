/**
 * `bun run bench domain [--json] [--seconds N]`: a domain across network
 * namespaces (root only), as tests/netns sets it up — 1 fog and 3 edges (2
 * validators) and anvil, each machine its own namespace on one bridge,
 * started with `vigil host start --config <folder>` inside it:
 * - netns_cross_host_msgs_per_s / netns_rtt_p50_us: `echo.say` over one RPC
 *   connection from edge-3's namespace (its own key; its host stopped
 *   meanwhile) to a host running echo, across veth and the bridge (window
 *   1,024; median of 3 rounds; then 2,000 one at a time);
 * - netns_commit_p50_ms: a record through edge-1's gateway to its integrity
 *   actor, signed there, committed by the ledger actor on the fog on the
 *   three validators (one at a time, 30 records; gateway and two cross-host
 *   hops included);
 * - host_ready_ms: edge-1's machine (host, CometBFT node, ABCI app) stopped
 *   and started again, from `vigil host start` to the host's ready report;
 * - revocation_effective_ms: from the operator pushing the re-signed list
 *   (revokeHost, in this process) to no host keeping a connection to edge-3.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type NetnsDomain, startNetnsDomain } from '../../ledger/testing/index.ts'
import { netnsUnavailable, waitFor } from '../../runtime/testing/index.ts'
import { revokeHost } from '../../scripts/deploy/revoke-host.ts'
import type { BenchScenario } from '../harness/bench-scenario.ts'
import { childOutput } from '../harness/child-output.ts'
import { percentile, round } from '../harness/stats.ts'

const CLIENT = join(import.meta.dir, 'netns-rpc-client.ts')

export const scenario: BenchScenario = {
  name: 'domain',
  description: 'a domain across network namespaces: cross-host RPC, commit, host start, revocation',
  async run({ log, args }) {
    const why = netnsUnavailable()
    if (why) throw new Error(`bench domain ${why}`)
    const at = args.indexOf('--seconds')
    const seconds = at >= 0 ? Number(args[at + 1]) || 3 : 3
    const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-domain-'))
    log('starting the domain in network namespaces (1 fog, 3 edges, anvil)…')
    // Mailboxes as in the hosts bench: a window of 1,024 per connection must not overflow them.
    const domain = await startNetnsDomain({ dir, description: { mailboxCapacity: 8192 } })
    try {
      log(
        `  ready after (parallel start): ${Object.entries(domain.readyMs)
          .map(([id, ms]) => `${id} ${Math.round(ms)} ms`)
          .join(', ')}`,
      )
      const messaging = await measureMessaging(domain, seconds, log)
      const commit = await measureCommits(domain, 30, log)
      await domain.stopMachine('edge-1')
      const hostReadyMs = await domain.startMachine('edge-1')
      log(`host ready (edge-1 machine restarted alone): ${Math.round(hostReadyMs)} ms`)
      const revocationMs = await measureRevocation(domain, log)
      return {
        netns_cross_host_msgs_per_s: messaging.msgsPerSecond,
        netns_cross_host_rounds: messaging.rounds,
        netns_rtt_p50_us: messaging.rttP50Us,
        netns_rtt_p99_us: messaging.rttP99Us,
        netns_commit_p50_ms: round(commit.p50, 1),
        netns_commit_p99_ms: round(commit.p99, 1),
        host_ready_ms: Math.round(hostReadyMs),
        revocation_effective_ms: round(revocationMs, 1),
      }
    } finally {
      await domain.stop()
      await rm(dir, { recursive: true, force: true })
    }
  },
}

type Messaging = { msgsPerSecond: number; rounds: number[]; rttP50Us: number; rttP99Us: number }

/** The RPC client in edge-3's namespace against a host that runs echo (edge-3's host stopped). */
async function measureMessaging(domain: NetnsDomain, seconds: number, log: (text: string) => void) {
  await domain.stopMachine('edge-3')
  // Echo's replicas move off edge-3 first: asks to a host that no longer runs it are PLACEMENT_STALE.
  const hosts = await waitFor(
    async () => {
      const placement = await domain.admin('fog-1', 'placement')
      const echo =
        (placement.body.placement as Record<string, { hosts: string[] }>).echo?.hosts ?? []
      return echo.length > 0 && !echo.includes('edge-3') ? echo : undefined
    },
    { timeoutMs: 10_000, message: 'echo placed without edge-3' },
  )
  const target = hosts.includes('fog-1') ? 'fog-1' : (hosts[0] as string)
  log(`cross-host echo.say from edge-3's namespace to ${target} (window 1024, 3 × ${seconds} s)…`)
  const child = domain.lab.spawnPiped('edge-3', [
    process.execPath,
    CLIENT,
    domain.machineDir('edge-3'),
    target,
    `${domain.lab.machine(target).address}:7400`,
    String(seconds),
  ])
  const { stdout, stderr, code } = await childOutput(child)
  if (code !== 0) throw new Error(`the RPC client failed: ${stderr}`)
  const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Messaging & {
    failed: number
    errors: Record<string, number>
  }
  log(
    `  ${result.msgsPerSecond} msg/s (rounds ${result.rounds.join(', ')}, failed ${result.failed} ${JSON.stringify(result.errors)}); rtt p50 ${result.rttP50Us} µs p99 ${result.rttP99Us} µs`,
  )
  await domain.startMachine('edge-3')
  return result
}

async function measureCommits(domain: NetnsDomain, count: number, log: (text: string) => void) {
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const record = {
      table: 'detections',
      id: `bench-${Date.now()}-${i}`,
      data: { cameraId: 'cam-1', i },
    }
    const t0 = performance.now()
    const reply = await domain.ask('edge-1', 'integrity-edge-1', 'integrity.record', {
      records: [record],
    })
    if (reply.status !== 200)
      throw new Error(`commit failed: ${reply.status} ${JSON.stringify(reply.body)}`)
    samples.push(performance.now() - t0)
  }
  const result = { p50: percentile(samples, 50), p99: percentile(samples, 99) }
  log(
    `record committed on 3 validators (edge-1 gateway → fog ledger actor): p50 ${round(result.p50, 1)} ms, p99 ${round(result.p99, 1)} ms`,
  )
  return result
}

async function measureRevocation(
  domain: NetnsDomain,
  log: (text: string) => void,
): Promise<number> {
  const others = ['fog-1', 'edge-1', 'edge-2']
  const connected = async (host: string) => {
    const status = await domain.admin(host, 'status')
    return (status.body.connections as { hostId: string; open: number }[]).some(
      (l) => l.hostId === 'edge-3' && l.open > 0,
    )
  }
  await waitFor(async () => (await Promise.all(others.map(connected))).every(Boolean), {
    timeoutMs: 15_000,
    message: 'edge-3 connected everywhere',
  })
  const t0 = performance.now()
  await revokeHost({ adminDir: join(domain.dir, 'domain', 'admin'), hostId: 'edge-3' })
  await waitFor(async () => (await Promise.all(others.map(connected))).every((c) => !c), {
    timeoutMs: 10_000,
    intervalMs: 5,
    message: 'every host dropped edge-3',
  })
  const ms = performance.now() - t0
  log(`revocation effective (push → no host connected to edge-3): ${round(ms, 1)} ms`)
  return ms
}
