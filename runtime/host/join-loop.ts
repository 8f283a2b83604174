/**
 * A host's heartbeat loop and the rule for when it has joined its domain.
 */
import type { Clock, TimerHandle } from '../clock/clock.ts'

/**
 * The heartbeat loop. The host has joined once every enrolled host is
 * connected and heard (so the first placement already sees the whole domain
 * and actors do not move right after start), or after the suspicion timeout
 * with whoever is there. `stop()` returns false when it was stopped already.
 */
export function startJoining(options: {
  clock: Clock
  intervalMs: number
  suspicionTimeoutMs: number
  tick(): void
  allConnected(): boolean
  onJoined(): void
}): { stop(): boolean } {
  const { clock } = options
  const startedAt = clock.now()
  let joined = false
  let stopped = false
  let timer: TimerHandle | undefined
  const tick = () => {
    timer = undefined
    if (stopped) return
    options.tick()
    if (
      !joined &&
      (clock.now() - startedAt >= options.suspicionTimeoutMs || options.allConnected())
    ) {
      joined = true
      options.onJoined()
    }
    timer = clock.setTimeout(tick, options.intervalMs)
  }
  tick()
  return {
    stop() {
      if (stopped) return false
      stopped = true
      if (timer !== undefined) clock.clearTimeout(timer)
      return true
    },
  }
}
