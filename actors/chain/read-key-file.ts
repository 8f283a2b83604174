/**
 * Reads an Ethereum private key from a file (never from code or arguments). The file holds one
 * 0x-prefixed 32-byte hex key, optionally followed by a newline. Errors name the file, never
 * its content.
 */
import type { Hex } from 'viem'
import { ChainKeyFileInvalidError } from './errors.ts'

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/

/** The private key stored in `path`; throws ETH_KEY_FILE_INVALID. */
export async function readKeyFile(path: string): Promise<Hex> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new ChainKeyFileInvalidError(path, 'does not exist')
  const key = (await file.text().catch(() => '')).trim()
  if (!PRIVATE_KEY.test(key) || /^0x0{64}$/.test(key)) {
    throw new ChainKeyFileInvalidError(path, 'has no valid key')
  }
  return key as Hex
}
