/**
 * The `auth` actor (EIP-4361 sign-in), in its own worker: it hands out
 * single-use nonces, verifies signed sign-in messages (secp256k1, ~0.6 ms
 * each: this is why it is an actor and not gateway code) and keeps the
 * revocation list gateways poll. Its handlers never await another actor,
 * so sign-ins are limited by the signature check alone; the gateway route
 * asks the identity actor whether the address is registered. One instance per domain (it holds the
 * nonces); the gateway that received the sign-in signs the session token
 * with its own host key. State is in memory: a restart forgets nonces
 * (clients fetch new ones) and revocations (sessions are short-lived;
 * `auth.revoke` again, or remove the address on chain, which access-control
 * enforces independently).
 */
import { randomBytes } from 'node:crypto'
import { defineActor } from '../../runtime/index.ts'
import { AuthNonceReplayedError } from './errors.ts'
import { NonceStore } from './nonce-store.ts'
import { type AuthArgs, authArgs, authProtocol } from './protocol.ts'
import { verifySignIn } from './verify-sign-in.ts'

type Revocation =
  | { seq: number; kind: 'session'; sid: string; exp: number }
  | { seq: number; kind: 'address'; address: string; before: number }

type AuthState = {
  args: ReturnType<typeof authArgs.parse>
  /** The EIP-4361 domain sign-ins must name. */
  authority: string
  nonces: NonceStore
  /** Random per incarnation: a gateway whose cursor is from another incarnation starts over. */
  epoch: string
  seq: number
  revocations: Revocation[]
}

function prune(state: AuthState, nowSeconds: number): void {
  // Session revocations are kept until the session would have expired anyway; address cut-offs
  // until every session they cover has (issued before + longest lifetime).
  const ttl = state.args.sessionTtlSeconds
  state.revocations = state.revocations.filter((r) =>
    r.kind === 'session' ? r.exp > nowSeconds : r.before + ttl > nowSeconds,
  )
}

/** EIP-4361 wants an authority with a dot (viem enforces it): `local` signs in as `local.vigil`. */
export function signInAuthority(domain: string, configured?: string | undefined): string {
  return configured ?? (domain.includes('.') ? domain : `${domain}.vigil`)
}

export const authActor = defineActor({
  name: 'auth',
  version: 1,
  protocol: authProtocol,
  init(args: AuthArgs, context): AuthState {
    const parsed = authArgs.parse(args)
    return {
      args: parsed,
      authority: signInAuthority(parsed.domain, parsed.signInDomain),
      nonces: new NonceStore({ clock: context.clock, ttlMs: parsed.nonceTtlSeconds * 1000 }),
      epoch: randomBytes(8).toString('hex'),
      seq: 0,
      revocations: [],
    }
  },
  receive: {
    'auth.nonce': (_payload, state) => {
      const { nonce, expiresAtMs } = state.nonces.issue()
      return {
        nonce,
        domain: state.authority,
        chainId: state.args.chainId,
        uri: `vigil://${state.args.domain}`,
        expiresAt: new Date(expiresAtMs).toISOString(),
      }
    },
    'auth.sign_in': async (payload, state, context) => {
      const nowMs = context.clock.now()
      const verified = await verifySignIn(payload.message, payload.signature, {
        domain: state.authority,
        uri: `vigil://${state.args.domain}`,
        chainId: state.args.chainId,
        nowMs,
        origins: state.args.origins,
        skewMs: state.args.skewMs,
        maxAgeMs: state.args.nonceTtlSeconds * 1000,
      })
      // After the signature: only the key holder can burn its own nonce.
      if (!state.nonces.consume(verified.nonce)) {
        throw new AuthNonceReplayedError('the sign-in nonce')
      }
      // Fractional seconds (RFC 7519 NumericDate allows them): a session opened right after an
      // `auth.revoke` in the same second stays valid.
      const issuedAt = nowMs / 1000
      const limit = Math.floor(issuedAt) + state.args.sessionTtlSeconds
      const expiresAt =
        verified.expiresAtMs === undefined
          ? limit
          : Math.min(limit, Math.floor(verified.expiresAtMs / 1000))
      context.log('auth.signed_in', { address: verified.address })
      return {
        address: verified.address,
        sessionId: randomBytes(12).toString('base64url'),
        domain: state.args.domain,
        issuedAt,
        expiresAt,
      }
    },
    'auth.sign_out': (payload, state, context) => {
      prune(state, context.clock.now() / 1000)
      state.revocations.push({
        seq: ++state.seq,
        kind: 'session',
        sid: payload.sessionId,
        exp: payload.expiresAt,
      })
      return { revoked: true }
    },
    'auth.revoke': (payload, state, context) => {
      const nowSeconds = context.clock.now() / 1000
      prune(state, nowSeconds)
      const address = payload.address.toLowerCase()
      const before = nowSeconds
      state.revocations.push({ seq: ++state.seq, kind: 'address', address, before })
      context.log('auth.revoked', { address })
      return { address, before }
    },
    'auth.revocations': (payload, state) => {
      const since = payload.epoch === state.epoch ? payload.since : 0
      const fresh = state.revocations.filter((r) => r.seq > since)
      return {
        epoch: state.epoch,
        seq: state.seq,
        sessions: fresh.flatMap((r) => (r.kind === 'session' ? [{ sid: r.sid, exp: r.exp }] : [])),
        addresses: fresh.flatMap((r) =>
          r.kind === 'address' ? [{ address: r.address, before: r.before }] : [],
        ),
      }
    },
  },
})
