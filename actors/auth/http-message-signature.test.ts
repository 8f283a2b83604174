import { describe, expect, test } from 'bun:test'
import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto'
import { TestClock } from '../../runtime/index.ts'
import { signatureBase, signRequest, verifyRequestSignature } from './http-message-signature.ts'
import { NonceStore } from './nonce-store.ts'

const key = generateKeyPairSync('ed25519')
const URL_ = 'http://127.0.0.1:8080/v1/actors/echo/echo.say'
const body = new TextEncoder().encode('{"text":"hi"}')

function setup() {
  const clock = new TestClock(1_800_000_000_000)
  const nonces = new NonceStore({ clock, ttlMs: 30_000 })
  const sign = (overrides: { created?: number; url?: string; nonce?: string } = {}) => {
    const headers = new Headers({ 'content-type': 'application/json' })
    const added = signRequest(
      { method: 'POST', url: overrides.url ?? URL_, headers, body },
      {
        keyId: 'host:fog-1',
        privateKey: key.privateKey,
        created: overrides.created ?? clock.now() / 1000,
        nonce: overrides.nonce,
      },
    )
    for (const [name, value] of Object.entries(added)) headers.set(name, value)
    return headers
  }
  const check = (headers: Headers, request: { url?: string; body?: Uint8Array } = {}) => {
    try {
      return verifyRequestSignature(
        { method: 'POST', url: request.url ?? URL_, headers, body: request.body ?? body },
        {
          keyOf: (id) => (id === 'host:fog-1' ? key.publicKey : undefined),
          nowMs: clock.now(),
          nonces,
        },
      ).keyId
    } catch (error) {
      return (error as { code?: string }).code
    }
  }
  return { clock, sign, check }
}

describe('RFC 9421 signatures', () => {
  test('produce the signature base of the RFC 9421 Ed25519 example (B.2.6)', () => {
    // RFC 9421 Appendix B.1.4 test key and B.2.6 signature.
    const privateKey = createPrivateKey(
      '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n',
    )
    const headers = new Headers({
      date: 'Tue, 20 Apr 2021 02:07:55 GMT',
      'content-type': 'application/json',
      'content-length': '18',
    })
    const base = signatureBase(
      { method: 'POST', url: 'https://example.com/foo?param=Value&Pet=dog', headers },
      ['date', '@method', '@path', '@authority', 'content-type', 'content-length'],
      '("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    )
    const expected =
      'wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw=='
    expect(
      verify(null, Buffer.from(base), createPublicKey(privateKey), Buffer.from(expected, 'base64')),
    ).toBe(true)
  })

  test('verify a signed request and name its key', () => {
    const { sign, check } = setup()
    expect(check(sign())).toBe('host:fog-1')
  })

  test('refuse the same nonce a second time as replayed', () => {
    const { sign, check } = setup()
    const headers = sign({ nonce: 'n-1' })
    expect([check(headers), check(headers)]).toEqual(['host:fog-1', 'AUTH_NONCE_REPLAYED'])
  })

  test('refuse a created time older than the window as expired and one in the future as skew', () => {
    const { sign, check, clock } = setup()
    expect(check(sign({ created: clock.now() / 1000 - 60 }))).toBe('AUTH_EXPIRED')
    expect(check(sign({ created: clock.now() / 1000 + 60 }))).toBe('AUTH_CLOCK_SKEW')
  })

  test('refuse a request whose path or body changed as a bad signature', () => {
    const { sign, check } = setup()
    expect(check(sign(), { url: 'http://127.0.0.1:8080/v1/actors/ledger/ledger.commit' })).toBe(
      'AUTH_BAD_SIGNATURE',
    )
    expect(check(sign(), { body: new TextEncoder().encode('{"text":"ho"}') })).toBe(
      'AUTH_BAD_SIGNATURE',
    )
  })

  test('refuse an unknown key and a missing or garbled header', () => {
    const { sign, check } = setup()
    const headers = sign()
    headers.set(
      'signature-input',
      headers.get('signature-input')?.replace('host:fog-1', 'host:x') ?? '',
    )
    expect(check(headers)).toBe('AUTH_BAD_SIGNATURE')
    const noSignature = sign()
    noSignature.delete('signature')
    expect(check(noSignature)).toBe('AUTH_MALFORMED')
  })
})
