/**
 * Process entry of the paper benchmark's hosts: `runtime/host/main.ts`
 * (an open host, no plugins) plus one fault-injection hook. On SIGUSR2 the
 * host reads `<config>.kill`, a {@link ReplicaOrder}, and applies it to each
 * listed actor it runs:
 * - `drop`: kills the actor's worker thread (`system.killWorker`, as a crash
 *   would: its in-flight messages fail) and stops the actor at once, so the
 *   supervisor does not restart it: the replica has dropped out and stays out
 *   (the paper's dropout: fewer service instances for the step);
 * - `crash`: kills the worker only; the supervisor restarts it in a new one;
 * - `restore`: starts a dropped replica again (`system.spawn`, same module).
 * The dropout runs use it for service replicas, and SIGKILL of the whole
 * process to kill hosts.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { runHost } from '../../runtime/index.ts'

/** What `<config>.kill` holds. */
export type ReplicaOrder = {
  op: 'drop' | 'crash' | 'restore'
  actors: { name: string; module: string; export: string }[]
}

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { config: { type: 'string' }, json: { type: 'boolean', default: false } },
})
const configFile = values.config
if (!configFile) {
  console.error('usage: bun bench/paper/paper-host-main.ts --config <file> [--json]')
  process.exit(2)
}
await runHost({
  configFile,
  json: values.json === true,
  env: Bun.env,
  onReady(host) {
    // A dropped replica is stopped as its crash is reported (status `crashed`: nothing to drain),
    // before the supervisor's restart, which finds it stopping and does nothing.
    const dropping = new Set<string>()
    host.system.subscribe((event) => {
      if (event.type !== 'actor.crashed' || !dropping.delete(event.actor)) return
      void host.system.stop(event.actor).catch(() => undefined)
    })
    process.on('SIGUSR2', () => {
      const order = JSON.parse(readFileSync(`${configFile}.kill`, 'utf8')) as ReplicaOrder
      for (const actor of order.actors) {
        const here = host.system.has(actor.name)
        if (order.op === 'restore' && !here) {
          void host.system
            .spawn(actor.name, { module: actor.module, export: actor.export })
            .catch((error: unknown) => console.error(`restore ${actor.name}: ${error}`))
        } else if (order.op !== 'restore' && here) {
          if (order.op === 'drop') dropping.add(actor.name)
          host.system.killWorker(actor.name)
        }
      }
    })
  },
})
process.exit(0)
