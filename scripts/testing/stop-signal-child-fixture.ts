/**
 * A long-running command for run-forwarding-signals.test.ts: says `ready`
 * (after `started <pid>` of a `sleep` it leaves behind, with `--leave-behind`),
 * waits for a stop signal as vigil's commands do, takes a moment to stop (as
 * a domain does), says `stopped <signal>` and exits with `--code` (default 0).
 */
import { waitForStopSignal } from '../../runtime/index.ts'

const at = process.argv.indexOf('--code')
const code = at >= 0 ? Number(process.argv[at + 1]) : 0
if (process.argv.includes('--leave-behind')) {
  // Ignores SIGINT, as a server that only stops on SIGTERM would.
  const left = Bun.spawn(['sh', '-c', "trap '' INT; sleep 600 & wait"], {
    stdio: ['ignore', 'ignore', 'ignore'],
  })
  process.stdout.write(`started ${left.pid}\n`)
  left.unref()
}
const stopped = waitForStopSignal()
process.stdout.write('ready\n')
const signal = await stopped
// An orderly stop that outlasts a duplicate signal's delivery.
await new Promise((resolve) => setTimeout(resolve, 300))
process.stdout.write(`stopped ${signal}\n`)
process.exit(code)
