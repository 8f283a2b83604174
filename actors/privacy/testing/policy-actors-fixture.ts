/**
 * Chain-free stand-ins for the privacy-policy and access-control actors (for
 * the privacy bench): callers listed in `clear` see faces and people, and
 * hold every `/privacy/*` right; everyone else sees nothing clear.
 */
import { z } from 'zod'
import { defineActor } from '../../../runtime/index.ts'

const args = z.object({ clear: z.array(z.string()).default([]) })
type State = { clear: Set<string> }
const init = (raw: unknown): State => ({
  clear: new Set(args.parse(raw ?? {}).clear.map((a) => a.toLowerCase())),
})

const policyProtocol = {
  'privacy.visible': {
    payload: z.object({ viewer: z.string(), owner: z.string(), camera: z.string().optional() }),
    reply: z.object({ attributes: z.record(z.string(), z.boolean()), block: z.number() }),
    access: 'public',
  },
} as const

export const policyFixture = defineActor<State, typeof policyProtocol, unknown>({
  name: 'privacy-policy-fixture',
  version: 1,
  protocol: policyProtocol,
  init,
  receive: {
    'privacy.visible': ({ viewer }, state) => {
      const all = state.clear.has(viewer.toLowerCase())
      return { attributes: { faces: all, people: all, plates: all, zones: all }, block: 0 }
    },
  },
})

const accessProtocol = {
  'access.check': {
    payload: z.object({ subject: z.string(), resource: z.string(), action: z.string() }),
    reply: z.object({ allowed: z.boolean(), validUntilMs: z.number(), block: z.number() }),
    access: 'public',
  },
} as const

export const accessFixture = defineActor<State, typeof accessProtocol, unknown>({
  name: 'access-control-fixture',
  version: 1,
  protocol: accessProtocol,
  init,
  receive: {
    'access.check': ({ subject }, state) => ({
      allowed: state.clear.has(subject.toLowerCase()),
      validUntilMs: 0,
      block: 0,
    }),
  },
})
