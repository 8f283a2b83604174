/**
 * Who may write which ledger keys. Every record key is `<kind>:<owner>/<rest>`,
 * and only the owner writes under it: a host principal `host:<hostId>` writes
 * `<kind>:<hostId>/…` (e.g. its ENF fingerprints, `enf:edge-1/cam-1:42`), a
 * user principal (a lower-case Ethereum address `0x…`) writes
 * `<kind>:<address>/…`. Anything else, including a message without a caller,
 * is refused with ACCESS_NAMESPACE before the record reaches the chain, so no
 * caller can squat another's keys (ledger keys are write-once).
 *
 * The caller is read from the handler context (`context.caller`, carried by
 * the runtime from the gateway's authentication or the sending host).
 */
import { defineError, HOST_CALLER_PREFIX } from '../../runtime/index.ts'

/** The part of the runtime's `Caller` the namespace rule needs. */
export type NamespaceCaller = { readonly id: string }

/** A write under a key the caller does not own (HTTP 403). */
export class AccessNamespaceError extends defineError('ACCESS_NAMESPACE', 'application') {}

const ADDRESS = /^0x[0-9a-f]{40}$/
const KEY = /^[a-z][a-z0-9_-]*:([^/:]+)\/./

/** The namespace a principal owns (its host id or address), or undefined when it owns none. */
export function namespaceOf(caller: NamespaceCaller): string | undefined {
  if (caller.id.startsWith(HOST_CALLER_PREFIX)) {
    const hostId = caller.id.slice(HOST_CALLER_PREFIX.length)
    return /^[A-Za-z0-9._-]{1,64}$/.test(hostId) ? hostId : undefined
  }
  return ADDRESS.test(caller.id) ? caller.id : undefined
}

/** Throws ACCESS_NAMESPACE unless `caller` owns the namespace of every key. */
export function assertWritableBy(
  caller: NamespaceCaller | undefined,
  keys: readonly string[],
): void {
  if (!caller) {
    throw new AccessNamespaceError(
      'The ledger accepts writes only from an identified caller (a host, or a signed-in user)',
    )
  }
  const owned = namespaceOf(caller)
  if (owned === undefined) {
    throw new AccessNamespaceError(
      `Principal ${caller.id} owns no ledger namespace: only hosts (host:<id>) and registered accounts (0x…) write records`,
    )
  }
  for (const key of keys) {
    if (KEY.exec(key)?.[1] !== owned) {
      throw new AccessNamespaceError(
        `Ledger key ${key} is outside your namespace: ${caller.id} writes only keys <kind>:${owned}/…`,
        { meta: { key, namespace: owned } },
      )
    }
  }
}
