/**
 * Signed snapshot replicas. The host that runs a stateful actor seals each
 * snapshot it replicates: the state as msgpack bytes, and its Ed25519 host
 * key's signature over (actor, kind, version, seq, signer, SHA-256 of those
 * bytes). Any host can then check, with the enrollment list alone, that the
 * enrolled host named as `signer` produced exactly this state at this `seq`;
 * whether that signer was entitled to the actor is snapshot-trust.ts's rule.
 *
 * ```ts
 * const seal = new SnapshotSeal({ hostId: 'edge-1', key, enrollment })
 * const signed = seal.seal(snapshot)     // on the owner, before `actor.snapshot`
 * seal.verify(signed)                    // on any host: true when the signature holds
 * openSnapshot(signed)                   // the ActorSnapshot to restore from
 * ```
 */

import type { KeyObject } from 'node:crypto'
import { Decoder, Encoder } from '@msgpack/msgpack'
import type { ActorSnapshot } from '../kernel/actor-snapshot.ts'
import type { Enrollment } from '../rpc/enrollment-list.ts'
import { type HostKey, publicKeyFromBase64, signBytes, verifyBytes } from '../rpc/host-key.ts'

/** A snapshot as it travels between hosts and sits in a replica store. */
export type SignedSnapshot = {
  readonly actor: string
  readonly kind: string
  readonly version: number
  readonly seq: number
  /** The snapshot's `state`, msgpack-encoded: the signature covers these exact bytes. */
  readonly state: Uint8Array
  /** The enrolled host that took the snapshot and signed it. */
  readonly signer: string
  /** Ed25519 signature by the signer's host key over {@link signedBytes}. */
  readonly signature: Uint8Array
}

export type SnapshotSealOptions = {
  /** This host: the signer of what it seals. */
  hostId: string
  key: HostKey
  /** Where signers' public keys come from. */
  enrollment: Enrollment
}

const encoder = new Encoder({ ignoreUndefined: true })

/** The bytes a signature covers: a canonical JSON of the header and the state's SHA-256. */
function signedBytes(snapshot: Omit<SignedSnapshot, 'signature'>): Uint8Array {
  const digest = new Bun.CryptoHasher('sha256').update(snapshot.state).digest('hex')
  const { actor, kind, version, seq, signer } = snapshot
  return new TextEncoder().encode(
    JSON.stringify(['vigil-snapshot-v1', actor, kind, version, seq, signer, digest]),
  )
}

export class SnapshotSeal {
  readonly #options: SnapshotSealOptions
  /** Signer → public key, imported once. */
  readonly #keys = new Map<string, KeyObject | null>()

  constructor(options: SnapshotSealOptions) {
    this.#options = options
  }

  get hostId(): string {
    return this.#options.hostId
  }

  /** Encodes the state and signs the snapshot as this host. */
  seal(snapshot: ActorSnapshot): SignedSnapshot {
    const unsigned = {
      actor: snapshot.actor,
      kind: snapshot.kind,
      version: snapshot.version,
      seq: snapshot.seq,
      state: encoder.encode(snapshot.state),
      signer: this.#options.hostId,
    }
    return { ...unsigned, signature: signBytes(this.#options.key, signedBytes(unsigned)) }
  }

  /** True when `signer` is enrolled and its key signed exactly this snapshot. */
  verify(signed: SignedSnapshot): boolean {
    const key = this.#keyOf(signed.signer)
    return key !== null && verifyBytes(key, signedBytes(signed), signed.signature)
  }

  #keyOf(hostId: string): KeyObject | null {
    let key = this.#keys.get(hostId)
    if (key === undefined) {
      const enrolled = this.#options.enrollment.find(hostId)
      try {
        key = enrolled ? publicKeyFromBase64(enrolled.publicKey) : null
      } catch {
        key = null
      }
      this.#keys.set(hostId, key)
    }
    return key
  }
}

/** The snapshot a verified replica holds, its state decoded (bounded by the bytes' own length). */
export function openSnapshot(signed: SignedSnapshot): ActorSnapshot {
  const max = signed.state.length
  const decoder = new Decoder({
    maxStrLength: max,
    maxBinLength: max,
    maxArrayLength: max,
    maxMapLength: max,
    maxExtLength: max,
  })
  const { actor, kind, version, seq } = signed
  return { actor, kind, version, seq, state: decoder.decode(signed.state) }
}
