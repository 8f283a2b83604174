/**
 * A one-machine inter-domain chain: anvil on a free port, a generated deployer key (file, mode
 * 0600, funded with anvil_setBalance), the contract set deployed and its addresses file written
 * — what the one-machine domain and `vigil contracts localchain` run. The deployer is the
 * contracts' admin (the operator's key); host and service accounts are created on request with
 * only the roles they need (anchorer, issuer). The chain lives in memory: a
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

export type LocalChainAccountSpec = {
  readonly name: string
  readonly anchorer?: boolean | undefined
  readonly issuer?: boolean | undefined
}

export type LocalChainAccount = { readonly keyFile: string; readonly address: Address }

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
  mkdirSync(options.dir, { recursive: true })
  const keyFile = join(options.dir, 'deployer.key')
  const deployer = await ensureKeyFile(keyFile)
  const accounts: Record<string, LocalChainAccount> = {}
  for (const spec of options.accounts ?? []) {
    const accountKey = join(options.dir, `${spec.name}.key`)
    accounts[spec.name] = { keyFile: accountKey, address: await ensureKeyFile(accountKey) }
  }
  const anvil = await startAnvil({ blockTimeSeconds: options.blockTimeSeconds })
  try {
    for (const address of [deployer, ...Object.values(accounts).map((a) => a.address)]) {
      await anvilRequest(anvil.rpcUrl, 'anvil_setBalance', [
        address,
        `0x${(10n ** 24n).toString(16)}`,
      ])
    }
    const clients = await createChainClients({
      chainId: anvil.chainId,
      rpcUrl: anvil.rpcUrl,
      keyFile,
      pollingIntervalMs: 50,
    })
    const { addresses } = await deployVigilContracts(clients)
    const contracts = createVigilContracts(clients, addresses)
    const specs = options.accounts ?? []
    const named = (flag: 'anchorer' | 'issuer') =>
      specs
        .filter((spec) => spec[flag])
        .flatMap((spec) => {
          const account = accounts[spec.name]
          return account ? [account.address] : []
        })
    const anchorers = named('anchorer').length > 0 ? named('anchorer') : [deployer]
    for (const domain of options.anchorDomains ?? []) {
      for (const anchorer of anchorers) {
        await contracts.anchor.write('grantAnchorer', [domainId(domain), anchorer])
      }
    }
    for (const issuer of named('issuer')) {
      await contracts.capabilityAccessControl.write('addIssuer', [issuer])
    }
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
      accounts,
      stop: () => anvil.stop(),
      [Symbol.asyncDispose]: () => anvil.stop(),
    }
  } catch (error) {
    await anvil.stop()
    throw error
  }
}

/** The address of the key in `path`, generating the file (0600) when missing. */
async function ensureKeyFile(path: string): Promise<Address> {
  if (!existsSync(path)) {
    await Bun.write(path, `${generatePrivateKey()}\n`)
    await chmod(path, 0o600)
  }
  return privateKeyToAccount(await loadKeyFile(path)).address
}
