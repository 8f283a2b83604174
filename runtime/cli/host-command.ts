/**
 * `vigil host …`: start a host, ask a running one for its status, create a host key.
 */
import { resolve } from 'node:path'
import { runHost } from '../host/run-host.ts'
import type { HostStatus } from '../host/start-host.ts'
import { generateHostKey, writeHostKey } from '../rpc/host-key.ts'
import { adminRequest, adminTargetOptions, resolveAdminTarget } from './admin-client.ts'
import { type Command, UsageError } from './command.ts'
import { requireFlags } from './command-flags.ts'

const startCommand: Command = {
  name: 'start',
  summary: 'start this machine’s host and join its domain',
  usage: '--config <file> [--json]',
  options: {
    config: { type: 'string', description: 'host config file (JSON or TOML)' },
    json: {
      type: 'boolean',
      description: 'log one JSON object per line instead of readable lines',
    },
  },
  async run({ values }) {
    const { config } = requireFlags(values, ['config'], '--config <file> is required')
    await runHost({ configFile: config, json: values.json === true, env: Bun.env })
    return 0
  },
}

const statusCommand: Command = {
  name: 'status',
  summary: 'show a running host’s members, connections and actors',
  usage: '--config <file> | --url <gateway> --token-file <file>',
  options: adminTargetOptions,
  async run({ values, out }) {
    const status = (await adminRequest(await resolveAdminTarget(values), 'status')) as HostStatus
    if (values.json) {
      out(JSON.stringify(status, null, 2))
      return 0
    }
    out(
      `host ${status.host.hostId} (${status.host.role}) ${status.ready ? 'ready' : 'joining'}, rss ${status.rssMb} MB`,
    )
    out(`  rpc ${status.host.rpc}  http ${status.host.http}`)
    out('members:')
    for (const member of status.members) {
      out(
        `  ${member.hostId.padEnd(12)} ${member.role.padEnd(5)} ${member.status.padEnd(7)} seen ${member.lastSeenAgoMs} ms ago  ${member.rpc}${member.deployment === status.host.deployment ? '' : `  DEPLOYMENT DIFFERS (${member.deployment})`}`,
      )
    }
    out('actors here:')
    for (const actor of status.actors) {
      out(
        `  ${actor.name.padEnd(20)} v${actor.version} ${actor.status.padEnd(9)} processed ${actor.processed} failed ${actor.failed} restarts ${actor.restarts} mailbox ${actor.mailboxDepth}`,
      )
    }
    const refused = Object.entries(status.refused)
    if (refused.length)
      out(`refused connections: ${refused.map(([code, n]) => `${code}=${n}`).join(' ')}`)
    return 0
  },
}

const keygenCommand: Command = {
  name: 'keygen',
  summary: 'create an Ed25519 key file (for a host or the domain administrator)',
  usage: '--out <file>',
  options: {
    out: { type: 'string', description: 'where to write the private key (PEM, mode 0600)' },
  },
  async run({ values, out }) {
    const path = resolve(requireFlags(values, ['out'], '--out <file> is required').out)
    if (await Bun.file(path).exists())
      throw new UsageError(`${path} exists; refusing to overwrite a key`)
    const key = generateHostKey()
    await writeHostKey(path, key)
    out(`wrote ${path}`)
    out(`public key: ${key.publicKeyBase64}`)
    return 0
  },
}

export const hostCommand: Command = {
  name: 'host',
  summary: 'run and inspect vigil hosts',
  subcommands: [startCommand, statusCommand, keygenCommand],
}
