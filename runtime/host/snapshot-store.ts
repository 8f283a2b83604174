/**
 * The signed snapshot replicas peers stored on this host (RPC
 * `actor.snapshot`, admitted by snapshot-trust.ts), newest per actor. When
 * the placement gives this host an actor whose host died, the actor resumes
 * from the newest copy any live host has (this store, or a peer's, fetched
 * with `actor.snapshot.fetch`), not from init.
 */
import type { SignedSnapshot } from './snapshot-seal.ts'

export type StoredSnapshot = { readonly snapshot: SignedSnapshot; readonly from: string }

export class SnapshotStore {
  readonly #byActor = new Map<string, StoredSnapshot>()

  /** Keeps the snapshot unless a newer one (larger `seq`) of the actor is here already. */
  put(snapshot: SignedSnapshot, from: string): void {
    const held = this.#byActor.get(snapshot.actor)
    if (held && held.snapshot.seq > snapshot.seq) return
    this.#byActor.set(snapshot.actor, { snapshot, from })
  }

  get(actor: string): StoredSnapshot | undefined {
    return this.#byActor.get(actor)
  }

  /** Actor → seq held, for status. */
  summary(): Record<string, number> {
    return Object.fromEntries([...this.#byActor].map(([actor, held]) => [actor, held.snapshot.seq]))
  }
}

/** Of several copies of one actor's state, the newest (largest `seq`). */
export function newestSnapshot<Copy extends { readonly seq: number }>(
  copies: readonly (Copy | undefined)[],
): Copy | undefined {
  let best: Copy | undefined
  for (const copy of copies) if (copy && (!best || copy.seq > best.seq)) best = copy
  return best
}
