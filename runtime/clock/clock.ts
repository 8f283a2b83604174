/**
 * Time, injected. Everything in vigil that waits (timeouts, backoff,
 * heartbeats, batching intervals) takes a {@link Clock}, so tests drive time
 * with {@link TestClock} instead of sleeping.
 */
export type TimerHandle = { readonly id: number }

export interface Clock {
  /** Milliseconds since the epoch (wall clock) or since the test clock's origin. */
  now(): number
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/** The real clock: `Date.now()` and the host's timers. */
export const systemClock: Clock = (() => {
  const handles = new Map<number, ReturnType<typeof setTimeout>>()
  let next = 1
  return {
    now: () => Date.now(),
    setTimeout(callback, ms) {
      const id = next++
      handles.set(
        id,
        setTimeout(() => {
          handles.delete(id)
          callback()
        }, ms),
      )
      return { id }
    },
    clearTimeout(handle) {
      const timer = handles.get(handle.id)
      if (timer !== undefined) clearTimeout(timer)
      handles.delete(handle.id)
    },
  }
})()

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms))
}
