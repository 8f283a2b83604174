/**
 * The Ethereum ledger actor: the host's client of the inter-domain chain. It owns one set of
 * viem clients (chain id + RPC URL + the host's own key file, see create-chain-clients.ts) and
 * the deployed contract addresses (the file `vigil contracts deploy` writes), and serves the
 * protocol in ethereum-ledger-protocol.ts: reads of IdentityRegistry, CapabilityAccessControl and
 * PrivacyPolicy, anchors with cross-domain receipt verification (Anchor), event forwarding.
 * It holds no admin authority: init refuses a key that is the admin of any contract
 * (ETH_KEY_IS_ADMIN), and with anchoring configured a key that is not the domain's anchorer
 * (ETH_NOT_ANCHORER). Refusals arrive as ETH_TX_REVERTED with the contract's error name.
 * State is only connection data: a restart rebuilds it from the init arguments.
 */
import { zeroHash } from 'viem'
import { z } from 'zod'
import { defineActor, parseConfig } from '../../runtime/index.ts'
import { verifyReceipt } from '../merkle/verify-receipt.ts'
import { accessDecisionName, NODE_TYPES } from './access-decision.ts'
import { type AnchoringJob, anchorIntervalMsSchema, createAnchoringJob } from './anchoring-job.ts'
import { batchKey } from './batch-key.ts'
import { domainId, fromBytes32Name } from './bytes32-name.ts'
import { chainOptionsSchema } from './chain-options.ts'
import { createCometbftBatchSource } from './cometbft-batch-source.ts'
import { type ContractLocations, readContractLocations } from './contract-addresses.ts'
import { type ChainClients, createChainClients } from './create-chain-clients.ts'
import {
  AccessDeniedError,
  EthChainMismatchError,
  EthKeyIsAdminError,
  EthNotAnchorerError,
  EthRpcUnavailableError,
} from './errors.ts'
import {
  type AccessQuery,
  ethereumLedgerProtocol,
  type TxReply,
} from './ethereum-ledger-protocol.ts'
import { verifyAnchoredReceipt } from './verify-anchored-receipt.ts'
import { createVigilContracts, type VigilContracts } from './vigil-contracts.ts'
import { watchContractEvents } from './watch-contract-events.ts'
import type { WriteContractResult } from './write-contract.ts'

/** Init arguments (plain data, validated; a bad field fails with CONFIG_INVALID). */
export const ethereumLedgerArgsSchema = chainOptionsSchema
  .extend({
    keyFile: z
      .string()
      .min(1)
      .optional()
      .describe("the host's own account key file (anchorer only, never an admin); omit: read-only"),
    anchoring: z
      .object({
        domain: z.string().min(1).describe("this domain's CometBFT chain id"),
        cometbftRpcUrl: z.string().url().describe('CometBFT RPC endpoint to read batch roots from'),
        intervalMs: anchorIntervalMsSchema,
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
  readonly addresses: ContractLocations
  readonly contracts: VigilContracts
  /** Event forwarders by subscription id. */
  readonly subscriptions: Map<string, () => void>
  readonly anchoring:
    | { readonly domain: string; readonly job: AnchoringJob; lastError: string | null }
    | undefined
}

const ATTRIBUTE_BITS = { faces: 1, people: 2, plates: 4, zones: 8 } as const

function txReply(result: WriteContractResult): TxReply {
  return {
    txHash: result.txHash,
    blockNumber: Number(result.blockNumber),
    gasUsed: Number(result.gasUsed),
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
    const addresses = args.addresses ?? (await readContractLocations(args.addressesFile ?? ''))
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
    await assertHostAuthority(contracts, clients, args.anchoring?.domain)
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
    async 'eth.get_node'({ node }, { contracts }) {
      const [nodeType, zone] = await contracts.identityRegistry.read('getNode', [node])
      const typeName = NODE_TYPES[nodeType] ?? 'none'
      return { registered: typeName !== 'none', nodeType: typeName, zone: fromBytes32Name(zone) }
    },
    async 'eth.same_zone'({ a, b }, { contracts }) {
      return {
        sameZone: await contracts.identityRegistry.read('sameZone', [a, b]),
      }
    },
    async 'eth.check_access'(query, { contracts }, context) {
      const decision = await decideAccess(contracts, query, context.clock.now())
      return { allowed: decision === 'Allowed', decision }
    },
    async 'eth.authorize'(query, { contracts }, context) {
      const decision = await decideAccess(contracts, query, context.clock.now())
      if (decision !== 'Allowed') {
        const { subject, resource, action } = query
        throw new AccessDeniedError({ subject, resource, action, decision })
      }
      return { allowed: true as const }
    },
    async 'eth.may_see'({ owner, subject, attribute }, { contracts }) {
      const allowed = await contracts.privacyPolicy.read('maySee', [
        owner,
        subject,
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
    'eth.block': (_payload, { clients }) => latestBlock(clients),
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

/** CapabilityAccessControl's decision on a request, at `query.at` or now on the actor clock. */
async function decideAccess(contracts: VigilContracts, query: AccessQuery, nowMs: number) {
  const when = query.at ?? Math.floor(nowMs / 1000)
  return accessDecisionName(
    await contracts.capabilityAccessControl.read('checkAccess', [
      query.subject,
      query.resource,
      query.action,
      BigInt(when),
    ]),
  )
}

/**
 * A host signs only with its own, narrow account: never a contract admin (operators keep that
 * key and use `vigil identity|access|privacy`), and an anchorer of the domain it anchors.
 */
async function assertHostAuthority(
  contracts: VigilContracts,
  clients: ChainClients,
  anchoringDomain: string | undefined,
): Promise<void> {
  const account = clients.account?.address
  if (account === undefined) return
  const admins = await Promise.all([
    contracts.identityRegistry.read('admin', []),
    contracts.capabilityAccessControl.read('admin', []),
    contracts.privacyPolicy.read('admin', []),
    contracts.anchor.read('admin', []),
  ])
  if (admins.some((admin) => admin.toLowerCase() === account.toLowerCase())) {
    throw new EthKeyIsAdminError(account)
  }
  if (
    anchoringDomain !== undefined &&
    !(await contracts.anchor.read('isAnchorer', [domainId(anchoringDomain), account]))
  ) {
    throw new EthNotAnchorerError(account, anchoringDomain)
  }
}

/** The chain's latest block number; an endpoint that does not answer is ETH_RPC_UNAVAILABLE. */
async function latestBlock(clients: ChainClients) {
  try {
    return {
      chainId: clients.chain.id,
      blockNumber: Number(await clients.publicClient.getBlockNumber()),
    }
  } catch {
    // The cause is not attached: viem's messages carry the RPC URL, which may hold credentials.
    throw new EthRpcUnavailableError(
      'the Ethereum endpoint did not answer eth_blockNumber; check that the chain is running',
    )
  }
}
