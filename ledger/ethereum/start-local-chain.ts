/**
 * A one-machine inter-domain chain: anvil on a free port, a generated deployer key (file, mode
 * 0600, funded with anvil_setBalance), the contract set deployed and its addresses file written
 * — what the one-machine domain and `vigil contracts localchain` run. The deployer is the
 * contracts' admin (the operator's key); host and service accounts are created on request with
 * only the roles they need (anchorer, issuer). The chain lives in memory: a
 * restart deploys afresh (the key file is reused when present).
 */
import type { Address } from 'viem'
import type { ContractAddresses } from './contract-addresses.ts'
import {
  type ProvisionedAccount,
  type ProvisionedAccountSpec,
  provisionChain,
} from './provision-chain.ts'
import { type AnvilInstance, startAnvil } from './start-anvil.ts'

export type LocalChainOptions = {
  /** Folder for `deployer.key` and `addresses.json` (created if missing). */
  dir: string
  /** Seconds per block; omit for instant mining. */
  blockTimeSeconds?: number | undefined
  /** CometBFT chain ids whose roots the anchorer accounts (else the deployer) may anchor. */
  anchorDomains?: readonly string[] | undefined
  /**
   * Accounts to create beside the deployer (the operator/admin): one key file each
   * (`<name>.key`, 0600, funded), with only the roles asked for — `anchorer` for every anchor
   * domain, `issuer` of CapabilityAccessControl. E.g. `{ name: 'fog-1', anchorer: true }` for
   * the host running the Ethereum ledger actor, `{ name: 'access-control', issuer: true }`.
   */
  accounts?: readonly LocalChainAccountSpec[] | undefined
}

export type LocalChainAccountSpec = ProvisionedAccountSpec

export type LocalChainAccount = ProvisionedAccount

export type LocalChain = {
  readonly anvil: AnvilInstance
  readonly rpcUrl: string
  readonly chainId: number
  readonly keyFile: string
  readonly deployer: Address
  readonly addressesFile: string
  readonly addresses: ContractAddresses
  /** The accounts asked for in `options.accounts`, by name. */
  readonly accounts: Readonly<Record<string, LocalChainAccount>>
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/** Starts anvil, deploys the contracts and writes the files; stop() ends anvil. */
export async function startLocalChain(options: LocalChainOptions): Promise<LocalChain> {
  const anvil = await startAnvil({ blockTimeSeconds: options.blockTimeSeconds })
  try {
    const chain = await provisionChain({
      dir: options.dir,
      rpcUrl: anvil.rpcUrl,
      chainId: anvil.chainId,
      anchorDomains: options.anchorDomains,
      accounts: options.accounts,
    })
    return {
      anvil,
      rpcUrl: anvil.rpcUrl,
      chainId: anvil.chainId,
      ...chain,
      stop: () => anvil.stop(),
      [Symbol.asyncDispose]: () => anvil.stop(),
    }
  } catch (error) {
    await anvil.stop()
    throw error
  }
}
