/**
 * Test keys: generates a fresh private key at test time, writes it to a 0600 file in a new
 * temporary directory and funds its account on anvil (anvil_setBalance). No key is ever
 * hard-coded or taken from anvil's well-known mnemonic.
 */
import { mkdtempSync } from 'node:fs'
import { chmod } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Address, Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { anvilRequest } from '../start-anvil.ts'

export type FundedKeyFile = {
  readonly path: string
  readonly address: Address
}

/** Creates a key file for a fresh account holding `balanceWei` (default 1,000 ETH). */
export async function createFundedKeyFile(
  rpcUrl: string,
  balanceWei: bigint = 10n ** 21n,
): Promise<FundedKeyFile> {
  const key: Hex = generatePrivateKey()
  const address = privateKeyToAccount(key).address
  const dir = mkdtempSync(join(tmpdir(), 'vigil-eth-key-'))
  const path = join(dir, 'key.hex')
  await Bun.write(path, `${key}\n`)
  await chmod(path, 0o600)
  await anvilRequest(rpcUrl, 'anvil_setBalance', [address, `0x${balanceWei.toString(16)}`])
  return { path, address }
}
