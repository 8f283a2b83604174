/**
 * Authentication and gateway authorization for vigil: the `auth` actor
 * (EIP-4361 sign-in), Ed25519 session tokens verifiable on any host of the
 * domain, RFC 9421 request signatures, the gateway guard with its local
 * decision cache and `admitCaller`, and the audit log. The composition
 * (scripts/security-plugins.ts) builds the guard per host. See
 * docs/security.md.
 */

// biome-ignore lint/performance/noBarrelFile: entrypoint module of the auth folder
export {
  type AuditEntry,
  type AuditLog,
  createAuditLog,
  createMemoryAuditLog,
} from './audit-log.ts'
export { authActor, signInAuthority } from './auth-actor.ts'
export { auditCommand } from './cli/audit-command.ts'
export { authCommand } from './cli/auth-command.ts'
export { contentDigest } from './content-digest.ts'
export { type AuthGuard, type AuthGuardOptions, createAuthGuard } from './create-auth-guard.ts'
export { type AccessDecision, DecisionCache } from './decision-cache.ts'
export {
  AccessRefusedError,
  AccessUnavailableError,
  AUTH_STATUS_BY_CODE,
  AuthBadSignatureError,
  AuthClockSkewError,
  type AuthErrorCode,
  AuthExpiredError,
  AuthMalformedError,
  AuthNonceReplayedError,
  AuthRequiredError,
  AuthRevokedError,
  AuthWrongAudienceError,
  authErrors,
} from './errors.ts'
export {
  type SignableRequest,
  signRequest,
  verifyRequestSignature,
} from './http-message-signature.ts'
export { NonceStore } from './nonce-store.ts'
export { type AuthArgs, authArgs, authProtocol } from './protocol.ts'
export { mintSessionToken, type SessionClaims, verifySessionToken } from './session-token.ts'
export { type Revocations, SessionVerifier } from './session-verifier.ts'
export { type SignInNonce, signIn, signSignInMessage } from './sign-in-client.ts'
export { checkSignInMessage, type VerifiedSignIn, verifySignIn } from './verify-sign-in.ts'
