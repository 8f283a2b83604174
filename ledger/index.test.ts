import { describe, expect, test } from 'bun:test'
import * as ledger from './index.ts'

describe('ledger/index.ts', () => {
  test('exports exactly the ledger surface other folders code against', () => {
    expect(Object.keys(ledger).sort()).toMatchSnapshot()
  })
})
