/**
 * The identity actor's messages (Algorithm 3, identity part): who an address is in the domain's
 * IdentityRegistry — node type, zone, zone master — and which registered node a host's ed25519
 * transport key belongs to. Every reply names the block the answer is complete through.
 * Reads need `{ resource: '/identity', action: 'read' }` from outside.
 */
import { z } from 'zod'
import { nodeTypeSchema } from '../../ledger/index.ts'
import type { Protocol } from '../../runtime/index.ts'

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
  .describe('Ethereum address (any case; replies use lower case)')

/** The IdentityRegistry's node types (the ledger's schema of the contract's enum). */
export { nodeTypeSchema }
export type NodeTypeName = z.output<typeof nodeTypeSchema>

const block = z.number().int().nonnegative().describe('chain block the answer is complete through')
const READ = { resource: '/identity', action: 'read' } as const

export const resolveReplySchema = z.object({
  address: z.string(),
  registered: z.boolean(),
  nodeType: nodeTypeSchema.optional(),
  zone: z.string().optional(),
  /** Present when registered: whether the address is a master of its own zone. */
  master: z.boolean().optional(),
  block,
})

export type ResolveReply = z.output<typeof resolveReplySchema>

export const hostOfKeyReplySchema = z.object({
  /** '' when no registered node has the key bound (then `registered` is false). */
  hostId: z.string(),
  address: z.string(),
  registered: z.boolean(),
  nodeType: nodeTypeSchema.optional(),
  zone: z.string().optional(),
  block,
})

export type HostOfKeyReply = z.output<typeof hostOfKeyReplySchema>

export const identityProtocol = {
  'identity.resolve': {
    payload: z.object({ address }),
    reply: resolveReplySchema,
    idempotent: true,
    access: READ,
    description: "An address's registration: node type, zone and whether it masters the zone.",
  },
  'identity.same_zone': {
    payload: z.object({ a: address, b: address }),
    reply: z.object({ sameZone: z.boolean(), zone: z.string().optional(), block }),
    idempotent: true,
    access: READ,
    description: 'Whether two registered nodes share a zone (never for unregistered ones).',
  },
  'identity.host_of_key': {
    payload: z.object({
      publicKey: z
        .string()
        .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a base64 raw 32-byte ed25519 public key')
        .describe(
          'host ed25519 public key, base64 of the raw 32 bytes (as in the enrollment list)',
        ),
    }),
    reply: hostOfKeyReplySchema,
    idempotent: true,
    access: READ,
    description: 'The registered node and host id an ed25519 host key is bound to on chain.',
  },
} as const satisfies Protocol
