/**
 * Process entry of the paper benchmark's hosts: `runtime/host/main.ts`
 * (an open host, no plugins) plus one fault-injection hook. On SIGUSR2 the
 * host reads `<config>.kill` (a JSON list of actor names) and kills the worker
 * thread of each of those actors it runs (`system.killWorker`, as a crash
 * would; the supervisor restarts it). The dropout runs use it to kill
 * service replicas, and SIGKILL of the whole process to kill hosts.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { runHost } from '../../runtime/index.ts'

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
    process.on('SIGUSR2', () => {
      const names = JSON.parse(readFileSync(`${configFile}.kill`, 'utf8')) as string[]
      for (const name of names) if (host.system.has(name)) host.system.killWorker(name)
    })
  },
})
process.exit(0)
