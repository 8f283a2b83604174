/**
 * The Ethereum (inter-domain) ledger actor's protocol: a chain client without admin authority —
 * reads of identities, capability decisions and privacy policies, anchoring with the host's own
 * anchorer account, receipt verification and event forwarding. Administrative writes (zones,
 * nodes, host keys, tokens, issuers, policies) are not messages at all: operators send them with
 * their own key through `vigil identity|access|privacy …`. Names and hashes are plain strings,
 * addresses are checked as text and typed as viem's `Address` from there on; amounts that may
 * exceed 2^53 never appear (gas and block numbers fit a double).
 */
import type { Address } from 'viem'
import { z } from 'zod'
import type { Protocol } from '../../runtime/index.ts'
import { receiptSchema } from '../ledger-schemas.ts'

/** Checked as text (the OpenAPI pattern), then typed as viem's Address for the contract calls. */
const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
  .pipe(z.custom<Address>())
  .describe('Ethereum address')
const hash32 = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, 'must be a 32-byte hex hash')
  .describe('32-byte hash, hex')
const name = z.string().min(1).max(32).describe('zone or role name, at most 32 UTF-8 bytes')
export const nodeTypeSchema = z.enum(['edge', 'fog', 'cloud', 'user'])
export const privacyAttributeSchema = z.enum(['faces', 'people', 'plates', 'zones'])
const secondOfDay = z.number().int().min(0).max(86_399)
const unixSeconds = z.number().int().nonnegative().describe('unix time, seconds')

/** One access right of a capability token. */
/** A request to evaluate against CapabilityAccessControl (eth.check_access, eth.authorize). */
export const accessQuerySchema = z.object({
  subject: address,
  resource: z.string().min(1),
  action: z.string().min(1),
  at: unixSeconds.optional().describe('default: now on the actor clock'),
})

export type AccessQuery = z.infer<typeof accessQuerySchema>

export const accessRightSchema = z.object({
  resource: z.string().min(1).describe('e.g. /enf/records'),
  action: z.string().min(1).describe('e.g. GET'),
  /** UTC time of day; start > end wraps past midnight; omit for any time. */
  timeWindow: z.object({ startSecond: secondOfDay, endSecond: secondOfDay }).optional(),
  /** Zone the subject must be in; omit for any zone. */
  zone: name.optional(),
  /** Node types the subject must have; omit or empty for any type. */
  nodeTypes: z.array(nodeTypeSchema).optional(),
})

export type AccessRight = z.output<typeof accessRightSchema>

/** What every state-changing message replies: where its transaction landed. */
export const txReplySchema = z.object({
  txHash: hash32,
  blockNumber: z.number().int().nonnegative(),
  gasUsed: z.number().int().nonnegative(),
})

export type TxReply = z.output<typeof txReplySchema>

const REVERT = ['ETH_TX_REVERTED', 'ETH_RPC_UNAVAILABLE', 'ETH_RECEIPT_TIMEOUT'] as const
const READ = ['ETH_RPC_UNAVAILABLE'] as const

/**
 * The right a caller needs from outside (a message's `access`, docs/runtime.md). Reads map to the
 * service they read; anchoring and event forwarding sign or act with the host's own authority,
 * so only operators (`admin`) may ask for them through a gateway.
 */
const IDENTITY_READ = { resource: '/identity', action: 'read' } as const
const ACCESS_READ = { resource: '/access', action: 'read' } as const
const PRIVACY_READ = { resource: '/privacy', action: 'read' } as const
const ANCHOR_READ = { resource: '/ledger/anchors', action: 'read' } as const
const ANCHOR_ADMIN = { resource: '/ledger/anchors', action: 'admin' } as const
const CHAIN_ADMIN = { resource: '/ledger/ethereum', action: 'admin' } as const

