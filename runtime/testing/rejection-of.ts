/**
 * Awaits a promise that should reject and returns its reason (throws if it
 * resolves). Use it instead of `await expect(promise).rejects…` for promises
 * settled by worker messages: in bun 1.4, `expect(p).rejects` waits without
 * delivering worker messages, so such a test hangs until its timeout.
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  const outcome = await promise.then(
    (value) => ({ resolved: true as const, value }),
    (reason: unknown) => ({ resolved: false as const, reason }),
  )
  if (outcome.resolved) {
    throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`)
  }
  return outcome.reason
}
