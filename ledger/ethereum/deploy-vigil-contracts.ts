/**
 * Deploys the inter-domain contract set (IdentityRegistry, then CapabilityAccessControl wired to
 * it, PrivacyPolicy and Anchor) from the account in `clients`. The admin of every contract is
 * set in its constructor: the deployer unless another admin is named — no address is hard-coded.
 */
import { type Abi, type Address, getAddress, type Hex } from 'viem'
import {
  anchor,
  capabilityAccessControl,
  identityRegistry,
  privacyPolicy,
} from '../../contracts/index.ts'
import type { ContractAddresses } from './contract-addresses.ts'
import type { ChainClients } from './create-chain-clients.ts'
import { EthInvalidArgumentError, EthTxRevertedError } from './errors.ts'
import { mapViemError } from './map-viem-error.ts'

export type DeployVigilContractsOptions = {
  /** Admin of all four contracts. Default: the deploying account. */
  admin?: Address | undefined
  /** Receipt timeout per deployment in ms. Default 60,000. */
  timeoutMs?: number | undefined
}

export type DeployResult = {
  readonly addresses: ContractAddresses
  /** Gas used by each deployment. */
  readonly gasUsed: Readonly<
    Record<'identityRegistry' | 'capabilityAccessControl' | 'privacyPolicy' | 'anchor', bigint>
  >
}

/** Deploys the four contracts and returns their addresses. */
export async function deployVigilContracts(
  clients: ChainClients,
  options: DeployVigilContractsOptions = {},
): Promise<DeployResult> {
  const { walletClient, account } = clients
  if (!walletClient || !account) {
    throw new EthInvalidArgumentError('cannot deploy contracts: the clients have no key file')
  }
  const admin = options.admin ?? account.address
  const deploy = async (name: string, abi: Abi, bytecode: Hex, args: readonly unknown[]) => {
    let hash: Hex
    try {
      hash = await walletClient.deployContract({ abi, bytecode, args, account })
    } catch (error) {
      account.nonceManager?.reset({ address: account.address, chainId: clients.chain.id })
      throw mapViemError(error, { contract: name, functionName: 'constructor' })
    }
    const timeoutMs = options.timeoutMs ?? 60_000
    try {
      const receipt = await clients.publicClient.waitForTransactionReceipt({
        hash,
        pollingInterval: clients.pollingIntervalMs,
        timeout: timeoutMs,
      })
      if (receipt.status !== 'success' || !receipt.contractAddress) {
        throw new EthTxRevertedError({ contract: name, functionName: 'constructor', txHash: hash })
      }
      return {
        address: getAddress(receipt.contractAddress),
        gasUsed: receipt.gasUsed,
        block: receipt.blockNumber,
      }
    } catch (error) {
      throw mapViemError(error, {
        contract: name,
        functionName: 'constructor',
        txHash: hash,
        timeoutMs,
      })
    }
  }
  // The registry's address is a constructor argument of CapabilityAccessControl; the other
  // two are independent and go out concurrently (the nonce manager orders them).
  const [registry, privacy, anchorContract] = await Promise.all([
    deploy('IdentityRegistry', identityRegistry.abi, identityRegistry.bytecode, [admin]),
    deploy('PrivacyPolicy', privacyPolicy.abi, privacyPolicy.bytecode, [admin]),
    deploy('Anchor', anchor.abi, anchor.bytecode, [admin]),
  ])
  const access = await deploy(
    'CapabilityAccessControl',
    capabilityAccessControl.abi,
    capabilityAccessControl.bytecode,
    [admin, registry.address],
  )
  return {
    addresses: {
      chainId: clients.chain.id,
      deployer: account.address,
      deployedAtBlock: Number(access.block),
      identityRegistry: registry.address,
      capabilityAccessControl: access.address,
      privacyPolicy: privacy.address,
      anchor: anchorContract.address,
    },
    gasUsed: {
      identityRegistry: registry.gasUsed,
      capabilityAccessControl: access.gasUsed,
      privacyPolicy: privacy.gasUsed,
      anchor: anchorContract.gasUsed,
    },
  }
}
