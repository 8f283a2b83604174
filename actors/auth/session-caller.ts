/** The caller a verified session token stands for: its subject, with the token as credential. */
import type { Caller } from '../../runtime/index.ts'
import type { SessionClaims } from './session-token.ts'

export function sessionCaller(token: string, claims: SessionClaims): Caller {
  return {
    id: claims.sub,
    credential: token,
    claims: {
      domain: claims.aud,
      via: 'session',
      session: claims.sid,
      issuer: claims.iss,
      ...(claims.nt ? { nodeType: claims.nt } : {}),
      ...(claims.zone ? { zone: claims.zone } : {}),
    },
  }
}
