import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { counterFixtures } from '../testing/index.ts'
import { SwapAllowList } from './swap-allow-list.ts'

describe('SwapAllowList', () => {
  const module = counterFixtures.v2
  const list = new SwapAllowList([module])

  test('accepts a registered module by path or file URL', () => {
    expect(() => list.check('counter', module)).not.toThrow()
    expect(() => list.check('counter', pathToFileURL(module).href)).not.toThrow()
    expect(() =>
      list.check('counter', join(module, '..', 'counter-actor-v2-fixture.ts')),
    ).not.toThrow()
  })

  test('refuses other paths and URLs with SWAP_MODULE_NOT_ALLOWED', () => {
    for (const other of [
      join(import.meta.dir, 'fixtures', 'echo-actor-fixture.ts'),
      'https://example.com/counter.ts',
      'data:text/javascript,export const x = 1',
    ]) {
      expect(() => list.check('counter', other)).toThrow(
        expect.objectContaining({ code: 'SWAP_MODULE_NOT_ALLOWED' }),
      )
    }
  })
})
