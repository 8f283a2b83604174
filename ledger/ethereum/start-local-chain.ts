/**
 * A one-machine inter-domain chain: anvil on a free port, a generated deployer key (file, mode
 * 0600, funded with anvil_setBalance), the contract set deployed and its addresses file written
 * — what the one-machine domain and `vigil contracts localchain` run. The deployer is the
 * contracts' admin and, for each given domain, an anchorer. The chain lives in memory: a
 * restart deploys afresh (the key file is reused when present).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { chmod } from 'node:fs/promises'
import { join } from 'node:path'
import type { Address } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { domainId } from './bytes32-name.ts'
import { type ContractAddresses, writeContractAddresses } from './contract-addresses.ts'
import { createChainClients } from './create-chain-clients.ts'
import { deployVigilContracts } from './deploy-vigil-contracts.ts'
import { loadKeyFile } from './load-key-file.ts'
import { type AnvilInstance, anvilRequest, startAnvil } from './start-anvil.ts'
import { createVigilContracts } from './vigil-contracts.ts'

export type LocalChainOptions = {
  /** Folder for `deployer.key` and `addresses.json` (created if missing). */
  dir: string
  /** Seconds per block; omit for instant mining. */
  blockTimeSeconds?: number | undefined
  /** CometBFT chain ids whose roots the deployer may anchor. */
  anchorDomains?: readonly string[] | undefined
}

export type LocalChain = {
  readonly anvil: AnvilInstance
  readonly rpcUrl: string
  readonly chainId: number
  readonly keyFile: string
  readonly deployer: Address
  readonly addressesFile: string
  readonly addresses: ContractAddresses
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/** Starts anvil, deploys the contracts and writes the files; stop() ends anvil. */
export async function startLocalChain(options: LocalChainOptions): Promise<LocalChain> {
  mkdirSync(options.dir, { recursive: true })
  const keyFile = join(options.dir, 'deployer.key')
  if (!existsSync(keyFile)) {
    await Bun.write(keyFile, `${generatePrivateKey()}\n`)
    await chmod(keyFile, 0o600)
  }
  const deployer = privateKeyToAccount(await loadKeyFile(keyFile)).address
  const anvil = await startAnvil({ blockTimeSeconds: options.blockTimeSeconds })
  try {
    await anvilRequest(anvil.rpcUrl, 'anvil_setBalance', [
      deployer,
      `0x${(10n ** 24n).toString(16)}`,
    ])
    const clients = await createChainClients({
      chainId: anvil.chainId,
      rpcUrl: anvil.rpcUrl,
      keyFile,
      pollingIntervalMs: 50,
    })
    const { addresses } = await deployVigilContracts(clients)
    const contracts = createVigilContracts(clients, addresses)
    await Promise.all(
      (options.anchorDomains ?? []).map((domain) =>
        contracts.anchor.write('grantAnchorer', [domainId(domain), deployer]),
      ),
    )
    const addressesFile = join(options.dir, 'addresses.json')
    await writeContractAddresses(addressesFile, addresses)
    return {
      anvil,
      rpcUrl: anvil.rpcUrl,
      chainId: anvil.chainId,
      keyFile,
      deployer,
      addressesFile,
      addresses,
      stop: () => anvil.stop(),
      [Symbol.asyncDispose]: () => anvil.stop(),
    }
  } catch (error) {
    await anvil.stop()
    throw error
  }
}
