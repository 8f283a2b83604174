/**
 * The Ed25519 public key of an enrolled host, parsed once and remembered
 * (also the absence of one), for session tokens and RFC 9421 signatures.
 */
import type { KeyObject } from 'node:crypto'
import { type HostServices, publicKeyFromBase64 } from '../../runtime/index.ts'

export type HostKeyLookup = (hostId: string) => KeyObject | undefined

export function createHostKeyLookup(enrollment: HostServices['enrollment']): HostKeyLookup {
  const keys = new Map<string, KeyObject | null>()
  return (hostId) => {
    let key = keys.get(hostId)
    if (key === undefined) {
      const peer = enrollment.get(hostId)
      key = peer ? publicKeyFromBase64(peer.publicKey) : null
      keys.set(hostId, key)
    }
    return key ?? undefined
  }
}
