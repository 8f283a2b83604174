/**
 * `Content-Digest` (RFC 9530) with SHA-256: `sha-256=:<base64>:`, the
 * structured-field byte sequence of the body's digest. An RFC 9421
 * signature covers this header, which binds the body to the signature.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9530
 */
import { createHash, timingSafeEqual } from 'node:crypto'

/** The header value for `body`. */
export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`
}

/** True when `header` carries a sha-256 digest equal to the body's. */
export function contentDigestMatches(header: string, body: Uint8Array): boolean {
  const match = /(?:^|,)\s*sha-256=:([A-Za-z0-9+/=]+):/.exec(header)
  if (!match?.[1]) return false
  const given = Buffer.from(match[1], 'base64')
  const actual = createHash('sha256').update(body).digest()
  return given.length === actual.length && timingSafeEqual(given, actual)
}
