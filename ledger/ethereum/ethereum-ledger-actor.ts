/**
 * The Ethereum ledger actor: vigil's door to the inter-domain chain. It owns one set of viem
 * clients (chain id + RPC URL + key file, see create-chain-clients.ts) and the deployed contract
 * addresses (the file `vigil contracts deploy` writes), and serves the protocol in
 * ethereum-ledger-protocol.ts: zones and nodes (IdentityRegistry), capability tokens and access
 * decisions (CapabilityAccessControl), privacy policies (PrivacyPolicy), and anchors with
 * cross-domain receipt verification (Anchor). Writes are nonce-managed, so the kernel may hand
 * it concurrent requests; refusals arrive as ETH_TX_REVERTED with the contract's error name.
 * State is only connection data: a restart rebuilds it from the init arguments.
 */
import { type Hex, zeroHash } from 'viem'
import { z } from 'zod'
import { defineActor } from '../../runtime/actor/define-actor.ts'
import { parseConfig } from '../../runtime/config/load-config.ts'
import { verifyReceipt } from '../merkle/verify-receipt.ts'
import { accessDecisionName, NODE_TYPES, nodeTypeMask, nodeTypeNumber } from './access-decision.ts'
import { type AnchoringJob, createAnchoringJob } from './anchoring-job.ts'
import { batchKey } from './batch-key.ts'
import { domainId, fromBytes32Name, toBytes32Name } from './bytes32-name.ts'
import { createCometbftBatchSource } from './cometbft-batch-source.ts'
import {
  type ContractAddresses,
  contractAddressesSchema,
  readContractAddresses,
} from './contract-addresses.ts'
import { type ChainClients, createChainClients } from './create-chain-clients.ts'
import { AccessDeniedError, EthChainMismatchError } from './errors.ts'
import {
  type AccessRight,
  ethereumLedgerProtocol,
  type TxReply,
} from './ethereum-ledger-protocol.ts'
import { verifyAnchoredReceipt } from './verify-anchored-receipt.ts'
import { createVigilContracts, type VigilContracts } from './vigil-contracts.ts'
import { watchContractEvents } from './watch-contract-events.ts'
import type { WriteContractResult } from './write-contract.ts'

/** Init arguments (plain data, validated; a bad field fails with CONFIG_INVALID). */
export const ethereumLedgerArgsSchema = z
  .object({
    chainId: z.number().int().positive().describe('EIP-155 chain id (31337 for anvil)'),
    rpcUrl: z.string().url().describe('JSON-RPC endpoint; may carry credentials, never logged'),
    keyFile: z.string().min(1).optional().describe('private key file; omit for a read-only actor'),
    addressesFile: z.string().min(1).optional().describe('file written by vigil contracts deploy'),
    addresses: contractAddressesSchema.optional().describe('inline alternative to addressesFile'),
    pollingIntervalMs: z
      .number()
      .int()
      .positive()
      .default(50)
      .describe('receipt/event polling interval in ms; default 50 (anvil)'),
    anchoring: z
      .object({
        domain: z.string().min(1).describe("this domain's CometBFT chain id"),
        cometbftRpcUrl: z.string().url().describe('CometBFT RPC endpoint to read batch roots from'),
        intervalMs: z
          .number()
          .int()
          .positive()
          .default(5_000)
          .describe('ms between anchoring runs; default 5,000'),
      })
      .optional()
      .describe('run the anchoring job in this actor (its key must be an anchorer of the domain)'),
  })
  .refine((args) => args.addresses !== undefined || args.addressesFile !== undefined, {
    message: 'give addressesFile (from vigil contracts deploy) or addresses',
    path: ['addressesFile'],
  })

export type EthereumLedgerArgs = z.input<typeof ethereumLedgerArgsSchema>

export type EthereumLedgerState = {
  readonly clients: ChainClients
  readonly addresses: ContractAddresses
  readonly contracts: VigilContracts
  /** Event forwarders by subscription id. */
  readonly subscriptions: Map<string, () => void>
  readonly anchoring:
    | { readonly domain: string; readonly job: AnchoringJob; lastError: string | null }
    | undefined
}

const ATTRIBUTE_BITS = { faces: 1, people: 2, plates: 4, zones: 8 } as const
type Attribute = keyof typeof ATTRIBUTE_BITS
const attributeMask = (attributes: readonly Attribute[]) =>
  attributes.reduce((mask, attribute) => mask | ATTRIBUTE_BITS[attribute], 0)

