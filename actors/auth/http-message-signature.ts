/**
 * HTTP Message Signatures (RFC 9421) with Ed25519, for service-to-service
 * callers that sign every request instead of holding a session. vigil
 * requires the covered components `@method`, `@path` (or `@target-uri`) and,
 * when there is a body, `content-digest` (RFC 9530); and the parameters
 * `created`, `nonce` and `keyid` (`alg`, when present, must be `ed25519`).
 * The verifier accepts `created` within a window, remembers each nonce
 * until the window has passed, and checks the body against the digest.
 * Only the first signature of `Signature-Input` is considered.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9421
 */
import { type KeyObject, randomBytes, sign, verify } from 'node:crypto'
import { contentDigest, contentDigestMatches } from './content-digest.ts'
import {
  AuthBadSignatureError,
  AuthClockSkewError,
  AuthExpiredError,
  AuthMalformedError,
  AuthNonceReplayedError,
} from './errors.ts'
import type { NonceStore } from './nonce-store.ts'

/** The parts of a request a signature covers. */
export type SignableRequest = {
  readonly method: string
  readonly url: string
  readonly headers: Headers
  readonly body?: Uint8Array | undefined
}

export type SignRequestOptions = {
  keyId: string
  privateKey: KeyObject
  /** Seconds since the epoch. */
  created: number
  /** Default: 128 random bits, hex. */
  nonce?: string | undefined
  /** Default `@method`, `@path`, and `content-digest` when there is a body. */
  components?: readonly string[] | undefined
}

/** The headers to add to a request to sign it (`signature-input`, `signature`, `content-digest`). */
export function signRequest(
  request: SignableRequest,
  options: SignRequestOptions,
): Record<string, string> {
  const headers = new Headers(request.headers)
  const added: Record<string, string> = {}
  const hasBody = request.body !== undefined && request.body.length > 0
  if (hasBody) {
    added['content-digest'] = contentDigest(request.body as Uint8Array)
    headers.set('content-digest', added['content-digest'])
  }
  const components =
    options.components ?? (hasBody ? ['@method', '@path', 'content-digest'] : ['@method', '@path'])
  const nonce = options.nonce ?? randomBytes(16).toString('hex')
  const params = `(${components.map((c) => `"${c}"`).join(' ')});created=${options.created};keyid="${options.keyId}";nonce="${nonce}";alg="ed25519"`
  const base = signatureBase({ ...request, headers }, components, params)
  const signature = sign(null, Buffer.from(base), options.privateKey).toString('base64')
  added['signature-input'] = `sig1=${params}`
  added.signature = `sig1=:${signature}:`
  return added
}

type ParsedSignature = {
  label: string
  components: string[]
  /** The serialized inner list and parameters, exactly as signed. */
  params: string
  created: number
  expires: number | undefined
  keyId: string
  nonce: string
  signature: Buffer
}

const INPUT =
  /^\s*([a-z*][a-z0-9_.*-]*)=(\(((?:\s*"[^"]*")*)\s*\)((?:;[a-z*][a-z0-9_.*-]*=(?:"[^"]*"|-?[0-9]+|[A-Za-z0-9_.*-]+))*))/

function parameter(params: string, name: string): string | undefined {
  const match = new RegExp(`;${name}=("([^"]*)"|[^;]*)`).exec(params)
  return match ? (match[2] ?? match[1]) : undefined
}

/** Parses the first signature of `Signature-Input` and its `Signature`; throws AUTH_MALFORMED. */
export function parseSignatureHeaders(headers: Headers): ParsedSignature {
  const input = headers.get('signature-input')
  const value = headers.get('signature')
  if (!input || !value) throw new AuthMalformedError('send both Signature-Input and Signature')
  const match = INPUT.exec(input)
  if (!match) throw new AuthMalformedError('Signature-Input is not an RFC 9421 inner list')
  const [, label, params, list, tail] = match as unknown as [string, string, string, string, string]
  const components = [...list.matchAll(/"([^"]*)"/g)].map((m) => m[1] as string)
  const created = Number(parameter(tail, 'created'))
  const expiresText = parameter(tail, 'expires')
  const keyId = parameter(tail, 'keyid')
  const nonce = parameter(tail, 'nonce')
  const alg = parameter(tail, 'alg')
  if (!Number.isInteger(created) || !keyId || !nonce) {
    throw new AuthMalformedError('Signature-Input needs created, keyid and nonce parameters')
  }
  if (alg !== undefined && alg !== 'ed25519') {
    throw new AuthMalformedError(`signature algorithm '${alg}' is not accepted (ed25519 only)`)
  }
  const signature = new RegExp(
    `(?:^|,)\\s*${label.replace(/[.*]/g, '\\$&')}=:([A-Za-z0-9+/=]+):`,
  ).exec(value)?.[1]
  if (!signature) throw new AuthMalformedError(`Signature has no entry '${label}'`)
  return {
    label,
    components,
    params,
    created,
    expires: expiresText === undefined ? undefined : Number(expiresText),
    keyId,
    nonce,
    signature: Buffer.from(signature, 'base64'),
  }
}

