import { describe, expect, test } from 'bun:test'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createSiweMessage } from 'viem/siwe'
import { verifySignIn } from './verify-sign-in.ts'

const account = privateKeyToAccount(generatePrivateKey())
const intruder = privateKeyToAccount(generatePrivateKey())
const NOW = 1_800_000_000_000
const options = { domain: 'local.vigil', uri: 'vigil://local', chainId: 31337, nowMs: NOW }

function message(overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}) {
  return createSiweMessage({
    address: account.address,
    chainId: 31337,
    domain: 'local.vigil',
    nonce: 'abcdef0123456789',
    uri: 'vigil://local',
    version: '1',
    issuedAt: new Date(NOW - 1000),
    expirationTime: new Date(NOW + 60_000),
    ...overrides,
  })
}

async function codeOf(text: string, signer = account, extra = {}) {
  const signature = await signer.signMessage({ message: text })
  try {
    await verifySignIn(text, signature, { ...options, ...extra })
    return 'none'
  } catch (error) {
    return (error as { code?: string }).code
  }
}

describe('verifySignIn', () => {
  test('accepts a message for this domain and chain signed by its address', async () => {
    const text = message()
    const result = await verifySignIn(text, await account.signMessage({ message: text }), options)
    expect(result).toEqual({
      address: account.address.toLowerCase(),
      nonce: 'abcdef0123456789',
      expiresAtMs: NOW + 60_000,
    })
  })

  test('refuses a message signed by another key as a bad signature', async () => {
    expect(await codeOf(message(), intruder)).toBe('AUTH_BAD_SIGNATURE')
  })

  test('refuses another domain, another chain and a foreign URI as the wrong audience', async () => {
    expect(await codeOf(message({ domain: 'evil.example' }))).toBe('AUTH_WRONG_AUDIENCE')
    expect(await codeOf(message({ chainId: 1 }))).toBe('AUTH_WRONG_AUDIENCE')
    expect(await codeOf(message({ uri: 'https://evil.example/login' }))).toBe('AUTH_WRONG_AUDIENCE')
  })

  test('accepts a URI of a configured origin', async () => {
    const text = message({ uri: 'https://gw.example/app' })
    expect(await codeOf(text, account, { origins: ['https://gw.example'] })).toBe('none')
  })

  test('refuses an expired message and one issued too long ago as expired', async () => {
    expect(await codeOf(message({ expirationTime: new Date(NOW - 1) }))).toBe('AUTH_EXPIRED')
    expect(await codeOf(message({ issuedAt: new Date(NOW - 600_000) }))).toBe('AUTH_EXPIRED')
  })

  test('refuses a message issued or valid only in the future as clock skew', async () => {
    expect(await codeOf(message({ issuedAt: new Date(NOW + 60_000) }))).toBe('AUTH_CLOCK_SKEW')
    expect(await codeOf(message({ notBefore: new Date(NOW + 60_000) }))).toBe('AUTH_CLOCK_SKEW')
  })

  test('refuses text that is not an EIP-4361 message as malformed', async () => {
    expect(await codeOf('hello, let me in')).toBe('AUTH_MALFORMED')
  })
})
