/**
 * Asserts that a contract write or read failed with ETH_TX_REVERTED and the given decoded
 * custom error name, and returns the error for further checks.
 */
import { expect } from 'bun:test'
import { EthTxRevertedError } from '../errors.ts'

export async function expectRevert(promise: Promise<unknown>, errorName: string) {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  if (outcome.ok) throw new Error(`expected a revert with ${errorName}, but the call succeeded`)
  const { error } = outcome
  expect(EthTxRevertedError.is(error)).toBe(true)
  expect((error as EthTxRevertedError).meta?.errorName).toBe(errorName)
  return error as EthTxRevertedError
}
