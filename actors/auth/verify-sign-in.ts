/**
 * Sign-In with Ethereum (EIP-4361) checks, with one error code per failure:
 * the message must parse, name this domain, an accepted URI and this chain,
 * carry an issued-at within the skew and age limits, an expiration in the
 * future, and be signed (EIP-191 personal_sign, secp256k1) by the address
 * it names. The nonce is checked by the caller (single use, see
 * {@link NonceStore}), after the signature, so garbage cannot burn a
 * legitimate user's nonce. Pure apart from the signature check; time comes
 * in as `nowMs`.
 *
 * @see https://eips.ethereum.org/EIPS/eip-4361
 */
import { type Hex, verifyMessage } from 'viem'
import { parseSiweMessage } from 'viem/siwe'
import {
  AuthBadSignatureError,
  AuthClockSkewError,
  AuthExpiredError,
  AuthMalformedError,
  AuthWrongAudienceError,
} from './errors.ts'

export type VerifySignInOptions = {
  /** The EIP-4361 `domain` (RFC 3986 authority) messages must name. */
  domain: string
  /** The URI always accepted; default `vigil://<domain>`. */
  uri?: string | undefined
  /** EIP-155 chain id of the identity registry. */
  chainId: number
  nowMs: number
  /** Extra accepted URI origins (e.g. a gateway's https origin) besides `uri`. */
  origins?: readonly string[] | undefined
  /** Tolerated clock difference, ms; default 30,000. */
  skewMs?: number | undefined
  /** Oldest accepted issued-at, ms; default 300,000 (5 min). */
  maxAgeMs?: number | undefined
}

export type VerifiedSignIn = {
  /** Lower-case 0x address. */
  address: string
  nonce: string
  /** The message's expiration, ms since the epoch (undefined when it has none). */
  expiresAtMs: number | undefined
}

const HEX_SIGNATURE = /^0x[0-9a-fA-F]{130}$/

function uriAccepted(uri: string, options: VerifySignInOptions): boolean {
  if (uri === (options.uri ?? `vigil://${options.domain}`)) return true
  let origin: string
  try {
    origin = new URL(uri).origin
  } catch {
    return false
  }
  return (options.origins ?? []).includes(origin)
}

/** Checks the message fields (not the signature); returns the parsed facts. */
export function checkSignInMessage(message: string, options: VerifySignInOptions): VerifiedSignIn {
  if (message.length > 4096) throw new AuthMalformedError('the sign-in message is too long')
  const fields = parseSiweMessage(message)
  if (!fields.address || !fields.domain || !fields.nonce || !fields.uri || !fields.chainId) {
    throw new AuthMalformedError(
      'the sign-in message is not an EIP-4361 message with domain, address, URI, chain id and nonce',
    )
  }
  if (fields.version !== '1') throw new AuthMalformedError('the sign-in message is not version 1')
  if (fields.domain !== options.domain) {
    throw new AuthWrongAudienceError(`the sign-in is for domain '${fields.domain}'`, {
      expected: options.domain,
    })
  }
  if (fields.chainId !== options.chainId) {
    throw new AuthWrongAudienceError(`the sign-in is for chain ${fields.chainId}`, {
      expected: options.chainId,
    })
  }
  if (!uriAccepted(fields.uri, options)) {
    throw new AuthWrongAudienceError(`the sign-in URI is not one of this domain's`, {
      expected: options.uri ?? `vigil://${options.domain}`,
    })
  }
  const skew = options.skewMs ?? 30_000
  const issuedAt = fields.issuedAt?.getTime()
  if (issuedAt === undefined || Number.isNaN(issuedAt)) {
    throw new AuthMalformedError('the sign-in message needs an RFC 3339 Issued At')
  }
  if (issuedAt > options.nowMs + skew) throw new AuthClockSkewError('the sign-in Issued At')
  if (issuedAt < options.nowMs - (options.maxAgeMs ?? 300_000)) {
    throw new AuthExpiredError('the sign-in message (Issued At too old)')
  }
  const notBefore = fields.notBefore?.getTime()
  if (notBefore !== undefined && (Number.isNaN(notBefore) || notBefore > options.nowMs + skew)) {
    throw new AuthClockSkewError('the sign-in Not Before')
  }
  const expiresAtMs = fields.expirationTime?.getTime()
  if (expiresAtMs !== undefined && (Number.isNaN(expiresAtMs) || expiresAtMs <= options.nowMs)) {
    throw new AuthExpiredError('the sign-in message')
  }
  return { address: fields.address.toLowerCase(), nonce: fields.nonce, expiresAtMs }
}

/** Checks the message, then its secp256k1 signature (~0.6 ms: keep it off the gateway thread). */
export async function verifySignIn(
  message: string,
  signature: string,
  options: VerifySignInOptions,
): Promise<VerifiedSignIn> {
  const checked = checkSignInMessage(message, options)
  if (!HEX_SIGNATURE.test(signature)) {
    throw new AuthMalformedError('the sign-in signature is not 65 bytes of 0x hex')
  }
  let valid = false
  try {
    valid = await verifyMessage({
      address: checked.address as Hex,
      message,
      signature: signature as Hex,
    })
  } catch {
    valid = false
  }
  if (!valid) throw new AuthBadSignatureError('the sign-in signature', { address: checked.address })
  return checked
}
