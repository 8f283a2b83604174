/**
 * Fault `host-kill`: host kill -9 under load. A three-host domain
 * (runtime/testing/ledger-domain.ts) takes `--rate` (default 5,000) req/s of
 * `ledger.apply {id}` through fog-1's gateway for `--seconds` (default 20);
 * at `--kill-at-s` (default 8) edge-1, which runs the ledger, gets SIGKILL.
 * Figures: time from the kill to a survivor declaring edge-1 down (detect),
 * to edge-2 running the ledger again from its replicated snapshot
 * (re-place), and to the first acknowledged request sent after the kill
 * (recovery); acknowledged requests whose effect is missing (must be 0).
 */
import { rm } from 'node:fs/promises'
import { readLedgerOver, startLedgerDomain } from '../../runtime/testing/index.ts'
import { round } from '../harness/stats.ts'
import { faultFlag as flag } from './fault-flag.ts'
import type { FaultRun } from './fault-run.ts'
import { checkLedger, firstAcknowledgedAfter } from './ledger-check.ts'
import { runPacedLoad } from './paced-load.ts'

export const hostKillFault: FaultRun = {
  name: 'host-kill',
  description: 'the edge host running a stateful actor is killed with SIGKILL under 5,000 req/s',
  async run({ log, args }) {
    const rate = flag(args, 'rate', 5000)
    const seconds = flag(args, 'seconds', 20)
    const killAtS = flag(args, 'kill-at-s', 8)
    const setup = await startLedgerDomain(Math.ceil(rate * seconds) + 1)
    try {
      const url = `${setup.gateway}/v1/actors/ledger/ledger.apply`
      let killedAt = Number.NaN
      const kill = (async () => {
        await Bun.sleep(killAtS * 1000)
        killedAt = Date.now()
        await setup.domain.kill('edge-1')
      })()
      const load = await runPacedLoad({ url, rate, seconds, firstId: 0, maxInFlight: 2000 })
      await kill
      const check = checkLedger(load, await readLedgerOver(setup.gateway), 0)
      const detect =
        setup.timeOf((e) => e.event === 'host.peer_down' && e.peer === 'edge-1') - killedAt
      const replaced = setup.logs.find(
        (e) => e.event === 'host.actor_placed' && e.host === 'edge-2' && e.actor === 'ledger',
      )
      const replace = (replaced ? Date.parse(replaced.ts) : Number.NaN) - killedAt
      const recovery = firstAcknowledgedAfter(load, killedAt) - killedAt
      log(
        `offered ${rate} req/s for ${seconds} s, edge-1 killed at ${killAtS} s: sent ${load.sent}, acknowledged ${check.acknowledged}, failed ${check.failed} ${JSON.stringify(check.codes)}, unanswered ${check.unanswered}`,
      )
      log(
        `detected after ${round(detect)} ms, re-placed on edge-2 after ${round(replace)} ms (from snapshot seq ${String(replaced?.restoredSeq ?? 'none')}), first acknowledged request sent after the kill answered ${round(recovery)} ms after it`,
      )
      log(
        `acknowledged lost ${check.acknowledgedLost}; duplicated ${check.duplicated}; applied but not acknowledged ${check.appliedUnacknowledged}`,
      )
      return {
        host_kill_acknowledged_lost: check.acknowledgedLost,
        host_kill_failed: check.failed + check.unanswered,
        host_kill_failed_codes: check.codes,
        host_kill_acknowledged: check.acknowledged,
        host_kill_detect_ms: round(detect),
        host_kill_replace_ms: round(replace),
        host_kill_recovery_ms: round(recovery),
        host_kill_duplicated_replies: check.duplicated,
      }
    } finally {
      await setup.domain.stop()
      await rm(setup.dir, { recursive: true, force: true })
    }
  },
}
