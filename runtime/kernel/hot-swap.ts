/**
 * Hot swap (OTP-style): replace a running actor's code without losing or
 * reordering a message. Start here to follow a swap; `system.swap(actor,
 * source)` calls {@link hotSwap}, which
 *
 * 1. imports the new definition (a failure changes nothing);
 * 2. takes a worker for the new code and has it import and compile the
 *    module — before pausing, so the pause covers only steps 3 and 4;
 * 3. in the cell's system lane (in-flight messages finish first; queued ones
 *    stay queued, in order) snapshots the old worker's state;
 * 4. starts the new worker with `migrate(fromVersion, snapshot)`;
 * 5. switches the cell to the new worker, ends the old one and emits
 *    `actor.swapped` with the pause.
 *
 * A failure in any step rolls back: the new worker ends, the old one keeps
 * serving, `actor.swap_failed` is emitted and the caller gets
 * MigrationFailedError. The actor's side is its `version` and `migrate`
 * hook (runtime/actor/define-actor.ts). Across a domain,
 * runtime/host/rolling-swap.ts runs this on each host in turn, loading only
 * modules runtime/host/swap-allow-list.ts admits.
 */
import {
  type ActorSource,
  importActorDefinition,
  type ResolvedActorSource,
  resolveActorSource,
} from '../actor/actor-source.ts'
import type { ActorDefinition } from '../actor/define-actor.ts'
import { ActorStoppedError, MigrationFailedError } from '../actor/errors.ts'
import { BaseError } from '../errors/base-error.ts'
import type { ActorWorker } from '../worker/actor-worker.ts'
import type { ActorCell } from './actor-cell.ts'

export type SwapResult = {
  readonly fromVersion: number
  readonly toVersion: number
  /** How long user-message dispatch was paused, milliseconds. */
  readonly pauseMs: number
}

/** Swaps `cell` to the code at `source`; rejects with MigrationFailedError after rolling back. */
export async function hotSwap(cell: ActorCell, source: ActorSource): Promise<SwapResult> {
  const resolved = resolveActorSource(source)
  let definition: ActorDefinition
  try {
    definition = await importActorDefinition(resolved)
  } catch (error) {
    throw swapFailed(cell, cell.version, undefined, error)
  }
  if (cell.status !== 'running') throw new ActorStoppedError(cell.name, `it is ${cell.status}`)
  const fromVersion = cell.version
  const next = await loadNewCode(cell, resolved, fromVersion, definition.version)
  const done = Promise.withResolvers<SwapResult>()
  const pausedAt = performance.now()
  cell.runControl(async () => {
    try {
      done.resolve(
        await migrateAndSwitch(cell, next, resolved, definition, { fromVersion, pausedAt }),
      )
    } catch (error) {
      void next.terminate()
      done.reject(swapFailed(cell, fromVersion, definition.version, error))
    }
  })
  return done.promise
}

/** Step 2: a worker with the new module imported and compiled, or MigrationFailedError. */
async function loadNewCode(
  cell: ActorCell,
  source: ResolvedActorSource,
  fromVersion: number,
  toVersion: number,
): Promise<ActorWorker> {
  let next: ActorWorker
  try {
    next = await cell.newWorker()
  } catch (error) {
    throw swapFailed(cell, fromVersion, toVersion, error)
  }
  try {
    const loaded = await next.request({ t: 'load', source })
    if (loaded.t === 'start-failed') throw BaseError.fromWire(loaded.error)
    if (loaded.t !== 'loaded') throw new Error(`unexpected answer '${loaded.t}'`)
  } catch (error) {
    void next.terminate()
    throw swapFailed(cell, fromVersion, toVersion, error)
  }
  return next
}

/** Steps 3–5, run while dispatch is paused; throws to roll back. */
async function migrateAndSwitch(
  cell: ActorCell,
  next: ActorWorker,
  source: ResolvedActorSource,
  definition: ActorDefinition,
  { fromVersion, pausedAt }: { fromVersion: number; pausedAt: number },
): Promise<SwapResult> {
  const current = cell.worker
  if (!current || cell.status !== 'running') {
    throw new ActorStoppedError(cell.name, `it is ${cell.status}`)
  }
  // Direct links into the old worker close first: what they carried and it did not start is re-sent
  // through the kernel, which holds it in the mailbox until the new code serves.
  await cell.closeLinks(current)
  const snapshot = await current.request({ t: 'snapshot' })
  if (snapshot.t !== 'snapshot') throw new Error(`unexpected answer '${snapshot.t}'`)
  if (snapshot.error) throw BaseError.fromWire(snapshot.error)
  const restore = { fromVersion: snapshot.version, snapshot: snapshot.value }
  const answer = await next.request(cell.startMessage(source, restore))
  if (answer.t === 'start-failed') throw BaseError.fromWire(answer.error)
  if (answer.t !== 'started') throw new Error(`unexpected answer '${answer.t}'`)
  cell.notePriority(answer.priority)
  const toVersion = answer.version
  const replaced = cell.switchTo({ worker: next, source, definition, version: toVersion, restore })
  void cell.retire(replaced, 'it was swapped to new code')
  const pauseMs = performance.now() - pausedAt
  cell.emit({ type: 'actor.swapped', actor: cell.name, fromVersion, toVersion, pauseMs })
  return { fromVersion, toVersion, pauseMs }
}

function swapFailed(
  cell: ActorCell,
  fromVersion: number,
  toVersion: number | undefined,
  error: unknown,
): MigrationFailedError {
  const failure = new MigrationFailedError(cell.name, fromVersion, toVersion, { cause: error })
  cell.emit({ type: 'actor.swap_failed', actor: cell.name, fromVersion, error: failure.toWire() })
  return failure
}
