/**
 * Per-track alert state with hysteresis: an alert rises after `consecutive`
 * evaluations at or above `on` and clears only when suspicion drops under
 * `off`, so a score hovering at the threshold does not flap.
 */
export type AlertHysteresis = {
  /** Feeds one suspicion for a track; returns whether its alert is raised. */
  observe(trackId: number, suspicion: number): boolean
}

/** Creates the alert state for one camera. */
export function createAlertHysteresis(settings: {
  on: number
  off: number
  consecutive: number
}): AlertHysteresis {
  const streak = new Map<number, number>()
  const raised = new Set<number>()
  return {
    observe(trackId, suspicion) {
      if (raised.has(trackId)) {
        if (suspicion < settings.off) raised.delete(trackId)
        return raised.has(trackId)
      }
      const n = suspicion >= settings.on ? (streak.get(trackId) ?? 0) + 1 : 0
      streak.set(trackId, n)
      if (n >= settings.consecutive) raised.add(trackId)
      return raised.has(trackId)
    },
  }
}
