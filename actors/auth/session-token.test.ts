import { describe, expect, test } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import { mintSessionToken, type SessionClaims, verifySessionToken } from './session-token.ts'
import { codeOf } from './testing/index.ts'

const issuer = generateKeyPairSync('ed25519')
const other = generateKeyPairSync('ed25519')
const NOW = 1_800_000_000_000
const claims: SessionClaims = {
  iss: 'fog-1',
  sub: '0x00000000000000000000000000000000000000aa',
  aud: 'local',
  iat: NOW / 1000,
  exp: NOW / 1000 + 900,
  sid: 's1',
}
const keyOf = (id: string) => (id === 'fog-1' ? issuer.publicKey : undefined)
const verifyAt = (token: string, nowMs = NOW, audience = 'local') =>
  verifySessionToken(token, { keyOf, audience, nowMs })

describe('session tokens', () => {
  test('verify against the issuing host key and return their claims', () => {
    expect(verifyAt(mintSessionToken(claims, issuer.privateKey))).toEqual(claims)
  })

  test('signed by a key other than the enrolled one are refused as a bad signature', () => {
    expect(codeOf(() => verifyAt(mintSessionToken(claims, other.privateKey)))).toBe(
      'AUTH_BAD_SIGNATURE',
    )
  })

  test('with a changed payload are refused as a bad signature', () => {
    const [h, , s] = mintSessionToken(claims, issuer.privateKey).split('.')
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: `0x${'b'.repeat(40)}` })).toString(
      'base64url',
    )
    expect(codeOf(() => verifyAt(`${h}.${forged}.${s}`))).toBe('AUTH_BAD_SIGNATURE')
  })

  test('from a host that is not enrolled are refused', () => {
    const token = mintSessionToken({ ...claims, iss: 'intruder' }, other.privateKey)
    expect(codeOf(() => verifyAt(token))).toBe('AUTH_BAD_SIGNATURE')
  })

  test('past their expiry are refused as expired', () => {
    const token = mintSessionToken(claims, issuer.privateKey)
    expect(codeOf(() => verifyAt(token, NOW + 900_000))).toBe('AUTH_EXPIRED')
  })

  test('for another domain are refused as the wrong audience', () => {
    const token = mintSessionToken(claims, issuer.privateKey)
    expect(codeOf(() => verifyAt(token, NOW, 'other-domain'))).toBe('AUTH_WRONG_AUDIENCE')
  })

  test('issued further in the future than the skew are refused as clock skew', () => {
    const token = mintSessionToken({ ...claims, iat: NOW / 1000 + 60 }, issuer.privateKey)
    expect(codeOf(() => verifyAt(token))).toBe('AUTH_CLOCK_SKEW')
  })

  test('that are not EdDSA JWS (alg none, garbage) are refused as malformed', () => {
    const none = `${Buffer.from('{"alg":"none","kid":"host:fog-1"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.x`
    expect(codeOf(() => verifyAt(none))).toBe('AUTH_MALFORMED')
    expect(codeOf(() => verifyAt('not a token'))).toBe('AUTH_MALFORMED')
  })
})
