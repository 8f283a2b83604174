/**
 * The client side of sign-in, for the CLI, tests and the bench: fetch a
 * nonce from a gateway, build the EIP-4361 message it asks for, sign it
 * with an account key (personal_sign), and exchange it for a session token.
 */
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createSiweMessage } from 'viem/siwe'
import { BaseError } from '../../runtime/index.ts'

export type SignInResult = { token: string; address: string; expiresAt: string }

/** What `GET /v1/auth/nonce` answers. */
export type SignInNonce = { nonce: string; domain: string; chainId: number; uri: string }

async function json<T>(response: Response, what: string): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { code?: string; message?: string }
  if (!response.ok) {
    throw new BaseError(
      body.code ?? 'AUTH_SIGN_IN_FAILED',
      `${what}: ${body.message ?? response.status}`,
      {
        kind: 'application',
      },
    )
  }
  return body
}

/** The signed EIP-4361 message for a nonce the gateway handed out. */
export async function signSignInMessage(
  privateKey: Hex,
  nonce: SignInNonce,
  now = new Date(),
): Promise<{ message: string; signature: string }> {
  const account = privateKeyToAccount(privateKey)
  const message = createSiweMessage({
    address: account.address,
    chainId: nonce.chainId,
    domain: nonce.domain,
    nonce: nonce.nonce,
    uri: nonce.uri,
    version: '1',
    issuedAt: now,
    statement: 'Sign in to vigil.',
  })
  return { message, signature: await account.signMessage({ message }) }
}

/** Signs in at `gatewayUrl` with `privateKey`; returns the session token. */
export async function signIn(gatewayUrl: string, privateKey: Hex): Promise<SignInResult> {
  const base = gatewayUrl.replace(/\/+$/, '')
  const nonce = await json<SignInNonce>(await fetch(`${base}/v1/auth/nonce`), 'nonce')
  const body = await signSignInMessage(privateKey, nonce)
  return json<SignInResult>(
    await fetch(`${base}/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    'sign-in',
  )
}
