import { describe, expect, test } from 'bun:test'
import * as runtime from './index.ts'

describe('runtime/index.ts', () => {
  test('exports exactly the kernel surface other folders code against', () => {
    expect(Object.keys(runtime).sort()).toMatchSnapshot()
  })
})
