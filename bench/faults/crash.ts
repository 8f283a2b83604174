/**
 * Fault `crash`: actor crash under load. One host (in this process, its real
 * HTTP gateway) runs a supervised, stateful ledger actor; a separate process
 * offers `--rate` (default 5,000) req/s of `ledger.apply {id}` for
 * `--seconds` (default 30) while the actor's worker thread is terminated
 * every `--kill-every-ms` (default 1,000; options as `--rate=2000`; `system.killWorker`, a real thread
 * termination). At the end every acknowledged (2xx) id must be in the
 * ledger's state, which came back from the kernel's snapshot after each kill.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDomainFiles, startHost } from '../../runtime/index.ts'
import { createMemoryTransport, testHostConfig } from '../../runtime/testing/index.ts'
import { percentile, round } from '../harness/stats.ts'
import { faultFlag as flag } from './fault-flag.ts'
import type { FaultRun } from './fault-run.ts'
import { checkLedger, type LedgerRead } from './ledger-check.ts'
import { runPacedLoad } from './paced-load.ts'

export const LEDGER_MODULE = join(
  import.meta.dir,
  '..',
  '..',
  'runtime',
  'testing',
  'ledger-actor-fixture.ts',
)

async function startLedgerHost(dir: string, capacity: number) {
  const files = await createDomainFiles({ dir, hosts: [{ id: 'fog-1', role: 'fog' }] })
  const host = await startHost({
    config: testHostConfig(files, 'fog-1', 'fog', {
      actors: [
        { name: 'ledger', module: LEDGER_MODULE, export: 'ledgerActor', args: { capacity } },
      ],
      // Kills come every second for 30 s: allow them, and restart at once each time.
      kernel: { restartIntensity: 10_000, backoffMinMs: 0 },
    }),
    log: () => {},
    transport: createMemoryTransport(),
  })
  for (let i = 0; i < 2000 && !host.system.has('ledger'); i++) await Bun.sleep(5)
  if (!host.system.has('ledger')) throw new Error('the ledger actor did not start')
  return host
}

export const crashFault: FaultRun = {
  name: 'crash',
  description: 'a supervised stateful actor whose worker is killed every second under 5,000 req/s',
  async run({ log, args }) {
    const rate = flag(args, 'rate', 5000)
    const seconds = flag(args, 'seconds', 30)
    const killEveryMs = flag(args, 'kill-every-ms', 1000)
    const dir = await mkdtemp(join(tmpdir(), 'vigil-crash-'))
    const host = await startLedgerHost(dir, Math.ceil(rate * seconds) + 1)
    try {
      const crashedAt: number[] = []
      const restartMs: number[] = []
      host.system.subscribe((event) => {
        if (event.type === 'actor.crashed') crashedAt.push(performance.now())
        if (event.type === 'actor.restarted') {
          restartMs.push(performance.now() - (crashedAt.at(-1) ?? Number.NaN))
        }
      })
      let kills = 0
      const timer = setInterval(() => {
        if (host.system.has('ledger') && host.system.killWorker('ledger')) kills++
      }, killEveryMs)
      const url = `${host.info.http}/v1/actors/ledger/ledger.apply`
      const load = await runPacedLoad({
        url,
        rate,
        seconds,
        firstId: 0,
        maxInFlight: 2000,
      }).finally(() => clearInterval(timer))
      for (let i = 0; i < 2000 && host.system.stats('ledger').status !== 'running'; i++) {
        await Bun.sleep(5)
      }
      const read = (await host.router.ask('ledger', 'ledger.read', {})) as LedgerRead
      const check = checkLedger(load, read, 0)
      const p50 = percentile(restartMs, 50)
      log(
        `offered ${rate} req/s for ${seconds} s: sent ${load.sent}, acknowledged ${check.acknowledged}, failed ${check.failed} ${JSON.stringify(check.codes)}, unanswered ${check.unanswered}`,
      )
      log(
        `worker kills ${kills}, restarts ${restartMs.length}: p50 ${round(p50, 2)} ms, max ${round(Math.max(...restartMs), 2)} ms (crash event → restarted event)`,
      )
      log(
        `acknowledged lost ${check.acknowledgedLost}; duplicated ${check.duplicated}; applied but not acknowledged ${check.appliedUnacknowledged}`,
      )
      return {
        crash_acknowledged_lost: check.acknowledgedLost,
        crash_failed_typed: check.failed,
        crash_failed_codes: check.codes,
        crash_unanswered: check.unanswered,
        crash_acknowledged: check.acknowledged,
        crash_restart_ms_p50: round(p50, 2),
        crash_restart_ms_max: round(Math.max(...restartMs), 2),
        crash_duplicated_replies: check.duplicated,
        crash_kills: kills,
      }
    } finally {
      await host.stop()
      await rm(dir, { recursive: true, force: true })
    }
  },
}
