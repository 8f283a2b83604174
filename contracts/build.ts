/**
 * `bun run build:contracts`: compiles contracts/src/*.sol offline with solc-js and writes the
 * typed ABIs and bytecode to contracts/generated.ts (committed, so type-checking, tests and CI
 * need no compiler run). contracts/compile-contracts.test.ts fails when the two drift apart.
 */
import { join } from 'node:path'
import { compileContracts, renderGenerated } from './compile-contracts.ts'

const target = join(import.meta.dir, 'generated.ts')
const result = compileContracts()
await Bun.write(target, renderGenerated(result))
process.stdout.write(
  `wrote ${target} (${Object.keys(result.contracts).join(', ')}; solc ${result.compilerVersion})\n`,
)