function txReply(result: WriteContractResult): TxReply {
  return {
    txHash: result.txHash,
    blockNumber: Number(result.blockNumber),
    gasUsed: Number(result.gasUsed),
  }
}

function encodeRight(right: AccessRight) {
  return {
    resource: right.resource,
    action: right.action,
    startSecond: right.timeWindow?.startSecond ?? 0,
    endSecond: right.timeWindow?.endSecond ?? 0,
    zoneId: right.zone === undefined ? zeroHash : toBytes32Name(right.zone),
    nodeTypes: nodeTypeMask(right.nodeTypes ?? []),
  }
}

export const ethereumLedgerActor = defineActor<
  EthereumLedgerState,
  typeof ethereumLedgerProtocol,
  EthereumLedgerArgs
>({
  name: 'ethereum-ledger',
  version: 1,
  // Not stateless: two replicas sending from one key would race for nonces.
  protocol: ethereumLedgerProtocol,

  async init(rawArgs, context) {
    const args = parseConfig(ethereumLedgerArgsSchema, rawArgs, 'ethereum-ledger init arguments')
    const addresses = args.addresses ?? (await readContractAddresses(args.addressesFile ?? ''))
    if (addresses.chainId !== args.chainId) {
      throw new EthChainMismatchError(args.chainId, addresses.chainId, {
        details: 'the contract addresses were deployed on another chain',
      })
    }
    const clients = await createChainClients({
      chainId: args.chainId,
      rpcUrl: args.rpcUrl,
      keyFile: args.keyFile,
      pollingIntervalMs: args.pollingIntervalMs,
    })
    const contracts = createVigilContracts(clients, addresses)
    let anchoring: EthereumLedgerState['anchoring']
    if (args.anchoring) {
      const job = createAnchoringJob({
        source: createCometbftBatchSource({ rpcUrl: args.anchoring.cometbftRpcUrl }),
        anchor: contracts.anchor,
        domain: args.anchoring.domain,
        clock: context.clock,
        intervalMs: args.anchoring.intervalMs,
        onError: (error, batch) => {
          if (anchoring) anchoring.lastError = `${error.code}: ${error.shortMessage}`
          context.log('anchoring_failed', {
            code: error.code,
            message: error.shortMessage,
            height: batch?.height,
            batchId: batch?.batchId,
          })
        },
      })
      anchoring = { domain: args.anchoring.domain, job, lastError: null }
      job.start()
    }
    return { clients, addresses, contracts, subscriptions: new Map(), anchoring }
  },

  async terminate(state) {
    for (const unwatch of state.subscriptions.values()) unwatch()
    state.subscriptions.clear()
    await state.anchoring?.job.stop()
  },

  receive: {
    async 'eth.create_zone'({ zone, master }, { contracts }) {
      return txReply(
        await contracts.identityRegistry.write('createZone', [toBytes32Name(zone), master as Hex]),
      )
    },
    async 'eth.register_node'({ node, nodeType, zone }, { contracts }) {
      return txReply(
        await contracts.identityRegistry.write('registerNode', [
          node as Hex,
          nodeTypeNumber(nodeType),
          toBytes32Name(zone),
        ]),
      )
    },
    async 'eth.move_node'({ node, zone }, { contracts }) {
      return txReply(
        await contracts.identityRegistry.write('moveNode', [node as Hex, toBytes32Name(zone)]),
      )
    },
    async 'eth.remove_node'({ node }, { contracts }) {
      return txReply(await contracts.identityRegistry.write('removeNode', [node as Hex]))
    },
    async 'eth.get_node'({ node }, { contracts }) {
      const [nodeType, zone] = await contracts.identityRegistry.read('getNode', [node as Hex])
      const typeName = NODE_TYPES[nodeType] ?? 'none'
      return { registered: typeName !== 'none', nodeType: typeName, zone: fromBytes32Name(zone) }
    },
    async 'eth.same_zone'({ a, b }, { contracts }) {
      return {
        sameZone: await contracts.identityRegistry.read('sameZone', [a as Hex, b as Hex]),
      }
    },
    async 'eth.issue_token'({ subject, expiresAt, rights }, { contracts }) {
      return txReply(
        await contracts.capabilityAccessControl.write('issueToken', [
          subject as Hex,
          BigInt(expiresAt),
          rights.map(encodeRight),
        ]),
      )
    },
    async 'eth.update_token'({ subject, expiresAt, rights }, { contracts }) {
      return txReply(
        await contracts.capabilityAccessControl.write('updateToken', [
          subject as Hex,
          BigInt(expiresAt),
          rights.map(encodeRight),
        ]),
      )
    },
    async 'eth.revoke_token'({ subject }, { contracts }) {
      return txReply(await contracts.capabilityAccessControl.write('revokeToken', [subject as Hex]))
    },
    async 'eth.check_access'({ subject, resource, action, at }, { contracts }, context) {
      const when = at ?? Math.floor(context.clock.now() / 1000)
      const decision = accessDecisionName(
        await contracts.capabilityAccessControl.read('checkAccess', [
          subject as Hex,
          resource,
          action,
          BigInt(when),
        ]),
      )
      return { allowed: decision === 'Allowed', decision }
    },
    async 'eth.authorize'({ subject, resource, action, at }, { contracts }, context) {
      const when = at ?? Math.floor(context.clock.now() / 1000)
      const decision = accessDecisionName(
        await contracts.capabilityAccessControl.read('checkAccess', [
          subject as Hex,
          resource,
          action,
          BigInt(when),
        ]),
      )
      if (decision !== 'Allowed') {
        throw new AccessDeniedError({ subject, resource, action, decision })
      }
      return { allowed: true as const }
    },
    async 'eth.set_privacy_policy'({ owner, sensitive }, { contracts }) {
      return txReply(
        await contracts.privacyPolicy.write('setPolicy', [owner as Hex, attributeMask(sensitive)]),
      )
    },
    async 'eth.set_privacy_access'({ owner, grantee, attributes }, { contracts }) {
      const mask = attributeMask(attributes)
      const result =
        'subject' in grantee
          ? await contracts.privacyPolicy.write('setSubjectAccess', [
              owner as Hex,
              grantee.subject as Hex,
              mask,
            ])
          : await contracts.privacyPolicy.write('setRoleAccess', [
              owner as Hex,
              toBytes32Name(grantee.role),
              mask,
            ])
      return txReply(result)
    },
    async 'eth.may_see'({ owner, subject, attribute }, { contracts }) {
      const allowed = await contracts.privacyPolicy.read('maySee', [
        owner as Hex,
        subject as Hex,
        ATTRIBUTE_BITS[attribute],
      ])
      return { allowed }
    },
    async 'eth.anchor'({ domain, height, batchId, root, treeSize }, { contracts }) {
      return txReply(
        await contracts.anchor.write('anchor', [
          domainId(domain),
          BigInt(height),
          batchKey(batchId),
          `0x${root.replace(/^0x/, '').toLowerCase()}`,
          BigInt(treeSize),
        ]),
      )
    },
    async 'eth.get_anchor'({ domain, height, batchId }, { contracts }) {
      const [root, treeSize, blockNumber] = await contracts.anchor.read('getAnchor', [
        domainId(domain),
        BigInt(height),
        batchKey(batchId),
      ])
      const anchored = root !== zeroHash
      return {
        anchored,
        root: anchored ? root.slice(2) : '',
        treeSize: Number(treeSize),
        blockNumber: Number(blockNumber),
      }
    },
    async 'eth.verify_anchored_receipt'({ receipt }, { contracts }) {
      // Offline first (record → leaf → root), then the anchored root and path on chain.
      return verifyAnchoredReceipt(receipt, contracts.anchor, { offlineCheck: verifyReceipt })
    },
    'eth.subscribe'({ actor, type, contracts, eventNames }, state, context) {
      const subscription = crypto.randomUUID()
      const unwatch = watchContractEvents(state.clients, state.addresses, {
        contracts,
        eventNames,
        onEvents: (events) => context.tell(actor, type, { events }),
        onError: (error) =>
          context.log('event_watch_failed', {
            subscription,
            code: error.code,
            message: error.shortMessage,
          }),
      })
      state.subscriptions.set(subscription, unwatch)
      return { subscription }
    },
    'eth.unsubscribe'({ subscription }, state) {
      const unwatch = state.subscriptions.get(subscription)
      unwatch?.()
      return { removed: state.subscriptions.delete(subscription) }
    },
    'eth.anchoring_status'(_payload, { anchoring }) {
      return {
        enabled: anchoring !== undefined,
        domain: anchoring?.domain ?? '',
        anchoredHeight: anchoring?.job.anchoredHeight ?? -1,
        lastError: anchoring?.lastError ?? null,
      }
    },
  },
})
