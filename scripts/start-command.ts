/**
 * `vigil start` (what `npm start` runs): a one-machine domain — one fog and
 * two edge hosts as separate processes on loopback — with keys, enrollment
 * and configs generated under `.data/domain/`. Prints where the gateway is,
 * then runs until Ctrl-C, when every host leaves gracefully.
 */
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Command } from '../runtime/cli/command.ts'
import { startDomain } from '../runtime/domain/start-domain.ts'

export const startCommand: Command = {
  name: 'start',
  summary: 'start a one-machine domain (1 fog + 2 edge hosts) and print the gateway address',
  options: {
    dir: {
      type: 'string',
      description: 'where keys, configs and run files go',
      default: '.data/domain',
    },
    edges: { type: 'string', description: 'number of edge hosts', default: '2' },
    verbose: { type: 'boolean', description: 'print every host log line' },
  },
  async run({ values, out }) {
    const dir = resolve(String(values.dir))
    // Fresh keys each start: the demo domain is disposable.
    await rm(dir, { recursive: true, force: true })
    out('vigil: starting a one-machine domain (fog-1, edge-1, edge-2)…')
    const domain = await startDomain({
      dir,
      edges: Number(values.edges),
      onLog: values.verbose ? (id, line) => out(`[${id}] ${line}`) : undefined,
    })
    out('')
    for (const host of domain.hosts.values()) {
      out(
        `  ${host.id.padEnd(7)} pid ${host.run.pid}  rpc ${host.run.rpc}  gateway ${host.run.http}`,
      )
    }
    out('')
    out(`gateway: ${domain.gatewayUrl}`)
    out(
      `  try:    curl -s -X POST ${domain.gatewayUrl}/v1/actors/echo/echo.say -d '{"text":"hello"}'`,
    )
    out(`  api:    ${domain.gatewayUrl}/v1/openapi.json   metrics: ${domain.gatewayUrl}/metrics`)
    out(`  status: bun run vigil host status --config ${join(dir, 'hosts', 'fog-1.json')}`)
    out(`  actors: bun run vigil actors ls --config ${join(dir, 'hosts', 'fog-1.json')}`)
    out('Ctrl-C stops the domain.')
    const stop = Promise.withResolvers<void>()
    process.once('SIGINT', () => stop.resolve())
    process.once('SIGTERM', () => stop.resolve())
    await stop.promise
    out('vigil: stopping the domain…')
    await domain.stop()
    return 0
  },
}
