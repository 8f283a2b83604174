/**
 * One validator's CometBFT home for a domain spread over machines:
 * `cometbft init` on that machine's folder makes its node and validator keys
 * (they never leave that folder); {@link writeDomainGenesis} then writes the
 * one genesis every validator shares — the validator set, the app's enrolled
 * signers (app_state) and the chain id; {@link writeValidatorConfig} sets its
 * addresses and its persistent peers by address.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { GenesisAppStateInput } from '../abci/genesis-app-state.ts'
import { LedgerLocalnetError } from '../errors.ts'
import { FAST_TIMEOUTS } from '../localnet/localnet-timeouts.ts'
import { patchToml, tomlString } from '../localnet/patch-toml.ts'

export type ValidatorHome = {
  readonly name: string
  readonly home: string
  readonly nodeId: string
  /** CometBFT's validator address (hex) and public key, from priv_validator_key.json. */
  readonly address: string
  readonly pubKey: { readonly type: string; readonly value: string }
  /** Voting power in genesis. */
  readonly power: number
}

/** `cometbft init` in `home` (keys made there); answers the node id and validator public key. */
export async function initValidatorHome(
  binary: string,
  home: string,
  name: string,
  power = 1,
): Promise<ValidatorHome> {
  runCometbft(binary, ['init', '--home', home])
  const nodeId = runCometbft(binary, ['show-node-id', '--home', home])
  const key = JSON.parse(
    await readFile(join(home, 'config', 'priv_validator_key.json'), 'utf8'),
  ) as { address: string; pub_key: { type: string; value: string } }
  return { name, home, nodeId, address: key.address, pubKey: key.pub_key, power }
}

/** Writes the shared genesis (validators, app_state, chain id) into every validator home. */
export async function writeDomainGenesis(
  homes: readonly ValidatorHome[],
  options: { chainId: string; appState: GenesisAppStateInput; maxBlockBytes?: number | undefined },
): Promise<string> {
  const first = homes[0]
  if (!first) throw new LedgerLocalnetError('a domain needs at least one validator')
  const genesis = JSON.parse(
    await readFile(join(first.home, 'config', 'genesis.json'), 'utf8'),
  ) as Record<string, unknown>
  genesis.chain_id = options.chainId
  genesis.genesis_time = new Date().toISOString()
  genesis.validators = homes.map((home) => ({
    address: home.address,
    pub_key: home.pubKey,
    power: String(home.power),
    name: home.name,
  }))
  genesis.app_state = options.appState
  const params = genesis.consensus_params as { block: { max_bytes: string } }
  params.block.max_bytes = String(options.maxBlockBytes ?? 4 * 1024 * 1024)
  const text = `${JSON.stringify(genesis, null, 2)}\n`
  for (const home of homes) await writeFile(join(home.home, 'config', 'genesis.json'), text)
  return text
}

/** Where a validator listens, and its peers (`nodeId@address:p2pPort`). */
export type ValidatorNetwork = {
  readonly listenAddress: string
  readonly p2pPort: number
  readonly rpcPort: number
  readonly abciPort: number
  readonly peers: readonly string[]
}

/** Patches `<home>/config/config.toml` for a validator on its own machine. */
export async function writeValidatorConfig(
  home: ValidatorHome,
  network: ValidatorNetwork,
): Promise<void> {
  const file = join(home.home, 'config', 'config.toml')
  const ms = (value: number) => tomlString(`${value}ms`)
  const t = FAST_TIMEOUTS
  const patched = patchToml(await readFile(file, 'utf8'), {
    '': {
      proxy_app: tomlString(`tcp://127.0.0.1:${network.abciPort}`),
      moniker: tomlString(home.name),
      log_level: tomlString('error'),
    },
    rpc: { laddr: tomlString(`tcp://${network.listenAddress}:${network.rpcPort}`) },
    p2p: {
      laddr: tomlString(`tcp://${network.listenAddress}:${network.p2pPort}`),
      external_address: tomlString(`${network.listenAddress}:${network.p2pPort}`),
      persistent_peers: tomlString(network.peers.join(',')),
      addr_book_strict: 'false',
      // Several validators may share one address in tests on one machine (distinct ports).
      allow_duplicate_ip: 'true',
      pex: 'false',
      flush_throttle_timeout: ms(10),
    },
    mempool: { recheck: 'false' },
    consensus: {
      timeout_propose: ms(t.proposeMs),
      timeout_propose_delta: ms(t.proposeDeltaMs),
      timeout_prevote: ms(t.voteMs),
      timeout_precommit: ms(t.voteMs),
      timeout_commit: ms(t.commitMs),
      skip_timeout_commit: String(t.commitMs === 0),
      create_empty_blocks: 'false',
      peer_gossip_sleep_duration: ms(t.gossipSleepMs),
    },
  })
  await writeFile(file, patched)
}

/** Runs a cometbft subcommand to completion; answers its trimmed stdout. */
function runCometbft(binary: string, args: readonly string[]): string {
  const run = Bun.spawnSync([binary, ...args], { stdout: 'pipe', stderr: 'pipe' })
  if (run.exitCode !== 0) {
    throw new LedgerLocalnetError(`cometbft ${args[0]} failed: ${run.stderr.toString().trim()}`)
  }
  return run.stdout.toString().trim()
}
