/**
 * The actors every host of an initialised domain deploys (the same list on
 * every machine, as placement requires): the echo service, the ledger actor
 * (on a fog host; it signs with the key of the host it runs on, `host.pem`
 * in that machine's folder, which genesis enrolls), one integrity actor per
 * edge host (pinned to it: it signs that host's records with its key), and
 * the description's own actors.
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
    ...edges.map((edge) => ({
      name: `integrity-${edge.id}`,
      module: join(ROOT, 'actors', 'integrity', 'integrity-actor.ts'),
      args: { hostId: edge.id, signingKeyPath: 'host.pem', ledgerActor: 'ledger' },
      // Never elsewhere: another host's folder holds another key.
      placement: { role: 'edge' as const, labels: { host: edge.id }, fallback: 'none' as const },
    })),
    ...description.actors,
  ]
}