export const ethereumLedgerProtocol = {
  'eth.get_node': {
    access: IDENTITY_READ,
    payload: z.object({ node: address }),
    reply: z.object({
      registered: z.boolean(),
      nodeType: z.enum(['none', 'edge', 'fog', 'cloud', 'user']),
      zone: z.string(),
    }),
    errors: READ,
    idempotent: true,
    description: "A node's type and zone.",
  },
  'eth.same_zone': {
    access: IDENTITY_READ,
    payload: z.object({ a: address, b: address }),
    reply: z.object({ sameZone: z.boolean() }),
    errors: READ,
    idempotent: true,
    description: 'Whether two registered nodes share a zone (never true for unregistered ones).',
  },
  'eth.check_access': {
    access: ACCESS_READ,
    payload: accessQuerySchema,
    reply: z.object({ allowed: z.boolean(), decision: z.string() }),
    errors: READ,
    idempotent: true,
    description: 'Evaluates a request against the subject token, zone and node type.',
  },
  'eth.authorize': {
    access: ACCESS_READ,
    payload: accessQuerySchema,
    reply: z.object({ allowed: z.literal(true) }),
    errors: [...READ, 'ACCESS_DENIED'],
    idempotent: true,
    description: 'Like eth.check_access, but a denial is an ACCESS_DENIED error.',
  },
  'eth.may_see': {
    access: PRIVACY_READ,
    payload: z.object({ owner: address, subject: address, attribute: privacyAttributeSchema }),
    reply: z.object({ allowed: z.boolean() }),
    errors: READ,
    idempotent: true,
    description: "Whether a subject may see an attribute of an owner's data unscrambled.",
  },
  'eth.anchor': {
    access: ANCHOR_ADMIN,
    payload: z.object({
      domain: z.string().min(1).describe('CometBFT chain id of the domain'),
      height: z.number().int().nonnegative(),
      batchId: z.string().min(1),
      root: hash32,
      treeSize: z.number().int().positive(),
    }),
    reply: txReplySchema,
    errors: REVERT,
    idempotent: true,
    description: 'Anchors a batch root of a domain (anchorers only; same root again is a no-op).',
  },
  'eth.get_anchor': {
    access: ANCHOR_READ,
    payload: z.object({
      domain: z.string().min(1),
      height: z.number().int().nonnegative(),
      batchId: z.string().min(1),
    }),
    reply: z.object({
      anchored: z.boolean(),
      root: z.string(),
      treeSize: z.number(),
      blockNumber: z.number(),
    }),
    errors: READ,
    idempotent: true,
    description: 'The root anchored for a batch, if any.',
  },
  'eth.verify_anchored_receipt': {
    access: ANCHOR_READ,
    payload: z.object({ receipt: receiptSchema }),
    reply: z.union([
      z.object({
        valid: z.literal(true),
        anchoredAtBlock: z.number(),
        anchoredAt: z.number(),
      }),
      z.object({ valid: z.literal(false), reason: z.string() }),
    ]),
    errors: READ,
    idempotent: true,
    description: "Checks a CometBFT receipt against its domain's root anchored on Ethereum.",
  },
  'eth.subscribe': {
    access: CHAIN_ADMIN,
    payload: z.object({
      actor: z.string().min(1).describe('actor that receives the events'),
      type: z
        .string()
        .min(1)
        .describe("message type it receives them as, e.g. 'access.chain_events'"),
      contracts: z
        .array(z.enum(['IdentityRegistry', 'CapabilityAccessControl', 'PrivacyPolicy', 'Anchor']))
        .optional(),
      eventNames: z.array(z.string().min(1)).optional(),
    }),
    reply: z.object({ subscription: z.string() }),
    errors: READ,
    description:
      'Forwards contract events to an actor as `tell(actor, type, { events })` until unsubscribed.',
  },
  'eth.unsubscribe': {
    access: CHAIN_ADMIN,
    payload: z.object({ subscription: z.string().min(1) }),
    reply: z.object({ removed: z.boolean() }),
    idempotent: true,
    description: 'Stops forwarding events for a subscription.',
  },
  'eth.block': {
    access: ANCHOR_READ,
    payload: z.object({}),
    reply: z.object({ chainId: z.number(), blockNumber: z.number() }),
    errors: ['ETH_RPC_UNAVAILABLE'],
    idempotent: true,
    description: "The chain's latest block number (eth_blockNumber), for status pages.",
  },
  'eth.anchoring_status': {
    access: ANCHOR_READ,
    payload: z.object({}),
    reply: z.object({
      enabled: z.boolean(),
      domain: z.string(),
      anchoredHeight: z.number(),
      lastError: z.string().nullable(),
    }),
    idempotent: true,
    description: 'Progress of the anchoring job this actor runs (if configured).',
  },
} as const satisfies Protocol

/** What a subscriber receives (as the message type it chose). */
export const contractEventsSchema = z.object({
  events: z.array(
    z.object({
      contract: z.string(),
      eventName: z.string(),
      args: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      blockNumber: z.number(),
      txHash: z.string(),
      logIndex: z.number(),
    }),
  ),
})
