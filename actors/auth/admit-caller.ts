/**
 * `admitCaller` for principals other hosts forward: the caller's session
 * token must verify here and name the same principal; anything else is
 * CALLER_FORGED or CALLER_REFUSED, written to the audit log.
 */
import { type AdmitCaller, CallerForgedError, CallerRefusedError } from '../../runtime/index.ts'
import type { AuditLog } from './audit-log.ts'
import { refusal } from './refusal.ts'
import { sessionCaller } from './session-caller.ts'
import type { SessionVerifier } from './session-verifier.ts'

export function createAdmitCaller(audit: AuditLog, sessions: SessionVerifier): AdmitCaller {
  return (caller, fromPeerId) => {
    try {
      if (!caller.credential) {
        throw new CallerRefusedError(caller.id, fromPeerId, 'it carries no credential')
      }
      const claims = sessions.verify(caller.credential)
      if (claims.sub !== caller.id) {
        throw new CallerForgedError(caller.id, fromPeerId, {
          details: 'its credential names another principal',
        })
      }
      return sessionCaller(caller.credential, claims)
    } catch (error) {
      const why = refusal(error)
      audit.write({
        event: 'caller_refused',
        principal: caller.id,
        peer: fromPeerId,
        ...(why ?? {}),
      })
      if (why?.code === 'CALLER_FORGED' || why?.code === 'CALLER_REFUSED') throw error
      throw new CallerForgedError(caller.id, fromPeerId, {
        details: `its credential does not verify (${why?.code ?? 'unknown'})`,
      })
    }
  }
}
