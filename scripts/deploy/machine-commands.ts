/**
 * The CLI's deployment commands, composed onto the runtime's own:
 * `vigil host start --config <file | machine folder>` (a folder from
 * `vigil domain init` starts the whole machine, start-machine.ts) and
 * `vigil domain init` beside `vigil domain enroll`.
 */
import { statSync } from 'node:fs'
import {
  type Command,
  createLogger,
  domainCommand,
  hostCommand,
  runHost,
  UsageError,
  waitForStopSignal,
} from '../../runtime/index.ts'
import { domainInitCommand } from './domain-init-command.ts'
import { domainAddCommand, domainRevokeCommand } from './domain-revoke-command.ts'
import { startMachine } from './start-machine.ts'

const runtimeStart = hostCommand.subcommands?.find((c) => c.name === 'start') as Command

const machineStartCommand: Command = {
  ...runtimeStart,
  summary:
    'start this machine: its host, and on a validator its CometBFT node and ABCI app (supervised)',
  usage: '--config <host config file | machine folder> [--json]',
  async run(context) {
    const config = context.values.config
    if (typeof config !== 'string') throw new UsageError('--config <file or folder> is required')
    if (!statSync(config, { throwIfNoEntry: false })?.isDirectory()) {
      await runHost({ configFile: config, json: context.values.json === true, env: Bun.env })
      return 0
    }
    const log = createLogger({ source: 'machine', json: context.values.json === true })
    const machine = await startMachine({ folder: config, log, hostOutput: 'inherit' })
    const signal = await waitForStopSignal()
    log('machine.stopping', { signal })
    await machine.stop()
    return 0
  },
}

export const deployHostCommand: Command = {
  ...hostCommand,
  subcommands: (hostCommand.subcommands ?? []).map((c) =>
    c.name === 'start' ? machineStartCommand : c,
  ),
}

export const deployDomainCommand: Command = {
  ...domainCommand,
  summary: 'administer the domain: init the machines, enroll, add and revoke hosts while running',
  subcommands: [
    domainInitCommand,
    ...(domainCommand.subcommands ?? []),
    domainAddCommand,
    domainRevokeCommand,
  ],
}
