import { beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { type CompileResult, compileContracts, renderGenerated } from './compile-contracts.ts'

// One compile (a few seconds of soljson) shared by the tests.
let result: CompileResult
beforeAll(() => {
  result = compileContracts()
})

describe('compileContracts', () => {
  test('produces the committed contracts/generated.ts (run `bun run build:contracts` if not)', async () => {
    const fresh = renderGenerated(result)
    const committed = await Bun.file(join(import.meta.dir, 'generated.ts')).text()
    expect(committed).toBe(fresh)
  })

  test('emits creation bytecode and an ABI with custom errors for every contract', () => {
    const { contracts } = result
    for (const contract of Object.values(contracts)) {
      expect(contract.bytecode).toMatch(/^0x[0-9a-f]{200,}$/)
      expect(contract.abi.some((item) => (item as { type: string }).type === 'error')).toBe(true)
    }
  })
})
