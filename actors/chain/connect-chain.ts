/**
 * viem clients for a security actor: a public client for reads and log polling and, when the
 * actor signs (access-control's issuer), a wallet client for its own key file. Built by the
 * Ethereum ledger's `createChainClients` (one way to reach a chain); the endpoint must serve the
 * configured chain id.
 */
import type { Account, Chain, PublicClient, Transport, WalletClient } from 'viem'
import { createChainClients } from '../../ledger/index.ts'

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

/** Connects and checks the chain id (ETH_RPC_UNAVAILABLE, ETH_CHAIN_MISMATCH, ETH_KEY_FILE_INVALID). */
export async function connectChain(options: ConnectChainOptions): Promise<ChainConnection> {
  const clients = await createChainClients({
    chainId: options.chainId,
    rpcUrl: options.rpcUrl,
    keyFile: options.keyFile,
    pollingIntervalMs: options.pollingIntervalMs,
    // The kernel hands an actor one message at a time: its writes are sequential.
    ownNonces: false,
  })
  const { chain, publicClient, walletClient, account, pollingIntervalMs } = clients
  const wallet = walletClient && account ? { client: walletClient, account } : undefined
  return { chain, publicClient, wallet, pollingIntervalMs }
}
