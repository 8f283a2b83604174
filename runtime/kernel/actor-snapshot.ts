/**
 * An actor's state as the kernel exports and imports it: plain data that
 * survives structured clone and msgpack, so it can be written to disk or
 * sent to another host. `seq` counts the snapshots of one actor's lineage
 * (a restored actor continues from the imported `seq`), so of two copies the
 * one with the larger `seq` is the newer.
 *
 * ```ts
 * const snapshot = await system.exportSnapshot('counter')   // fresh, between two messages
 * system.lastSnapshot('counter')                            // the kernel's copy, without asking the worker
 * await other.spawn('counter', source, { restore: snapshot }) // resumes from it instead of init
 * ```
 */
export type ActorSnapshot = {
  /** The actor's name (address). */
  readonly actor: string
  /** The definition's `name` (actor kind); a snapshot only restores into the same kind. */
  readonly kind: string
  /** Code version that took it (`migrate` receives it as `fromVersion`). */
  readonly version: number
  /** Position in the actor's snapshot lineage; larger is newer. */
  readonly seq: number
  /** What the definition's `snapshot(state)` returned (the state itself without the hook). */
  readonly state: unknown
}

/**
 * Called with every snapshot the kernel receives (after each batch of an
 * actor with `snapshotEvery` > 0). When it returns a promise, the replies to
 * the messages the snapshot covers wait for it: a caller is answered only
 * after the effect of its message is persisted (e.g. replicated to another
 * host). When the promise rejects, those replies fail with
 * SNAPSHOT_NOT_PERSISTED.
 */
export type SnapshotHook = (snapshot: ActorSnapshot) => void | Promise<void>
