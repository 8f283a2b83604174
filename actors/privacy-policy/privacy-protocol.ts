/**
 * The privacy-policy actor's message: what a viewer may see unscrambled in footage of an owner
 * (a person's account) taken by a camera (the camera's account), by the domain's PrivacyPolicy
 * contract. Reads need `{ resource: '/privacy', action: 'read' }` from outside.
 */
import { z } from 'zod'
import type { Protocol } from '../../runtime/index.ts'

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
  .describe('Ethereum address')

export const visibleAttributesSchema = z.object({
  faces: z.boolean(),
  people: z.boolean(),
  plates: z.boolean(),
  zones: z.boolean(),
})

export type VisibleAttributes = z.output<typeof visibleAttributesSchema>

export const privacyProtocol = {
  'privacy.visible': {
    payload: z.object({
      viewer: address,
      owner: address,
      camera: address.optional().describe('the recording camera; its policy applies as well'),
    }),
    reply: z.object({
      attributes: visibleAttributesSchema.describe('true: may be shown unscrambled'),
      block: z.number().int().describe('chain block the answer is complete through'),
    }),
    idempotent: true,
    access: { resource: '/privacy', action: 'read' },
    description:
      "Which attributes a viewer may see unscrambled in an owner's footage (and the camera's).",
  },
} as const satisfies Protocol
