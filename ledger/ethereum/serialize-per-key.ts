/**
 * Runs async sections one at a time per key, in call order, while different keys run in
 * parallel. writeContract uses it so that taking a nonce and handing the signed transaction to
 * the node happen as one step per sending account (see write-contract.ts for why).
 */

const tails = new Map<string, Promise<unknown>>()

/** Runs `section` after every earlier section queued under `key` has settled. */
export async function serializePerKey<T>(key: string, section: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve()
  const current = previous.then(section, section)
  // The queue must go on after a failed section; its error belongs to its own caller only.
  const tail = current.catch(() => undefined)
  tails.set(key, tail)
  try {
    return await current
  } finally {
    // Forget idle keys so the map does not grow with every account ever used.
    if (tails.get(key) === tail) tails.delete(key)
  }
}
