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

/**
 * Which actors' answers the snapshot hook holds (their snapshots must be
 * persisted before a reply); default every actor. Such actors get no direct
 * links (direct-links.ts), whose answers would bypass the hook.
 */
export type SnapshotHookScope = (actor: string) => boolean

/** The system's snapshot hook and its scope, settable after the system is created. */
export class SnapshotHookSlot {
  #hook: SnapshotHook | undefined
  #scope: SnapshotHookScope = () => true

  constructor(hook: SnapshotHook | undefined) {
    this.#hook = hook
  }

  set(hook: SnapshotHook | undefined, scope?: SnapshotHookScope): void {
    this.#hook = hook
    this.#scope = scope ?? (() => true)
  }

  persist(snapshot: ActorSnapshot): void | Promise<void> {
    return this.#hook?.(snapshot)
  }

  /** Whether the hook holds `actor`'s answers until it persisted their snapshot. */
  holdsAnswers(actor: string): boolean {
    return this.#hook !== undefined && this.#scope(actor)
  }
}
