/**
 * A fresh chain for an integration test: anvil on port 0, a generated and funded admin key,
 * the contract set deployed, and a factory for more funded accounts (each with its own key file
 * and clients). Dispose it with `await using` so anvil stops even when a test fails.
 */
import type { Address } from 'viem'
import type { ContractAddresses } from '../contract-addresses.ts'
import { type ChainClients, createChainClients } from '../create-chain-clients.ts'
import { deployVigilContracts } from '../deploy-vigil-contracts.ts'
import { type AnvilInstance, type StartAnvilOptions, startAnvil } from '../start-anvil.ts'
import { createFundedKeyFile } from './create-funded-key-file.ts'

export type TestAccount = {
  readonly address: Address
  readonly keyFile: string
  readonly clients: ChainClients
}

export type TestChain = {
  readonly anvil: AnvilInstance
  readonly admin: TestAccount
  readonly addresses: ContractAddresses
  /** Gas used by each contract's deployment. */
  readonly deployGas: Readonly<Record<string, bigint>>
  /** A new funded account with its own key file and clients. */
  newAccount(): Promise<TestAccount>
  [Symbol.asyncDispose](): Promise<void>
}

/** Starts anvil, funds an admin and deploys the four contracts. */
export async function createTestChain(options: StartAnvilOptions = {}): Promise<TestChain> {
  const anvil = await startAnvil(options)
  try {
    const newAccount = async (): Promise<TestAccount> => {
      const key = await createFundedKeyFile(anvil.rpcUrl)
      const clients = await createChainClients({
        chainId: anvil.chainId,
        rpcUrl: anvil.rpcUrl,
        keyFile: key.path,
        pollingIntervalMs: 20,
      })
      return { address: key.address, keyFile: key.path, clients }
    }
    const admin = await newAccount()
    const deployed = await deployVigilContracts(admin.clients)
    return {
      anvil,
      admin,
      addresses: deployed.addresses,
      deployGas: deployed.gasUsed,
      newAccount,
      [Symbol.asyncDispose]: () => anvil.stop(),
    }
  } catch (error) {
    await anvil.stop()
    throw error
  }
}
