/**
 * Fault `handoff`: stateful actor hand-off. The ledger actor of a
 * three-host domain (runtime/testing/ledger-domain.ts) on edge-1 takes `--messages`
 * (default 20,000) acknowledged `ledger.apply` requests through fog-1's
 * gateway (`--rate`, default 2,000 req/s); then edge-1 gets SIGKILL. The
 * actor must resume on edge-2 from the snapshot edge-1 replicated, not from
 * init: the figures say whether it did, and how many acknowledged messages
 * the state lacks afterwards (the loss window, in messages).
 */
import { rm } from 'node:fs/promises'
import { readLedgerOver, startLedgerDomain } from '../../runtime/testing/index.ts'
import { round } from '../harness/stats.ts'
import { faultFlag as flag } from './fault-flag.ts'
import type { FaultRun } from './fault-run.ts'
import { checkLedger } from './ledger-check.ts'
import { runPacedLoad } from './paced-load.ts'

export const handoffFault: FaultRun = {
  name: 'handoff',
  description: 'a stateful actor on a killed host resumes from its replicated snapshot',
  async run({ log, args }) {
    const messages = flag(args, 'messages', 20_000)
    const rate = flag(args, 'rate', 2000)
    const setup = await startLedgerDomain(messages + 1)
    try {
      const url = `${setup.gateway}/v1/actors/ledger/ledger.apply`
      const load = await runPacedLoad({
        ...{ url, rate, seconds: messages / rate },
        ...{ firstId: 0, maxInFlight: 1000 },
      })
      const before = checkLedger(load, await readLedgerOver(setup.gateway), 0)
      const killedAt = Date.now()
      await setup.domain.kill('edge-1')
      const read = await readLedgerOver(setup.gateway)
      const resumedAt = Date.now()
      const after = checkLedger(load, read, 0)
      const placed = setup.logs.find(
        (e) => e.event === 'host.actor_placed' && e.host === 'edge-2' && e.actor === 'ledger',
      )
      const restoredSeq = Number(placed?.restoredSeq ?? Number.NaN)
      const resumed = restoredSeq > 0 && read.applied >= before.acknowledged
      log(
        `${before.acknowledged} acknowledged on edge-1 (${before.failed} failed); after SIGKILL edge-2 resumed ${resumed ? 'from' : 'WITHOUT'} its snapshot (seq ${restoredSeq}) holding ${read.applied} applied ids, answering ${round(resumedAt - killedAt)} ms after the kill`,
      )
      log(`acknowledged ids missing after the hand-off: ${after.acknowledgedLost}`)
      return {
        handoff_resumed_from_snapshot: resumed,
        handoff_loss_window_messages: after.acknowledgedLost,
        handoff_restored_seq: restoredSeq,
        handoff_acknowledged: before.acknowledged,
        handoff_resume_ms: round(resumedAt - killedAt),
      }
    } finally {
      await setup.domain.stop()
      await rm(setup.dir, { recursive: true, force: true })
    }
  },
}
