/**
 * Delay before a restart: the first restart within a period is immediate
 * (a one-off crash should cost nothing), later ones wait `minMs`, `2·minMs`,
 * `4·minMs`… capped at `maxMs`, so a crash loop cannot spin the host.
 */
export type RestartBackoffOptions = { minMs: number; maxMs: number }

/** `recentRestarts` is how many restarts the window already holds (0 for the first). */
export function restartBackoffMs(recentRestarts: number, options: RestartBackoffOptions): number {
  if (recentRestarts <= 0) return 0
  const delay = options.minMs * 2 ** Math.min(30, recentRestarts - 1)
  return Math.min(options.maxMs, delay)
}
