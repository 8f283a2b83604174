import { describe, expect, test } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import { TestClock } from '../../runtime/index.ts'
import { mintSessionToken } from './session-token.ts'
import { SessionVerifier } from './session-verifier.ts'
import { codeOf } from './testing/index.ts'

const issuer = generateKeyPairSync('ed25519')
const ADDRESS = '0x00000000000000000000000000000000000000aa'

function setup() {
  const clock = new TestClock(1_800_000_000_000)
  let lookups = 0
  const verifier = new SessionVerifier({
    keyOf: () => {
      lookups++
      return issuer.publicKey
    },
    audience: 'local',
    clock,
  })
  const mint = (sid: string, iat = clock.now() / 1000) =>
    mintSessionToken(
      { iss: 'fog-1', sub: ADDRESS, aud: 'local', iat, exp: Math.floor(iat) + 60, sid },
      issuer.privateKey,
    )
  return { clock, verifier, mint, lookups: () => lookups }
}

describe('SessionVerifier', () => {
  test('checks a token signature once and answers later uses from its cache', () => {
    const { verifier, mint, lookups } = setup()
    const token = mint('s1')
    for (let i = 0; i < 5; i++) expect(verifier.verify(token).sid).toBe('s1')
    expect(lookups()).toBe(1)
  })

  test('refuses a cached token once it has expired', () => {
    const { verifier, mint, clock } = setup()
    const token = mint('s1')
    verifier.verify(token)
    clock.advance(61_000)
    expect(codeOf(() => verifier.verify(token))).toBe('AUTH_EXPIRED')
  })

  test('refuses a signed-out session as revoked', () => {
    const { verifier, mint } = setup()
    const token = mint('s1')
    verifier.verify(token)
    verifier.apply({ sessions: [{ sid: 's1', exp: Number.MAX_SAFE_INTEGER }], addresses: [] })
    expect(codeOf(() => verifier.verify(token))).toBe('AUTH_REVOKED')
  })

  test("refuses an address's sessions issued up to a revocation and accepts later ones", () => {
    const { verifier, mint, clock } = setup()
    const before = mint('s1')
    verifier.apply({ sessions: [], addresses: [{ address: ADDRESS, before: clock.now() / 1000 }] })
    clock.advance(10)
    const after = mint('s2')
    expect(codeOf(() => verifier.verify(before))).toBe('AUTH_REVOKED')
    expect(verifier.verify(after).sid).toBe('s2')
  })
})
