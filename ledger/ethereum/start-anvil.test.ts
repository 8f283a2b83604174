import { describe, expect, test } from 'bun:test'
import { toWireError } from '../../runtime/index.ts'
import { resolveAnvilBinary, startAnvil } from './start-anvil.ts'

describe('startAnvil', () => {
  test('fails with ETH_ANVIL_UNAVAILABLE and says how to install when the binary is missing', async () => {
    const error = await startAnvil({ binary: '/nonexistent/anvil' }).catch((e: unknown) => e)
    const wire = toWireError(error)
    expect(wire.code).toBe('ETH_ANVIL_UNAVAILABLE')
    expect(wire.message).toContain('npm run setup')
  })

  test('takes the binary from VIGIL_ANVIL_BIN, else from the npm package', () => {
    expect(resolveAnvilBinary({ VIGIL_ANVIL_BIN: '/opt/anvil' })).toBe('/opt/anvil')
    expect(resolveAnvilBinary({})).toMatch(
      /node_modules\/@foundry-rs\/anvil-[a-z0-9]+-[a-z0-9]+\/bin\/anvil$/,
    )
  })
})