function componentValue(request: SignableRequest, url: URL, name: string): string {
  switch (name) {
    case '@method':
      return request.method.toUpperCase()
    case '@path':
      return url.pathname
    case '@query':
      return url.search === '' ? '?' : url.search
    case '@authority':
      return url.host.toLowerCase()
    case '@target-uri':
      return url.href
    case '@scheme':
      return url.protocol.slice(0, -1)
    default: {
      if (name.startsWith('@')) {
        throw new AuthMalformedError(`derived component '${name}' is not supported`)
      }
      const value = request.headers.get(name)
      if (value === null) throw new AuthMalformedError(`covered header '${name}' is missing`)
      return value.trim()
    }
  }
}

/** The signature base (RFC 9421 §2.5): one line per covered component, then `@signature-params`. */
export function signatureBase(
  request: SignableRequest,
  components: readonly string[],
  params: string,
): string {
  const url = new URL(request.url)
  const lines = components.map((name) => `"${name}": ${componentValue(request, url, name)}`)
  lines.push(`"@signature-params": ${params}`)
  return lines.join('\n')
}

export type VerifyRequestSignatureOptions = {
  /** The Ed25519 public key a `keyid` names, or undefined when the key is not trusted. */
  keyOf(keyId: string): KeyObject | undefined
  nowMs: number
  /** How old `created` may be, ms; default 30,000. */
  windowMs?: number | undefined
  /** How far in the future `created` may be, ms; default 5,000. */
  skewMs?: number | undefined
  nonces: NonceStore
}

/** Verifies a signed request; returns the signing `keyid`. Throws an AUTH_* error. */
export function verifyRequestSignature(
  request: SignableRequest,
  options: VerifyRequestSignatureOptions,
): { keyId: string } {
  const parsed = parseSignatureHeaders(request.headers)
  const covers = new Set(parsed.components)
  const hasBody = request.body !== undefined && request.body.length > 0
  if (!covers.has('@method') || !(covers.has('@path') || covers.has('@target-uri'))) {
    throw new AuthMalformedError('the signature must cover @method and @path (or @target-uri)')
  }
  if (hasBody && !covers.has('content-digest')) {
    throw new AuthMalformedError('the signature must cover content-digest when there is a body')
  }
  const windowMs = options.windowMs ?? 30_000
  const createdMs = parsed.created * 1000
  if (createdMs > options.nowMs + (options.skewMs ?? 5000)) {
    throw new AuthClockSkewError('the signature created time')
  }
  if (createdMs < options.nowMs - windowMs) throw new AuthExpiredError('the request signature')
  if (parsed.expires !== undefined && parsed.expires * 1000 <= options.nowMs) {
    throw new AuthExpiredError('the request signature')
  }
  const key = options.keyOf(parsed.keyId)
  if (!key) throw new AuthBadSignatureError(`the request signature (unknown keyid)`)
  const base = signatureBase(request, parsed.components, parsed.params)
  let valid = false
  try {
    valid = verify(null, Buffer.from(base), key, parsed.signature)
  } catch {
    valid = false
  }
  if (!valid) throw new AuthBadSignatureError('the request signature', { keyId: parsed.keyId })
  if (hasBody) {
    const digest = request.headers.get('content-digest') ?? ''
    if (!contentDigestMatches(digest, request.body as Uint8Array)) {
      throw new AuthBadSignatureError('the Content-Digest of the body')
    }
  }
  if (!options.nonces.remember(`${parsed.keyId} ${parsed.nonce}`, createdMs + windowMs)) {
    throw new AuthNonceReplayedError('the request signature nonce')
  }
  return { keyId: parsed.keyId }
}
