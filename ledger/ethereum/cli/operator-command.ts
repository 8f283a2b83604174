/**
 * The shape every operator command shares (`vigil identity|access|privacy …`, anchorer
 * grants): `--rpc <url> --addresses <file> --key <file>`, a connection with the operator's own
 * key (never a host's), one contract action, one line of result, and a coded error line on
 * failure (exit 1). The RPC URL is never printed: it may carry credentials.
 */
import { isAddress } from 'viem'
import type { Command, OptionSpec } from '../../../runtime/index.ts'
import { BaseError, requiredFlag, requireFlags, UsageError } from '../../../runtime/index.ts'
import { readContractAddresses } from '../contract-addresses.ts'
import { createChainClients } from '../create-chain-clients.ts'
import { createVigilContracts, type VigilContracts } from '../vigil-contracts.ts'

export type OperatorValues = Readonly<
  Record<string, string | boolean | (string | boolean)[] | undefined>
>

export type OperatorCommandOptions = {
  name: string
  summary: string
  usage: string
  options: Record<string, OptionSpec>
  /** Does the action; returns the line to print. Throw UsageError for bad flags. */
  act(values: OperatorValues, contracts: VigilContracts): Promise<string>
}

const CONNECTION: Record<string, OptionSpec> = {
  rpc: { type: 'string', description: 'JSON-RPC endpoint of the chain' },
  addresses: {
    type: 'string',
    description: "contract addresses file (from 'vigil contracts deploy')",
  },
  key: { type: 'string', description: "file holding the operator's private key (0x + 64 hex)" },
}

/** A leaf command that connects with the operator key and runs `act`. */
export function operatorCommand(options: OperatorCommandOptions): Command {
  return {
    name: options.name,
    summary: options.summary,
    usage: `--rpc <url> --addresses <file> --key <file> ${options.usage}`,
    options: { ...CONNECTION, ...options.options },
    async run({ values, out, err }) {
      const {
        rpc,
        addresses: addressesFile,
        key,
      } = requireFlags(
        values,
        ['rpc', 'addresses', 'key'],
        '--rpc, --addresses and --key are required',
      )
      try {
        const addresses = await readContractAddresses(addressesFile)
        const clients = await createChainClients({
          chainId: addresses.chainId,
          rpcUrl: rpc,
          keyFile: key,
        })
        out(await options.act(values, createVigilContracts(clients, addresses)))
        return 0
      } catch (error) {
        if (!(error instanceof BaseError)) throw error
        err(`${options.name} failed [${error.code}]: ${error.shortMessage}`)
        if (error.details) err(`  ${error.details}`)
        return 1
      }
    },
  }
}

/** A required address flag. */
export function addressFlag(values: OperatorValues, name: string): `0x${string}` {
  const value = requiredFlag(values, name)
  if (!isAddress(value, { strict: false })) {
    throw new UsageError(`--${name} must be a 0x-prefixed 20-byte address`)
  }
  return value
}

/** `tx <hash> (block <n>)` for a result line. */
export function txLine(what: string, result: { txHash: string; blockNumber: bigint }): string {
  return `${what} (tx ${result.txHash}, block ${result.blockNumber})`
}
