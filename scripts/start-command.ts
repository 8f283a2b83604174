/**
 * `vigil start` (what `npm start` runs): vigil's embedded default, a whole
 * one-machine domain on loopback:
 * - a CometBFT localnet (4 validators, each with its own ABCI app process)
 *   as the intra-domain ledger;
 * - anvil with 1 s blocks and vigil's contracts deployed, as the
 *   inter-domain ledger;
 * - one fog and two edge hosts as separate processes, running the ledger
 *   actors (fog), an ENF fingerprint actor per camera (its edge host) and an
 *   echo service everywhere.
 * Everything is generated under `--dir` (default `.data/vigil`, wiped at each
 * start: the demo domain is disposable). Prints where the gateway is and runs
 * until Ctrl-C, then stops every process it started.
 */
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { startLocalChain } from '../ledger/ethereum/start-local-chain.ts'
import { startLocalnet } from '../ledger/localnet/start-localnet.ts'
import type { Command } from '../runtime/cli/command.ts'
import { waitForStopSignal } from '../runtime/cli/wait-for-stop-signal.ts'
import { type DomainActorSpec, startDomain } from '../runtime/domain/start-domain.ts'
import { demoHosts, echoService } from './demo-domain.ts'

const ROOT = resolve(import.meta.dir, '..')

/** The actors of the embedded default deployment. */
export function defaultActors(options: {
  edges: number
  domainDir: string
  cometbft: { rpcUrls: readonly string[]; signerKeyFile: string; chainId: string }
  ethereum: { chainId: number; rpcUrl: string; keyFile: string; addressesFile: string }
}): DomainActorSpec[] {
  const actors: DomainActorSpec[] = [echoService()]
  actors.push(
    {
      name: 'ledger',
      module: join(ROOT, 'ledger', 'cometbft', 'cometbft-ledger-actor.ts'),
      args: {
        rpcUrls: [...options.cometbft.rpcUrls],
        signerKeyFile: options.cometbft.signerKeyFile,
        chainId: options.cometbft.chainId,
      },
      placement: { role: 'fog' },
    },
    {
      name: 'ethereum',
      module: join(ROOT, 'ledger', 'ethereum', 'ethereum-ledger-actor.ts'),
      args: {
        chainId: options.ethereum.chainId,
        rpcUrl: options.ethereum.rpcUrl,
        keyFile: options.ethereum.keyFile,
        addressesFile: options.ethereum.addressesFile,
        anchoring: {
          domain: options.cometbft.chainId,
          cometbftRpcUrl: options.cometbft.rpcUrls[0],
        },
      },
      placement: { role: 'fog' },
    },
  )
  for (let i = 1; i <= options.edges; i++) {
    actors.push({
      name: `enf-cam-${i}`,
      module: join(ROOT, 'actors', 'enf-fingerprint', 'enf-fingerprint-actor.ts'),
      // The edge host's own identity key signs its fingerprints.
      args: {
        signingKeyPath: join(options.domainDir, 'keys', `edge-${i}.pem`),
        ledgerActor: 'ledger',
        nominal: 50,
      },
      placement: { role: 'edge', labels: { camera: `cam-${i}` } },
    })
  }
  return actors
}

export const startCommand: Command = {
  name: 'start',
  summary:
    'start the one-machine domain: CometBFT validators, anvil with the contracts, 1 fog + 2 edge hosts',
  options: {
    dir: {
      type: 'string',
      description: 'where keys, configs, chain data and run files go (wiped at start)',
      default: '.data/vigil',
    },
    edges: { type: 'string', description: 'number of edge hosts', default: '2' },
    validators: { type: 'string', description: 'number of CometBFT validators', default: '4' },
    verbose: { type: 'boolean', description: 'print every host log line' },
    once: {
      type: 'boolean',
      description: 'stop again as soon as everything is up (a smoke test of the set-up)',
    },
  },
  async run({ values, out }) {
    const dir = resolve(String(values.dir))
    const edges = Number(values.edges)
    const validators = Number(values.validators)
    if (!Number.isInteger(edges) || edges < 1) throw new Error('--edges must be an integer ≥ 1')
    if (!Number.isInteger(validators) || validators < 1) {
      throw new Error('--validators must be an integer ≥ 1')
    }
    await rm(dir, { recursive: true, force: true })
    const stops: (() => Promise<void>)[] = []
    const stopAll = async () => {
      for (const stop of stops.reverse()) await stop().catch(() => {})
    }
    try {
      out(`vigil: starting a CometBFT localnet (${validators} validators)…`)
      const localnet = await startLocalnet({ validators, dir: join(dir, 'cometbft') })
      stops.push(() => localnet.stop())
      out(`  chain ${localnet.chainId}: ${localnet.rpcUrls.join(', ')}`)

      out('vigil: starting anvil (1 s blocks) and deploying the contracts…')
      const chain = await startLocalChain({
        dir: join(dir, 'ethereum'),
        blockTimeSeconds: 1,
        anchorDomains: [localnet.chainId],
      })
      stops.push(() => chain.stop())
      out(`  chain ${chain.chainId}: ${chain.rpcUrl}  contracts: ${chain.addressesFile}`)

      const domainDir = join(dir, 'domain')
      out(`vigil: starting the hosts (fog-1, ${edges} edge)…`)
      const domain = await startDomain({
        dir: domainDir,
        hosts: demoHosts({ edges }),
        actors: defaultActors({
          edges,
          domainDir,
          cometbft: {
            rpcUrls: localnet.rpcUrls,
            signerKeyFile: localnet.keyFiles.nodes[0] as string,
            chainId: localnet.chainId,
          },
          ethereum: {
            chainId: chain.chainId,
            rpcUrl: chain.rpcUrl,
            keyFile: chain.keyFile,
            addressesFile: chain.addressesFile,
          },
        }),
        onLog: values.verbose ? (id, line) => out(`[${id}] ${line}`) : undefined,
      })
      stops.push(() => domain.stop())
      out('')
      for (const host of domain.hosts.values()) {
        out(
          `  ${host.id.padEnd(7)} pid ${host.run.pid}  rpc ${host.run.rpc}  gateway ${host.run.http}`,
        )
      }
      const gw = domain.gatewayUrl
      const sample = resolve(
        ROOT,
        '..',
        'shared',
        'data',
        'enf',
        'ENFify',
        'notebooks',
        'Wuhan_ENF_data',
        'down_001.wav',
      )
      out('')
      out(`gateway: ${gw}`)
      out(`  echo:    curl -s -X POST ${gw}/v1/actors/echo/echo.say -d '{"text":"hello"}'`)
      out(`  ledger:  curl -s -X POST ${gw}/v1/actors/ledger/ledger.status -d '{}'`)
      out(
        `  enf:     curl -s -X POST ${gw}/v1/actors/enf-cam-1/enf.record -d '{"recordingId":"demo-1","audioPath":"${sample}"}'`,
      )
      out(`  api:     ${gw}/v1/openapi.json   metrics: ${gw}/metrics`)
      out(`  actors:  bun run vigil actors ls --config ${join(domainDir, 'hosts', 'fog-1.json')}`)
      if (values.once) {
        out('vigil: everything is up (--once): stopping.')
        return 0
      }
      out('Ctrl-C stops the domain.')
      await waitForStopSignal()
      out('vigil: stopping…')
      return 0
    } finally {
      await stopAll()
    }
  },
}
