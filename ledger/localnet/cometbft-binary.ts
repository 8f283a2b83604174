/**
 * Finds the cometbft binary: `VIGIL_COMETBFT_BIN`, else `.tools/bin/cometbft`
 * in the repository (where the bootstrap installs v0.38.25).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { LedgerToolMissingError } from '../errors.ts'

const REPO_ROOT = join(import.meta.dir, '..', '..')

/** Absolute path of the cometbft binary; throws LEDGER_TOOL_MISSING with install steps. */
export function cometbftBinary(env: Record<string, string | undefined> = process.env): string {
  const candidate = env.VIGIL_COMETBFT_BIN || join(REPO_ROOT, '.tools', 'bin', 'cometbft')
  if (!existsSync(candidate)) {
    throw new LedgerToolMissingError(
      `cometbft not found at ${candidate}. Run 'npm run setup' (go install github.com/cometbft/cometbft/cmd/cometbft@v0.38.25 into .tools/bin) or set VIGIL_COMETBFT_BIN.`,
    )
  }
  return candidate
}

/** Path of the ABCI app entry (ledger/abci/main.ts). */
export const ABCI_MAIN = join(REPO_ROOT, 'ledger', 'abci', 'main.ts')
