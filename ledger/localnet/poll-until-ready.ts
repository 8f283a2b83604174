/**
 * The localnet's readiness poll: asks `condition` every `intervalMs` until it
 * answers truthy, on the given clock. Production code (`vigil ledger
 * localnet`, `npm start`) waits on real processes here, so it has its own poll
 * instead of the test helper runtime/testing/wait-for.ts.
 *
 * A condition that throws is asked again (a node's RPC refuses connections
 * while it starts), except when it throws LedgerLocalnetError: that reports a
 * process that exited, and no amount of waiting brings it back.
 */
import type { Clock } from '../../runtime/index.ts'
import { sleep } from '../../runtime/index.ts'
import { LedgerLocalnetError } from '../errors.ts'

export type PollUntilReadyOptions = {
  readonly clock: Clock
  /** Give up after this long, ms. */
  readonly timeoutMs: number
  /** Time between two asks, ms. */
  readonly intervalMs: number
  /** What is awaited, for the timeout error ("cometbft 0 RPC at http://…"). */
  readonly what: string
}

/** Resolves once `condition` answers truthy; LEDGER_LOCALNET_FAILED when it does not in time. */
export async function pollUntilReady(
  condition: () => boolean | Promise<boolean>,
  options: PollUntilReadyOptions,
): Promise<void> {
  const { clock, timeoutMs, intervalMs, what } = options
  const deadline = clock.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      if (await condition()) return
    } catch (error) {
      if (LedgerLocalnetError.is(error)) throw error
      lastError = error
    }
    if (clock.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
      throw new LedgerLocalnetError(`timed out after ${timeoutMs} ms waiting for ${what}${why}`, {
        cause: lastError,
      })
    }
    await sleep(clock, intervalMs)
  }
}
