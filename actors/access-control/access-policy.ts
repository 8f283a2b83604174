/**
 * The domain's issuing policy: who may obtain which rights through `access.request`, with which
 * conditions. Plain data in the actor's init arguments (one policy per domain). A rule applies
 * to a subject when every criterion it names matches (node types, zones, addresses); a requested
 * `{resource, action}` is granted when an applying rule lists it, with that rule's conditions.
 * `zone: 'own'` binds the right to the zone the subject is in when it is issued.
 */
import { z } from 'zod'
import { isBytes32Name } from '../../ledger/index.ts'
import { nodeTypeSchema } from '../identity/index.ts'

const secondOfDay = z.number().int().min(0).max(86_399)
const zoneName = z.string().refine(isBytes32Name, 'must be 1 to 32 UTF-8 bytes')

export const policyRightSchema = z.object({
  resource: z.string().min(1).describe('e.g. /enf/records'),
  action: z.string().min(1).describe('read, write or admin'),
  timeWindow: z
    .object({ startSecond: secondOfDay, endSecond: secondOfDay })
    .optional()
    .describe('UTC time of day the right holds; start > end wraps past midnight; omit: any time'),
  zone: z
    .union([z.literal('own'), zoneName])
    .optional()
    .describe("zone the subject must be in: a name, or 'own' (its zone at issue); omit: any"),
  nodeTypes: z.array(nodeTypeSchema).optional().describe('node types that may use it; omit: any'),
})

export type PolicyRight = z.output<typeof policyRightSchema>

export const accessPolicySchema = z.object({
  tokenLifetimeSeconds: z
    .number()
    .int()
    .positive()
    .default(3_600)
    .describe('how long an issued token lasts, seconds; default 3,600'),
  rules: z
    .array(
      z.object({
        description: z.string().optional(),
        nodeTypes: z.array(nodeTypeSchema).optional().describe('subjects of these node types'),
        zones: z.array(zoneName).optional().describe('subjects in these zones'),
        addresses: z
          .array(z.string().regex(/^0x[0-9a-fA-F]{40}$/))
          .optional()
          .describe('these subjects only'),
        rights: z.array(policyRightSchema).min(1),
      }),
    )
    .default([])
    .describe('evaluated in order; a right is granted by the first rule that applies and lists it'),
})

export type AccessPolicy = z.output<typeof accessPolicySchema>

export type PolicySubject = { address: string; nodeType: string; zone: string }

export type PolicyDecision = {
  readonly granted: readonly PolicyRight[]
  readonly refused: readonly { resource: string; action: string }[]
}

/** Which of the requested rights the policy grants `subject`, with their conditions. */
export function decideRequest(
  policy: AccessPolicy,
  subject: PolicySubject,
  requested: readonly { resource: string; action: string }[],
): PolicyDecision {
  const applying = policy.rules.filter(
    (rule) =>
      (!rule.nodeTypes || rule.nodeTypes.includes(subject.nodeType as never)) &&
      (!rule.zones || rule.zones.includes(subject.zone)) &&
      (!rule.addresses || rule.addresses.some((a) => a.toLowerCase() === subject.address)),
  )
  const granted: PolicyRight[] = []
  const refused: { resource: string; action: string }[] = []
  for (const wanted of requested) {
    const right = applying
      .flatMap((rule) => rule.rights)
      .find((r) => r.resource === wanted.resource && r.action === wanted.action)
    if (!right) refused.push(wanted)
    else granted.push(right.zone === 'own' ? { ...right, zone: subject.zone } : right)
  }
  return { granted, refused }
}
