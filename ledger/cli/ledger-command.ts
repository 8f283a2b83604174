/**
 * `vigil ledger …`: operate the intra-domain ledger from the command line.
 * `vigil ledger localnet --validators N [--dir D]` starts N validators (each
 * with its own ABCI app) on this machine and runs until interrupted, then
 * stops every process it started.
 */
import { type Command, serveUntilStopped, stringFlag, UsageError } from '../../runtime/index.ts'
import { FAST_TIMEOUTS } from '../localnet/localnet-timeouts.ts'
import { startLocalnet } from '../localnet/start-localnet.ts'

function intOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new UsageError(`--${name} must be a non-negative integer, got '${String(value)}'`)
  return parsed
}

const localnetCommand: Command = {
  name: 'localnet',
  summary: 'start a CometBFT network of N validators with vigil ABCI apps on this machine',
  usage: '--validators N [--dir D] [--propose-ms MS] [--vote-ms MS] [--commit-ms MS]',
  options: {
    validators: { type: 'string', short: 'n', description: 'number of validators', default: '4' },
    dir: {
      type: 'string',
      description:
        'folder for keys, configs, data and logs (reused if it holds a localnet; default: temp, removed on exit)',
    },
    'propose-ms': {
      type: 'string',
      description: `timeout_propose in ms (default ${FAST_TIMEOUTS.proposeMs})`,
    },
    'vote-ms': {
      type: 'string',
      description: `timeout_prevote/precommit in ms (default ${FAST_TIMEOUTS.voteMs})`,
    },
    'commit-ms': {
      type: 'string',
      description: `timeout_commit in ms (default ${FAST_TIMEOUTS.commitMs})`,
    },
  },
  async run({ values, out, err }) {
    const validators = intOption(values.validators, 'validators', 4)
    if (validators < 1) throw new UsageError('--validators must be at least 1')
    const net = await startLocalnet({
      validators,
      dir: stringFlag(values, 'dir'),
      timeouts: {
        proposeMs: intOption(values['propose-ms'], 'propose-ms', FAST_TIMEOUTS.proposeMs),
        voteMs: intOption(values['vote-ms'], 'vote-ms', FAST_TIMEOUTS.voteMs),
        commitMs: intOption(values['commit-ms'], 'commit-ms', FAST_TIMEOUTS.commitMs),
      },
      log: (event, data) => err(JSON.stringify({ event, ...data })),
    })
    return serveUntilStopped({
      out,
      started: { chainId: net.chainId, dir: net.dir, rpcUrls: net.rpcUrls, keyFiles: net.keyFiles },
      what: 'localnet',
      stop: () => net.stop(),
    })
  },
}

/** `vigil ledger`. */
export const ledgerCommand: Command = {
  name: 'ledger',
  summary: 'intra-domain CometBFT ledger: localnet',
  subcommands: [localnetCommand],
}
