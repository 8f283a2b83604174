/**
 * The subject access-control decides for: a session's address as is; for a
 * host signing with its key, the registered address the identity actor
 * binds that key to (remembered for a second, also its absence).
 */
import type { Caller, HostServices } from '../../runtime/index.ts'
import { AccessRefusedError } from './errors.ts'

type HostOfKey = { hostId?: string; address?: string; registered: boolean }

export type SubjectOf = (caller: Caller) => Promise<string>

export function createSubjectOf(
  services: HostServices,
  identityActor: string,
  askTimeoutMs: number,
): SubjectOf {
  const { clock } = services
  const hostAddresses = new Map<string, { address: string | undefined; until: number }>()
  return async (caller) => {
    if (!caller.id.startsWith('host:')) return caller.id
    const hostId = caller.id.slice(5)
    const known = hostAddresses.get(hostId)
    if (known && known.until > clock.now()) {
      if (known.address) return known.address
    } else {
      const peer = services.enrollment.get(hostId)
      const bound = peer
        ? await services.ask<HostOfKey>(
            identityActor,
            'identity.host_of_key',
            { publicKey: peer.publicKey },
            {
              timeoutMs: askTimeoutMs,
            },
          )
        : undefined
      const address = bound?.registered ? bound.address?.toLowerCase() : undefined
      hostAddresses.set(hostId, { address, until: clock.now() + 1000 })
      if (address) return address
    }
    throw new AccessRefusedError(
      'ACCESS_NOT_REGISTERED',
      `host ${hostId}'s key is not bound to a registered address; register the host in the identity registry`,
    )
  }
}
