/**
 * The `auth` actor's messages and init arguments. Sign-in goes through the
 * gateway's `POST /v1/auth/sign-in`, which asks `auth.sign_in` here (the
 * slow secp256k1 check runs in this actor's worker, off the gateway thread)
 * and then signs the session token with its own host key; so `auth.sign_in`,
 * `auth.sign_out` and `auth.revocations` are host-internal (action `admin`
 * from outside). `auth.nonce` is public; `auth.revoke` is for operators.
 */
import { z } from 'zod'

const SESSIONS = { resource: '/auth/sessions', action: 'admin' } as const
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte address')

/** Init arguments of the auth actor (plain data). */
export const authArgs = z.object({
  domain: z.string().min(1).describe("the vigil domain sessions are for (the tokens' aud)"),
  signInDomain: z
    .string()
    .optional()
    .describe(
      'EIP-4361 domain (an RFC 3986 authority with a dot) sign-in messages must name; default the domain, or <domain>.vigil when it has no dot',
    ),
  chainId: z
    .number()
    .int()
    .positive()
    .describe("EIP-155 chain id of the domain's identity registry"),
  sessionTtlSeconds: z
    .number()
    .int()
    .positive()
    .default(900)
    .describe('session lifetime, seconds; default 900 (15 min)'),
  nonceTtlSeconds: z
    .number()
    .int()
    .positive()
    .default(300)
    .describe('how long a sign-in nonce stays valid, seconds; default 300'),
  origins: z
    .array(z.string())
    .default([])
    .describe('URI origins accepted in sign-in messages besides vigil://<domain>; default none'),
  skewMs: z
    .number()
    .int()
    .min(0)
    .default(30_000)
    .describe('tolerated clock skew, ms; default 30,000'),
})

export type AuthArgs = z.input<typeof authArgs>

const revocations = z.object({
  sessions: z.array(z.object({ sid: z.string(), exp: z.number() })),
  addresses: z.array(z.object({ address: z.string(), before: z.number() })),
})

/** Messages of the `auth` actor. */
export const authProtocol = {
  'auth.nonce': {
    payload: z.object({}).optional(),
    reply: z.object({
      nonce: z.string(),
      domain: z.string(),
      chainId: z.number(),
      uri: z.string(),
      expiresAt: z.string().describe('ISO time after which the nonce is refused'),
    }),
    access: 'public',
    description: 'A single-use sign-in nonce, with the domain, chain id and URI to sign for.',
  },
  'auth.sign_in': {
    payload: z.object({ message: z.string().max(4096), signature: z.string().max(200) }),
    reply: z.object({
      address: z.string(),
      sessionId: z.string(),
      domain: z.string(),
      issuedAt: z.number().describe('seconds since the epoch'),
      expiresAt: z.number().describe('seconds since the epoch'),
    }),
    errors: [
      'AUTH_MALFORMED',
      'AUTH_BAD_SIGNATURE',
      'AUTH_NONCE_REPLAYED',
      'AUTH_EXPIRED',
      'AUTH_WRONG_AUDIENCE',
      'AUTH_CLOCK_SKEW',
    ],
    access: SESSIONS,
    description:
      'Verifies an EIP-4361 sign-in and opens a session (the gateway route POST /v1/auth/sign-in signs the token).',
  },
  'auth.sign_out': {
    payload: z.object({ sessionId: z.string().min(1).max(64), expiresAt: z.number() }),
    reply: z.object({ revoked: z.boolean() }),
    access: SESSIONS,
    description: 'Revokes one session (asked by POST /v1/auth/sign-out).',
  },
  'auth.revoke': {
    payload: z.object({ address }),
    reply: z.object({ address: z.string(), before: z.number() }),
    access: SESSIONS,
    description: 'Revokes every session of an address issued up to now (operators).',
  },
  'auth.revocations': {
    payload: z.object({ epoch: z.string().optional(), since: z.number().int().min(0) }),
    reply: revocations.extend({ epoch: z.string(), seq: z.number().int() }),
    idempotent: true,
    access: SESSIONS,
    description: 'Revocations after `since` (gateways poll this to refuse revoked sessions).',
  },
} as const
