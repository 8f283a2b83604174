/**
 * Typed handles on the deployed contract set: `read` (eth_call) and `write` (simulate, send with
 * the nonce manager, wait for the receipt) per contract, checked against the generated ABIs.
 */
import type {
  Abi,
  Address,
  ContractFunctionArgs,
  ContractFunctionName,
  ContractFunctionReturnType,
} from 'viem'
import {
  anchor,
  capabilityAccessControl,
  identityRegistry,
  privacyPolicy,
} from '../../contracts/index.ts'
import type { ContractLocations } from './contract-addresses.ts'
import type { ChainClients } from './create-chain-clients.ts'
import { mapViemError } from './map-viem-error.ts'
import { type WriteContractResult, writeContract } from './write-contract.ts'

type Writable = 'nonpayable' | 'payable'
type Readable = 'view' | 'pure'

/** Read and write access to one deployed contract. */
export type ContractHandle<TAbi extends Abi> = {
  readonly name: string
  readonly address: Address
  readonly abi: TAbi
  read<F extends ContractFunctionName<TAbi, Readable>>(
    functionName: F,
    args: ContractFunctionArgs<TAbi, Readable, F>,
  ): Promise<ContractFunctionReturnType<TAbi, Readable, F>>
  write<F extends ContractFunctionName<TAbi, Writable>>(
    functionName: F,
    args: ContractFunctionArgs<TAbi, Writable, F>,
  ): Promise<WriteContractResult>
}

export type VigilContracts = {
  readonly identityRegistry: ContractHandle<typeof identityRegistry.abi>
  readonly capabilityAccessControl: ContractHandle<typeof capabilityAccessControl.abi>
  readonly privacyPolicy: ContractHandle<typeof privacyPolicy.abi>
  readonly anchor: ContractHandle<typeof anchor.abi>
}

/** Handles on the four contracts at `addresses`, sending from the account in `clients`. */
export function createVigilContracts(
  clients: ChainClients,
  addresses: ContractLocations,
): VigilContracts {
  return {
    identityRegistry: createHandle(
      clients,
      'IdentityRegistry',
      addresses.identityRegistry,
      identityRegistry.abi,
    ),
    capabilityAccessControl: createHandle(
      clients,
      'CapabilityAccessControl',
      addresses.capabilityAccessControl,
      capabilityAccessControl.abi,
    ),
    privacyPolicy: createHandle(
      clients,
      'PrivacyPolicy',
      addresses.privacyPolicy,
      privacyPolicy.abi,
    ),
    anchor: createHandle(clients, 'Anchor', addresses.anchor, anchor.abi),
  }
}

function createHandle<const TAbi extends Abi>(
  clients: ChainClients,
  name: string,
  address: Address,
  abi: TAbi,
): ContractHandle<TAbi> {
  return {
    name,
    address,
    abi,
    async read(functionName, args) {
      try {
        const result = await clients.publicClient.readContract({
          address,
          abi: abi as Abi,
          functionName: functionName as string,
          args: args as readonly unknown[],
        })
        return result as never
      } catch (error) {
        throw mapViemError(error, { contract: name, functionName: functionName as string })
      }
    },
    write(functionName, args) {
      return writeContract(clients, {
        contract: name,
        address,
        abi: abi as Abi,
        functionName: functionName as string,
        args: args as readonly unknown[],
      })
    },
  }
}
