/**
 * Which host holds an Ed25519 key, and whether it is registered in a zone:
 * the identity actor's `identity.host_of_key` (docs/security.md), asked from
 * inside the ENF actor's worker. Keys travel as base64 of their 32 raw bytes,
 * as in the domain's enrollment list.
 */
import type { ActorContext } from '../../runtime/index.ts'
import { BaseError } from '../../runtime/index.ts'
import { askDependency } from './ask-dependency.ts'

/** The identity actor's answer for one key. */
export type HostOfKey = {
  readonly hostId: string
  readonly address?: string | undefined
  readonly registered: boolean
  readonly nodeType?: string | undefined
  readonly zone?: string | undefined
}

/** Looks up the host of a key; null when the identity actor knows no host with it. */
export type HostDirectory = {
  hostOfKey(publicKeyHex: string): Promise<HostOfKey | null>
}

const LOOKUP_TIMEOUT_MS = 10_000

/** A HostDirectory backed by asks to the identity actor named `identityActor`. */
export function createHostDirectoryOverActor(
  context: ActorContext,
  identityActor: string,
): HostDirectory {
  return {
    async hostOfKey(publicKeyHex) {
      const publicKey = Buffer.from(publicKeyHex, 'hex').toString('base64')
      try {
        const reply = await askDependency<HostOfKey | null>(
          context,
          identityActor,
          'identity.host_of_key',
          { publicKey },
          LOOKUP_TIMEOUT_MS,
        )
        return reply && typeof reply.hostId === 'string' && reply.hostId !== '' ? reply : null
      } catch (error) {
        // The identity actor refusing this key (an application error) means: no such host.
        // An unreachable identity actor (ENF_DEPENDENCY_UNAVAILABLE) is a failure, not a verdict.
        if (BaseError.is(error) && error.kind === 'application') return null
        throw error
      }
    },
  }
}
