/**
 * `vigil contracts deploy --rpc <url> --key <file> [--chain-id <n>] [--out addresses.json]`:
 * deploys the inter-domain contract set and writes the addresses file every host reads
 * (ledger/ethereum/contract-addresses.ts). The chain id is asked from the endpoint when not
 * given; the RPC URL is never printed (it may carry credentials).
 */

import { isAddress } from 'viem'
import {
  BaseError,
  type Command,
  requiredFlag,
  requireFlags,
  serveUntilStopped,
  stringFlag,
  stringFlags,
  UsageError,
} from '../../../runtime/index.ts'
import { domainId } from '../bytes32-name.ts'
import { writeContractAddresses } from '../contract-addresses.ts'
import { createChainClients, readChainId } from '../create-chain-clients.ts'
import { deployVigilContracts } from '../deploy-vigil-contracts.ts'
import { startLocalChain } from '../start-local-chain.ts'
import { createVigilContracts } from '../vigil-contracts.ts'
import { commandFamily } from './command-family.ts'
import { addressFlag } from './operator-command.ts'

const deployCommand: Command = {
  name: 'deploy',
  summary: 'deploy IdentityRegistry, CapabilityAccessControl, PrivacyPolicy and Anchor',
  usage: '--rpc <url> --key <file> [--out <file>] [--chain-id <n>] [--anchor-domain <chain-id>]',
  options: {
    rpc: { type: 'string', description: 'JSON-RPC endpoint of the chain' },
    key: { type: 'string', description: 'file holding the deployer private key (0x + 64 hex)' },
    out: {
      type: 'string',
      description: 'where to write the contract addresses (JSON)',
      default: 'addresses.json',
    },
    'chain-id': { type: 'string', description: 'expected chain id (default: ask the endpoint)' },
    admin: { type: 'string', description: 'admin address of the contracts (default: deployer)' },
    'anchor-domain': {
      type: 'string',
      description: 'CometBFT chain id whose roots the deployer may anchor',
      multiple: true,
    },
  },
  async run({ values, out, err }) {
    const { rpc, key } = requireFlags(values, ['rpc', 'key'])
    const outFile = stringFlag(values, 'out') ?? 'addresses.json'
    const admin = stringFlag(values, 'admin')
    if (admin !== undefined && !isAddress(admin, { strict: false })) {
      throw new UsageError('--admin must be a 0x-prefixed 20-byte address')
    }
    try {
      const chainIdFlag = stringFlag(values, 'chain-id')
      const chainId = chainIdFlag === undefined ? await readChainId(rpc) : Number(chainIdFlag)
      if (!Number.isSafeInteger(chainId) || chainId <= 0) {
        throw new UsageError('--chain-id must be a positive integer')
      }
      const clients = await createChainClients({ chainId, rpcUrl: rpc, keyFile: key })
      const deployed = await deployVigilContracts(clients, {
        admin,
      })
      const domains = stringFlags(values, 'anchor-domain')
      if (domains.length > 0) {
        const contracts = createVigilContracts(clients, deployed.addresses)
        for (const domain of domains) {
          await contracts.anchor.write('grantAnchorer', [
            domainId(domain),
            deployed.addresses.deployer,
          ])
        }
      }
      await writeContractAddresses(outFile, deployed.addresses)
      const { addresses } = deployed
      out(
        [
          `deployed on chain ${addresses.chainId} by ${addresses.deployer} (block ${addresses.deployedAtBlock})`,
          `  IdentityRegistry         ${addresses.identityRegistry}`,
          `  CapabilityAccessControl  ${addresses.capabilityAccessControl}`,
          `  PrivacyPolicy            ${addresses.privacyPolicy}`,
          `  Anchor                   ${addresses.anchor}`,
          ...domains.map((d) => `  anchorer for domain ${d}: ${addresses.deployer}`),
          `addresses written to ${outFile}`,
        ].join('\n'),
      )
      return 0
    } catch (error) {
      if (error instanceof UsageError) throw error
      if (error instanceof BaseError) {
        err(`vigil contracts deploy failed [${error.code}]: ${error.shortMessage}`)
        if (error.details) err(`  ${error.details}`)
        return 1
      }
      throw error
    }
  },
}

const localchainCommand: Command = {
  name: 'localchain',
  summary: 'start anvil on this machine with the contracts deployed (one-machine domain, demos)',
  usage: '[--dir <folder>] [--block-time <s>] [--anchor-domain <chain-id>]…',
  options: {
    dir: {
      type: 'string',
      description: 'folder for deployer.key and addresses.json',
      default: '.data/ethereum',
    },
    'block-time': { type: 'string', description: 'seconds per block (default: instant mining)' },
    'anchor-domain': {
      type: 'string',
      description: 'CometBFT chain id whose roots the deployer may anchor',
      multiple: true,
    },
  },
  async run({ values, out }) {
    const blockTimeFlag = stringFlag(values, 'block-time')
    const blockTime = blockTimeFlag === undefined ? undefined : Number(blockTimeFlag)
    if (blockTime !== undefined && !(blockTime > 0)) {
      throw new UsageError('--block-time must be a positive number of seconds')
    }
    const chain = await startLocalChain({
      dir: stringFlag(values, 'dir') ?? '.data/ethereum',
      blockTimeSeconds: blockTime,
      anchorDomains: stringFlags(values, 'anchor-domain'),
    })
    return serveUntilStopped({
      out,
      started: {
        rpcUrl: chain.rpcUrl,
        chainId: chain.chainId,
        keyFile: chain.keyFile,
        addressesFile: chain.addressesFile,
        addresses: chain.addresses,
      },
      what: 'local chain',
      stop: () => chain.stop(),
    })
  },
}

const anchorerCommand = commandFamily({
  usage: '--domain <chain-id> --anchorer <address>',
  options: {
    domain: { type: 'string', description: "the domain's CometBFT chain id" },
    anchorer: { type: 'string', description: "the anchoring host's own account address (0x…)" },
  },
  read: (values) => [requiredFlag(values, 'domain'), addressFlag(values, 'anchorer')] as const,
  send: ({ anchor }, fn: 'grantAnchorer' | 'revokeAnchorer', [domain, account]) =>
    anchor.write(fn, [domainId(domain), account]),
})

const anchorerAddCommand = anchorerCommand(
  'anchorer-add',
  "let a host's account anchor a domain's roots (admin)",
  'grantAnchorer',
  ([domain, account]) => `${account} anchors domain ${domain}`,
)

const anchorerRemoveCommand = anchorerCommand(
  'anchorer-remove',
  "withdraw a host account's right to anchor a domain (admin)",
  'revokeAnchorer',
  ([domain, account]) => `${account} no longer anchors domain ${domain}`,
)

/** `vigil contracts`: the inter-domain contract set. */
export const contractsCommand: Command = {
  name: 'contracts',
  summary: 'deploy and manage the inter-domain smart contracts',
  subcommands: [deployCommand, localchainCommand, anchorerAddCommand, anchorerRemoveCommand],
}
