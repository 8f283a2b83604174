/**
 * viem clients for one EVM chain, from a chain id, an RPC URL and a key file: the only way the
 * Ethereum ledger reaches a chain. The account carries viem's nonce manager, so concurrent
 * writes from one key get consecutive nonces instead of colliding. Polling defaults to a low
 * interval suited to anvil and private chains; raise it for public networks.
 */
import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createNonceManager, jsonRpc } from 'viem/nonce'
import { EthChainMismatchError, EthRpcUnavailableError } from './errors.ts'
import { loadKeyFile } from './load-key-file.ts'

export type ChainClientsOptions = {
  /** EIP-155 chain id the endpoint must serve (31337 for anvil). */
  chainId: number
  /** JSON-RPC endpoint (http or https). Never logged: it may carry credentials. */
  rpcUrl: string
  /** File holding the sender's private key; omit for read-only clients. */
  keyFile?: string | undefined
  /** How often to poll for receipts and events, in ms. Default 50 (anvil). */
  pollingIntervalMs?: number | undefined
  /** Per-request RPC timeout in ms. Default 10,000. */
  requestTimeoutMs?: number | undefined
  /**
   * Give the account its own nonce manager (default true), so concurrent writes from one key get
   * consecutive nonces. false: viem's pending-count lookup per transaction, for a sender whose
   * writes are sequential (a security actor handles one message at a time).
   */
  ownNonces?: boolean | undefined
}

export type ChainClients = {
  readonly chain: Chain
  readonly publicClient: PublicClient<Transport, Chain>
  /** Present when a key file was given. */
  readonly walletClient: WalletClient<Transport, Chain, Account> | undefined
  readonly account: Account | undefined
  readonly pollingIntervalMs: number
}

/** Builds the clients and checks the endpoint serves `chainId` (throws ETH_CHAIN_MISMATCH). */
export async function createChainClients(options: ChainClientsOptions): Promise<ChainClients> {
  const pollingIntervalMs = options.pollingIntervalMs ?? 50
  const chain = defineChain({
    id: options.chainId,
    name: `evm-${options.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [options.rpcUrl] } },
  })
  const transport = http(options.rpcUrl, {
    timeout: options.requestTimeoutMs ?? 10_000,
    retryCount: 2,
  })
  const publicClient = createPublicClient({ chain, transport, pollingInterval: pollingIntervalMs })
  let served: number
  try {
    served = await publicClient.getChainId()
  } catch (error) {
    throw new EthRpcUnavailableError(
      `cannot reach the Ethereum JSON-RPC endpoint for chain ${options.chainId}; check the RPC URL and that the node runs`,
      // No `cause`: viem's message embeds the URL, which may carry an API key in its path.
      { details: rpcFailureDetails(error) },
    )
  }
  if (served !== options.chainId) throw new EthChainMismatchError(options.chainId, served)
  if (options.keyFile === undefined) {
    return { chain, publicClient, walletClient: undefined, account: undefined, pollingIntervalMs }
  }
  // One nonce manager per set of clients (not viem's module-wide one): no state shared between
  // unrelated chains or tests that happen to reuse a chain id.
  const nonceManager =
    options.ownNonces === false ? undefined : createNonceManager({ source: jsonRpc() })
  const account = privateKeyToAccount(await loadKeyFile(options.keyFile), { nonceManager })
  const walletClient = createWalletClient({
    account,
    chain,
    transport,
    pollingInterval: pollingIntervalMs,
  })
  return { chain, publicClient, walletClient, account, pollingIntervalMs }
}

/** viem's messages embed the request URL; keep only the first line, without URLs. */
export function rpcFailureDetails(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const firstLine = message.split('\n')[0] ?? ''
  return firstLine.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[rpc url]')
}

/** Asks an endpoint which chain it serves (for tools that take only a URL). */
export async function readChainId(rpcUrl: string, timeoutMs = 10_000): Promise<number> {
  const client = createPublicClient({ transport: http(rpcUrl, { timeout: timeoutMs }) })
  try {
    return await client.getChainId()
  } catch (error) {
    throw new EthRpcUnavailableError(
      'cannot reach the Ethereum JSON-RPC endpoint; check the URL and that the node runs',
      { details: rpcFailureDetails(error) },
    )
  }
}
