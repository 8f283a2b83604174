/**
 * The contract set on a running chain, as a domain's operator sets it up: a generated deployer
 * key (file, mode 0600, funded with anvil_setBalance), the contracts deployed and the addresses
 * file written; host and service accounts created on request with only the roles they need
 * (anchorer, issuer). Used by startLocalChain (anvil started here) and by set-ups whose anvil
 * runs elsewhere (the netns domain's anvil machine). Key files are reused when present.
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
import { anvilRequest } from './start-anvil.ts'
import { createVigilContracts } from './vigil-contracts.ts'

export type ProvisionChainOptions = {
  /** Folder for `deployer.key`, the accounts' keys and `addresses.json` (created if missing). */
  readonly dir: string
  /** JSON-RPC endpoint of an anvil chain (anvil_setBalance funds the accounts). */
  readonly rpcUrl: string
  readonly chainId: number
  /** CometBFT chain ids whose roots the anchorer accounts (else the deployer) may anchor. */
  readonly anchorDomains?: readonly string[] | undefined
  /**
   * Accounts to create beside the deployer (the operator/admin): one key file each
   * (`<name>.key`, 0600, funded), with only the roles asked for — `anchorer` for every anchor
   * domain, `issuer` of CapabilityAccessControl. E.g. `{ name: 'fog-1', anchorer: true }` for
   * the host running the Ethereum ledger actor, `{ name: 'access-control', issuer: true }`.
   */
  readonly accounts?: readonly ProvisionedAccountSpec[] | undefined
}

export type ProvisionedAccountSpec = {
  readonly name: string
  readonly anchorer?: boolean | undefined
  readonly issuer?: boolean | undefined
}

export type ProvisionedAccount = { readonly keyFile: string; readonly address: Address }

export type ProvisionedChain = {
  readonly keyFile: string
  readonly deployer: Address
  readonly addressesFile: string
  readonly addresses: ContractAddresses
  /** The accounts asked for in `options.accounts`, by name. */
  readonly accounts: Readonly<Record<string, ProvisionedAccount>>
}

/** Funds the keys, deploys the contracts, grants the roles and writes `addresses.json`. */
export async function provisionChain(options: ProvisionChainOptions): Promise<ProvisionedChain> {
  mkdirSync(options.dir, { recursive: true })
  const keyFile = join(options.dir, 'deployer.key')
  const deployer = await ensureKeyFile(keyFile)
  const accounts: Record<string, ProvisionedAccount> = {}
  for (const spec of options.accounts ?? []) {
    const accountKey = join(options.dir, `${spec.name}.key`)
    accounts[spec.name] = { keyFile: accountKey, address: await ensureKeyFile(accountKey) }
  }
  for (const address of [deployer, ...Object.values(accounts).map((a) => a.address)]) {
    await anvilRequest(options.rpcUrl, 'anvil_setBalance', [
      address,
      `0x${(10n ** 24n).toString(16)}`,
    ])
  }
  const clients = await createChainClients({
    chainId: options.chainId,
    rpcUrl: options.rpcUrl,
    keyFile,
    pollingIntervalMs: 50,
  })
  const { addresses } = await deployVigilContracts(clients)
  const contracts = createVigilContracts(clients, addresses)
  const specs = options.accounts ?? []
  const named = (flag: 'anchorer' | 'issuer') =>
    specs.flatMap((spec) => {
      const account = accounts[spec.name]
      return spec[flag] && account ? [account.address] : []
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
  return { keyFile, deployer, addressesFile, addresses, accounts }
}

/** The address of the key in `path`, generating the file (0600) when missing. */
async function ensureKeyFile(path: string): Promise<Address> {
  if (!existsSync(path)) {
    await Bun.write(path, `${generatePrivateKey()}\n`)
    await chmod(path, 0o600)
  }
  return privateKeyToAccount(await loadKeyFile(path)).address
}
