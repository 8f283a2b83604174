/**
 * What a caller may see clear of a camera, per attribute: the PrivacyPolicy
 * mirror (`privacy.visible`, the camera's account as owner) AND the caller's
 * capability for `/privacy/<attribute>` `read` (`access.check`). A caller
 * that is not an account (a host) or that a dependency cannot answer for
 * sees nothing clear. Frame views may reuse a decision for `cacheMs`; key
 * releases always decide afresh.
 */
import type { ActorContext, Caller } from '../../runtime/index.ts'
import { type PrivacyAttribute, privacyAttributes } from './sidecar.ts'

export type ViewDecision = {
  /** Attributes shown clear. */
  readonly clear: readonly PrivacyAttribute[]
  /** Bit per attribute (faces 1, people 2), for caches. */
  readonly mask: number
}

export type ViewerAccessOptions = {
  readonly policyActor: string
  readonly accessActor: string
  readonly cacheMs: number
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const NOTHING: ViewDecision = { clear: [], mask: 0 }

type Visible = { attributes: Record<PrivacyAttribute, boolean> }
type Check = { allowed: boolean }

/** Decides afresh, asking both actors. Throws what they throw. */
export async function decideViewNow(
  context: ActorContext,
  options: ViewerAccessOptions,
  caller: Caller | undefined,
  account: string,
): Promise<ViewDecision> {
  const viewer = caller?.id
  if (viewer === undefined || !ADDRESS.test(viewer)) return NOTHING
  const [visible, ...checks] = await Promise.all([
    context.ask<Visible>(options.policyActor, 'privacy.visible', { viewer, owner: account }),
    ...privacyAttributes.map((attribute) =>
      context.ask<Check>(options.accessActor, 'access.check', {
        subject: viewer,
        resource: `/privacy/${attribute}`,
        action: 'read',
      }),
    ),
  ])
  const clear = privacyAttributes.filter(
    (attribute, i) => visible.attributes[attribute] === true && checks[i]?.allowed === true,
  )
  return { clear, mask: clear.reduce((m, a) => m | (1 << privacyAttributes.indexOf(a)), 0) }
}

/** A per-(caller, camera) cache over decideViewNow; failures decide nothing clear. */
export function createViewerAccess(options: ViewerAccessOptions) {
  const cache = new Map<string, { decision: ViewDecision; until: number }>()
  return {
    async decide(context: ActorContext, caller: Caller | undefined, account: string) {
      const key = `${caller?.id ?? ''} ${account}`
      const now = context.clock.now()
      const held = cache.get(key)
      if (held && held.until > now) return held.decision
      let decision = NOTHING
      try {
        decision = await decideViewNow(context, options, caller, account)
      } catch (error) {
        context.log('privacy_policy_unavailable', { code: (error as { code?: string }).code })
      }
      if (cache.size > 10_000) cache.clear()
      cache.set(key, { decision, until: now + options.cacheMs })
      return decision
    },
  }
}
