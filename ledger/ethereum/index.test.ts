import { describe, expect, test } from 'bun:test'
import * as ethereum from './index.ts'

describe('ledger/ethereum public surface', () => {
  test('exports exactly the documented values', () => {
    expect(Object.keys(ethereum).sort()).toMatchSnapshot()
  })
})
