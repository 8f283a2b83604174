/**
 * The actors every host of an initialised domain deploys (the same list on
 * every machine, as placement requires): the echo service, the ledger actor
 * (on a fog host; it signs with the key of the host it runs on, `host.pem`
 * in that machine's folder, which genesis enrolls), one integrity actor per
 * edge host (pinned to it: it signs that host's records with its key), with
 * `ethereum.anchoring` the Ethereum ledger actor on a fog host anchoring the
 * domain's batch roots (the integrity actors then check anchors), and the
 * description's own actors.
 */
import { join } from 'node:path'
import type { HostConfigInput } from '../../runtime/index.ts'
import type { DomainDescription } from './domain-description.ts'

const ROOT = join(import.meta.dir, '..', '..')

type ActorInput = NonNullable<HostConfigInput['actors']>[number]

export function domainActors(options: {
  description: DomainDescription
  chainId: string
  cometRpcUrls: readonly string[]
}): ActorInput[] {
  const { description } = options
  const edges = description.hosts.filter((host) => host.role === 'edge')
  return [
    {
      name: 'echo',
      module: join(ROOT, 'scripts', 'echo-actor.ts'),
      placement: { replicas: Math.min(3, description.hosts.length) },
    },
    {
      name: 'ledger',
      module: join(ROOT, 'ledger', 'cometbft', 'cometbft-ledger-actor.ts'),
      // Relative to the host process's folder: the key of whichever host runs it (all are enrolled).
      args: {
        rpcUrls: [...options.cometRpcUrls],
        signerKeyFile: 'host.pem',
        chainId: options.chainId,
      },
      placement: { role: 'fog' },
    },
    ...ethereumActor(description, options),
    ...edges.map((edge) => ({
      name: `integrity-${edge.id}`,
      module: join(ROOT, 'actors', 'integrity', 'integrity-actor.ts'),
      args: {
        ...{ hostId: edge.id, signingKeyPath: 'host.pem', ledgerActor: 'ledger' },
        ...(description.ethereum?.anchoring ? { ethereumActor: ETHEREUM_ACTOR } : {}),
      },
      // Never elsewhere: another host's folder holds another key.
      placement: { role: 'edge' as const, labels: { host: edge.id }, fallback: 'none' as const },
    })),
    ...description.actors,
  ]
}

/** The files `vigil domain init` copies for anchoring, relative to a machine's folder. */
export const ANCHORING_FILES = { addresses: 'ethereum-addresses.json', key: 'ethereum.key' }

const ETHEREUM_ACTOR = 'ethereum'

/** With `ethereum.anchoring`: the Ethereum ledger actor on a fog host, anchoring the batches. */
function ethereumActor(
  description: DomainDescription,
  options: { chainId: string; cometRpcUrls: readonly string[] },
): ActorInput[] {
  const ethereum = description.ethereum
  if (!ethereum?.anchoring) return []
  return [
    {
      name: ETHEREUM_ACTOR,
      module: join(ROOT, 'ledger', 'ethereum', 'ethereum-ledger-actor.ts'),
      // Relative to the host process's folder: only fog machines hold the anchorer's key.
      args: {
        ...{ chainId: ethereum.chainId, rpcUrl: ethereum.rpcUrl },
        ...{ addressesFile: ANCHORING_FILES.addresses, keyFile: ANCHORING_FILES.key },
        anchoring: {
          domain: options.chainId,
          cometbftRpcUrl: options.cometRpcUrls[0] as string,
          intervalMs: ethereum.anchoring.intervalMs,
        },
      },
      placement: { role: 'fog', fallback: 'none' },
    },
  ]
}
