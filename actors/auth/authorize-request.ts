/**
 * The guard's `authorize`: a cached decision for a session's subject on the
 * hot path (no await), else the subject resolved and access-control asked.
 * Refusals and allowed administrative messages go to the audit log; an
 * access-control that cannot answer is ACCESS_UNAVAILABLE, never a grant.
 */
import type { Caller, Guard, GuardTarget } from '../../runtime/index.ts'
import type { AuditLog } from './audit-log.ts'
import type { DecisionCache } from './decision-cache.ts'
import { AccessRefusedError, AccessUnavailableError } from './errors.ts'
import type { SubjectOf } from './host-subject.ts'
import { refusal } from './refusal.ts'

type Decision = { allowed: boolean; code?: string | undefined; reason?: string | undefined }
type Right = { resource: string; action: string }

export function createAuthorizer(
  audit: AuditLog,
  decisions: DecisionCache,
  subjectOf: SubjectOf,
): Guard['authorize'] {
  function enforce(caller: Caller, target: GuardTarget, subject: string, decision: Decision) {
    const access = target.access as Right
    const entry = {
      principal: caller.id,
      actor: target.actor,
      message: target.message,
      resource: access.resource,
      action: access.action,
      via: caller.claims?.via,
    }
    if (!decision.allowed) {
      const code = decision.code ?? 'ACCESS_DENIED'
      const reason =
        decision.reason ??
        `${subject} holds no right '${access.action}' on '${access.resource}'; request it with access.request`
      audit.write({ event: 'refused', ...entry, code, reason })
      throw new AccessRefusedError(code, reason, {
        resource: access.resource,
        action: access.action,
      })
    }
    if (access.action === 'admin') audit.write({ event: 'admin', ...entry })
  }

  async function authorizeSlowly(caller: Caller, target: GuardTarget): Promise<void> {
    const access = target.access as Right
    let subject: string
    let decision: Decision
    try {
      subject = await subjectOf(caller)
      decision = await decisions.decide(subject, access.resource, access.action)
    } catch (error) {
      const why = refusal(error)
      const refused = why?.code.startsWith('ACCESS_') && why.code !== 'ACCESS_UNAVAILABLE'
      const thrown = refused ? error : new AccessUnavailableError(error)
      const final = refusal(thrown) as { code: string; reason: string }
      audit.write({
        event: 'refused',
        principal: caller.id,
        actor: target.actor,
        message: target.message,
        resource: access.resource,
        action: access.action,
        ...final,
      })
      throw thrown
    }
    enforce(caller, target, subject, decision)
  }

  return (caller, target) => {
    if (target.access === 'public') return
    if (!caller.id.startsWith('host:')) {
      const cached = decisions.cached(caller.id, target.access.resource, target.access.action)
      if (cached) return enforce(caller, target, caller.id, cached)
    }
    return authorizeSlowly(caller, target)
  }
}
