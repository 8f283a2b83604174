/** A fresh account address nobody holds the key of: a subject or owner the chain has not seen. */
import type { Address } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'

/** A new random address. */
export function randomAddress(): Address {
  return privateKeyToAccount(generatePrivateKey()).address
}
