/**
 * Reads an Ethereum private key from a file (never from code or command-line arguments, which
 * leak into shell history and process lists). The file holds one 0x-prefixed 32-byte hex key,
 * optionally followed by a newline. Errors name the file, never its content.
 */
import { type Hex, isHex } from 'viem'
import { EthKeyFileInvalidError } from './errors.ts'

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/

/** Loads the private key stored in `path`; throws {@link EthKeyFileInvalidError}. */
export async function loadKeyFile(path: string): Promise<Hex> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new EthKeyFileInvalidError(path, 'does not exist')
  let text: string
  try {
    text = await file.text()
  } catch (error) {
    throw new EthKeyFileInvalidError(path, 'cannot be read', { cause: error })
  }
  const key = text.trim()
  if (!PRIVATE_KEY.test(key) || !isHex(key))
    throw new EthKeyFileInvalidError(path, 'has no valid key')
  if (/^0x0{64}$/.test(key)) throw new EthKeyFileInvalidError(path, 'holds the zero key')
  return key
}
