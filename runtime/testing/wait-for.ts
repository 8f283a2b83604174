/**
 * Waits for a condition instead of a fixed time: polls `condition` until it
 * returns a truthy value (which is returned) or `timeoutMs` passes (then
 * throws with `message`). For tests and set-up code that waits on real
 * processes; logic with timers takes an injected clock instead.
 */
export type WaitForOptions = {
  /** Give up after this many milliseconds. Default 20,000. */
  timeoutMs?: number | undefined
  /** Poll interval in milliseconds. Default 10. */
  intervalMs?: number | undefined
  /** What was awaited, for the error message. */
  message?: string | undefined
}

export async function waitFor<Value>(
  condition: () => Value | Promise<Value>,
  options: WaitForOptions = {},
): Promise<NonNullable<Value>> {
  const timeoutMs = options.timeoutMs ?? 20_000
  const intervalMs = options.intervalMs ?? 10
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await condition()
      if (value) return value as NonNullable<Value>
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${options.message ?? 'condition'}${why}`,
      )
    }
    await Bun.sleep(intervalMs)
  }
}
