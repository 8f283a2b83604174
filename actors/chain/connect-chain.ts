/**
 * viem clients for a security actor: a public client for reads and log polling and, when the
 * actor signs (access-control's issuer), a wallet client for its own key file. The endpoint must
 * serve the configured chain id.
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
import { loadKeyFile } from '../../ledger/index.ts'
import { ChainMismatchError, ChainRpcUnavailableError } from './errors.ts'

export type ConnectChainOptions = {
  chainId: number
  /** Never logged: it may carry credentials. */
  rpcUrl: string
  /** Signing key file; omit for a read-only connection. */
  keyFile?: string | undefined
  pollingIntervalMs: number
}

export type ChainConnection = {
  readonly chain: Chain
  readonly publicClient: PublicClient<Transport, Chain>
  readonly wallet: { client: WalletClient<Transport, Chain, Account>; account: Account } | undefined
  readonly pollingIntervalMs: number
}

/** Connects and checks the chain id (ETH_RPC_UNAVAILABLE, ETH_CHAIN_MISMATCH). */
export async function connectChain(options: ConnectChainOptions): Promise<ChainConnection> {
  const chain = defineChain({
    id: options.chainId,
    name: `evm-${options.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [options.rpcUrl] } },
  })
  const transport = http(options.rpcUrl, { timeout: 10_000, retryCount: 2 })
  const pollingInterval = options.pollingIntervalMs
  const publicClient = createPublicClient({ chain, transport, pollingInterval })
  const served = await publicClient.getChainId().catch(() => {
    throw new ChainRpcUnavailableError(
      `cannot reach the Ethereum JSON-RPC endpoint for chain ${options.chainId}; check rpcUrl and that the node runs`,
    )
  })
  if (served !== options.chainId) throw new ChainMismatchError(options.chainId, served)
  if (options.keyFile === undefined) {
    return { chain, publicClient, wallet: undefined, pollingIntervalMs: pollingInterval }
  }
  const account = privateKeyToAccount(await loadKeyFile(options.keyFile))
  const client = createWalletClient({ account, chain, transport, pollingInterval })
  return { chain, publicClient, wallet: { client, account }, pollingIntervalMs: pollingInterval }
}
