/**
 * Node failover for the CometBFT ledger client: one cosmjs client per RPC
 * endpoint, calls go to the active node and fail over, in order, to the
 * others on network errors only (an answer that is an error is the node's
 * answer, not a reason to ask another). The node that answered, even with an
 * error, becomes the active one. Listeners hear when the active node changes,
 * so the confirmation subscription follows it.
 */
import { Comet38Client, HttpClient } from '@cosmjs/tendermint-rpc'
import { LedgerUnavailableError } from '../errors.ts'

/**
 * Longest one RPC call may take, ms: a node that accepts connections but does not answer (stuck,
 * shutting down) counts as down, so calls fail over instead of waiting on it.
 */
export const RPC_CALL_TIMEOUT_MS = 10_000

/** The RPC endpoints of one network, with failover. */
export type NodePool = {
  /** Runs `call` on the active node, failing over to the others on network errors. */
  withNode<T>(call: (client: Comet38Client, url: string) => Promise<T>): Promise<T>
  /** Index of the node calls go to first. */
  readonly activeIndex: number
  /** RPC URL of the active node. */
  readonly activeUrl: string
  /** Calls `listener` after another node than the active one answered a call. */
  onActiveChanged(listener: () => void): void
  /** Closes every client. */
  disconnect(): void
}

/** One client per endpoint; calls start at the first. */
export function createNodePool(rpcUrls: readonly string[]): NodePool {
  if (rpcUrls.length === 0)
    throw new LedgerUnavailableError('no CometBFT RPC URL configured; pass rpcUrls')
  const clients = rpcUrls.map((url) =>
    Comet38Client.create(new HttpClient(url, RPC_CALL_TIMEOUT_MS)),
  )
  const listeners: (() => void)[] = []
  let active = 0

  function makeActive(index: number): void {
    if (index === active) return
    active = index
    for (const listener of listeners) listener()
  }

  async function withNode<T>(call: (client: Comet38Client, url: string) => Promise<T>): Promise<T> {
    let lastError: unknown
    const refusals: string[] = []
    // From where this call starts: concurrent calls move `active` meanwhile, and counting from
    // it would ask one node twice and skip another.
    const first = active
    for (let attempt = 0; attempt < clients.length; attempt++) {
      const index = (first + attempt) % clients.length
      try {
        const result = await call(clients[index] as Comet38Client, rpcUrls[index] as string)
        makeActive(index)
        return result
      } catch (error) {
        if (!isNetworkError(error)) {
          // It answered (with an error): it is up, so later calls start there.
          makeActive(index)
          throw error
        }
        lastError = error
        refusals.push(
          `${rpcUrls[index]}: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
    }
    throw new LedgerUnavailableError(
      `no CometBFT node answered (${rpcUrls.length} tried): ${refusals.join('; ')}`,
      { cause: lastError },
    )
  }

  return {
    withNode,
    get activeIndex() {
      return active
    },
    get activeUrl() {
      return rpcUrls[active] as string
    },
    onActiveChanged: (listener) => listeners.push(listener),
    disconnect() {
      for (const client of clients) client.disconnect()
    },
  }
}

/** True for errors that mean "this node did not answer" (worth trying the next one). */
function isNetworkError(error: unknown): boolean {
  const text =
    error instanceof Error
      ? `${error.name} ${error.message} ${String((error as { code?: unknown }).code ?? '')}`
      : String(error)
  return /ECONNREFUSED|ECONNRESET|fetch failed|Unable to connect|socket|network|ConnectionRefused|ConnectionClosed|EPIPE|timed out|FailedToOpenSocket/i.test(
    text,
  )
}
