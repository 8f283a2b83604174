/**
 * `vigil actors …`: where the domain's actors run, and rolling code swaps.
 */
import { resolve } from 'node:path'
import type { ActorPlacement } from '../host/place-actors.ts'
import type { HostSwapResult } from '../host/start-host.ts'
import { adminRequest, adminTargetOptions, resolveAdminTarget } from './admin-client.ts'
import { type Command, UsageError } from './command.ts'
import { stringFlag } from './command-flags.ts'

const lsCommand: Command = {
  name: 'ls',
  summary: 'list deployed actors and the hosts that run them',
  usage: '--config <file> | --url <gateway> --token-file <file>',
  options: adminTargetOptions,
  async run({ values, out }) {
    const answer = (await adminRequest(await resolveAdminTarget(values), 'placement')) as {
      host: string
      placement: Record<string, ActorPlacement>
      load: Record<string, number>
    }
    if (values.json) {
      out(JSON.stringify(answer, null, 2))
      return 0
    }
    out(`placement as seen by ${answer.host}:`)
    for (const placement of Object.values(answer.placement).sort((a, b) =>
      a.actor < b.actor ? -1 : 1,
    )) {
      const where = placement.hosts.length
        ? placement.hosts.join(', ')
        : `UNPLACED: ${placement.problem}`
      out(`  ${placement.actor.padEnd(20)} ${(placement.tier ?? '-').padEnd(9)} ${where}`)
    }
    out(
      `load: ${Object.entries(answer.load)
        .map(([host, load]) => `${host}=${load}`)
        .join(' ')}`,
    )
    return 0
  },
}

const swapCommand: Command = {
  name: 'swap',
  summary:
    'replace an actor’s code on every host that runs it, host by host (modules registered as swappable only)',
  usage:
    '<actor> <module> [--export <name>] (--config <file> | --url <gateway> --token-file <file>)',
  options: {
    ...adminTargetOptions,
    export: { type: 'string', description: 'export name in the module' },
  },
  async run({ values, positionals, out }) {
    const [actor, module] = positionals
    if (!actor || !module) throw new UsageError('give the actor name and the new module path')
    const exportName = stringFlag(values, 'export')
    const answer = (await adminRequest(await resolveAdminTarget(values), 'swap', {
      actor,
      module: resolve(module),
      ...(exportName === undefined ? {} : { export: exportName }),
    })) as { actor: string; hosts: HostSwapResult[] }
    if (values.json) {
      out(JSON.stringify(answer, null, 2))
    } else {
      for (const host of answer.hosts) {
        if (host.error) out(`  ${host.hostId}: FAILED ${host.error.code}: ${host.error.message}`)
        else if (host.swapped)
          out(
            `  ${host.hostId}: v${host.fromVersion} → v${host.toVersion} (pause ${host.pauseMs} ms)`,
          )
        else out(`  ${host.hostId}: not running here (deployment updated)`)
      }
    }
    return answer.hosts.some((host) => host.error) ? 1 : 0
  },
}

export const actorsCommand: Command = {
  name: 'actors',
  summary: 'inspect placement and swap actor code across hosts',
  subcommands: [lsCommand, swapCommand],
}
