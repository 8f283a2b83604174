/**
 * EIP-4361 sign-in from the page, the flow of actors/auth (docs/security.md):
 * GET /v1/auth/nonce, an EIP-4361 message for that nonce, personal_sign, then
 * POST /v1/auth/sign-in → {token, address, expiresAt}. The key is either a
 * pasted key file (hex private key; signed here, never sent) or a browser
 * wallet (window.ethereum, EIP-1193 `personal_sign`).
 */
import { getAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createSiweMessage } from 'viem/siwe'

const STATEMENT = 'Sign in to vigil.'

function messageFor(address, nonce) {
  return createSiweMessage({
    address,
    chainId: nonce.chainId,
    domain: nonce.domain,
    nonce: nonce.nonce,
    uri: nonce.uri,
    version: '1',
    issuedAt: new Date(),
    statement: STATEMENT,
  })
}

async function exchange(api, sign) {
  const nonce = await api.json('/v1/auth/nonce')
  const { message, signature } = await sign(nonce)
  return api.json('/v1/auth/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message, signature }),
  })
}

/** The private key in a key file's text: one 0x-prefixed 32-byte hex string. */
export function keyFromFile(text) {
  const key = text.trim()
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) {
    throw new Error('a key file holds one 0x-prefixed 64-digit hex private key')
  }
  return key
}

/** Signs in with a pasted key file. */
export function signInWithKey(api, keyFileText) {
  const account = privateKeyToAccount(keyFromFile(keyFileText))
  return exchange(api, async (nonce) => {
    const message = messageFor(account.address, nonce)
    return { message, signature: await account.signMessage({ message }) }
  })
}

/** Signs in with an EIP-1193 wallet (window.ethereum). */
export async function signInWithWallet(api, ethereum) {
  const [account] = await ethereum.request({ method: 'eth_requestAccounts' })
  if (!account) throw new Error('the wallet gave no account')
  const address = getAddress(account)
  return exchange(api, async (nonce) => {
    const message = messageFor(address, nonce)
    const hex = `0x${Array.from(new TextEncoder().encode(message), (b) => b.toString(16).padStart(2, '0')).join('')}`
    const signature = await ethereum.request({ method: 'personal_sign', params: [hex, address] })
    return { message, signature }
  })
}
