/**
 * The kernel's event stream: lifecycle and supervision facts as plain data
 * (never console output), for logs, metrics and tests. Listeners run
 * synchronously; one that throws is isolated from the others.
 */
import type { WireError } from '../errors/base-error.ts'
import type { ThreadPriority } from '../worker/thread-priority.ts'

export type SystemEvent =
  | {
      readonly type: 'actor.started'
      readonly actor: string
      readonly version: number
      readonly at: number
    }
  | {
      readonly type: 'actor.crashed'
      readonly actor: string
      readonly error: WireError
      /** The message being handled, when known. */
      readonly messageType: string | undefined
      /** `thrown`: a handler threw (the worker is reused); `worker-died`: the worker is replaced. */
      readonly how: 'thrown' | 'worker-died' | 'start-failed'
      readonly at: number
    }
  | {
      readonly type: 'actor.restarted'
      readonly actor: string
      readonly version: number
      readonly restarts: number
      readonly fromSnapshot: boolean
      readonly newWorker: boolean
      readonly at: number
    }
  | {
      readonly type: 'actor.stopped'
      readonly actor: string
      readonly reason: string
      readonly at: number
    }
  | {
      readonly type: 'actor.swapped'
      readonly actor: string
      readonly fromVersion: number
      readonly toVersion: number
      readonly pauseMs: number
      readonly at: number
    }
  | {
      readonly type: 'actor.swap_failed'
      readonly actor: string
      readonly fromVersion: number
      readonly error: WireError
      readonly at: number
    }
  | {
      /** The actor runs, but its worker thread could not take the priority it was spawned with. */
      readonly type: 'actor.priority_refused'
      readonly actor: string
      readonly priority: ThreadPriority
      readonly reason: string
      readonly at: number
    }
  | {
      readonly type: 'actor.log'
      readonly actor: string
      readonly event: string
      readonly data: Record<string, unknown> | undefined
      readonly at: number
    }
  | {
      readonly type: 'supervisor.restarting'
      readonly supervisor: string
      readonly child: string
      readonly targets: readonly string[]
      readonly delayMs: number
      readonly at: number
    }
  | {
      readonly type: 'supervisor.escalated'
      readonly supervisor: string
      readonly to: string
      readonly child: string
      readonly at: number
    }
  | {
      readonly type: 'supervisor.gave_up'
      readonly supervisor: string
      readonly child: string
      readonly stopped: readonly string[]
      readonly at: number
    }

export type SystemEventListener = (event: SystemEvent) => void

export class SystemEvents {
  #listeners = new Set<SystemEventListener>()
  #onListenerError: (error: unknown) => void

  constructor(onListenerError: (error: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: SystemEventListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  emit(event: SystemEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event)
      } catch (error) {
        this.#onListenerError(error)
      }
    }
  }
}
