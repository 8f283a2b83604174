/**
 * The access-control actor's messages (Algorithm 3, capability part). `access.request`: the
 * caller (`context.caller.id`, an Ethereum address) asks for rights; the domain policy decides
 * and the actor issues them on chain from its issuer account. `access.check`: a host's guard asks
 * whether a subject may do something, answered from the actor's mirrors with how long the answer
 * holds. Every registered subject may send `access.request` (`access.check` allows
 * `/access request` to any registered subject), so new principals can obtain their first token.
 */
import { z } from 'zod'
import type { Protocol } from '../../runtime/index.ts'
import { policyRightSchema } from './access-policy.ts'

const requestedRight = z.object({
  resource: z.string().min(1).describe('e.g. /enf/records'),
  action: z.string().min(1).describe('read, write or admin'),
})

const block = z.number().int().describe('chain block the answer is complete through')

export const accessCheckReplySchema = z.object({
  allowed: z.boolean(),
  code: z.enum(['ACCESS_NOT_REGISTERED', 'ACCESS_OTHER_ZONE', 'ACCESS_DENIED']).optional(),
  reason: z.string().optional(),
  validUntilMs: z.number().describe('unix ms until which callers may reuse this answer'),
  block,
})

export type AccessCheckReply = z.output<typeof accessCheckReplySchema>

export const accessRequestReplySchema = z.object({
  subject: z.string(),
  /** Every right the token now holds, with its conditions. */
  rights: z.array(policyRightSchema),
  expiresAt: z.number().int().describe('token expiry, unix seconds'),
  txHash: z.string(),
  block,
})

export type AccessRequestReply = z.output<typeof accessRequestReplySchema>

export const accessControlProtocol = {
  'access.request': {
    payload: z.object({ rights: z.array(requestedRight).min(1).max(32) }),
    reply: accessRequestReplySchema,
    errors: [
      'AUTH_REQUIRED',
      'ACCESS_NOT_REGISTERED',
      'ACCESS_DENIED',
      'ETH_TX_REVERTED',
      'ETH_RPC_UNAVAILABLE',
    ],
    access: { resource: '/access', action: 'request' },
    description:
      'Grants the caller the requested rights the domain policy allows (all or none), on chain.',
  },
  'access.check': {
    payload: z.object({
      subject: z.string().min(1).describe('principal id: an Ethereum address'),
      resource: z.string().min(1),
      action: z.string().min(1),
    }),
    reply: accessCheckReplySchema,
    idempotent: true,
    access: { resource: '/access', action: 'read' },
    description:
      'Whether a subject may perform an action on a resource now (for hosts\u2019 guards).',
  },
} as const satisfies Protocol
