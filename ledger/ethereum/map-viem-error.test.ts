import { describe, expect, test } from 'bun:test'
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  HttpRequestError,
  WaitForTransactionReceiptTimeoutError,
} from 'viem'
import { anchor } from '../../contracts/index.ts'
import { toWireError } from '../../runtime/index.ts'
import { mapViemError } from './map-viem-error.ts'

const context = { contract: 'Anchor', functionName: 'anchor' }

describe('mapViemError', () => {
  test('turns a revert into ETH_TX_REVERTED with the decoded custom error and arguments', () => {
    const data = encodeErrorResult({
      abi: anchor.abi,
      errorName: 'NotAnchorer',
      args: [`0x${'11'.repeat(32)}`, '0x000000000000000000000000000000000000dEaD'],
    })
    const reverted = new ContractFunctionRevertedError({
      abi: anchor.abi,
      data,
      functionName: 'anchor',
    })
    const wrapped = new ContractFunctionExecutionError(reverted, {
      abi: anchor.abi,
      functionName: 'anchor',
      args: [`0x${'11'.repeat(32)}`, 1n, `0x${'00'.repeat(32)}`, `0x${'22'.repeat(32)}`, 1n],
    })
    const wire = toWireError(mapViemError(wrapped, context))
    expect(wire.code).toBe('ETH_TX_REVERTED')
    expect(wire.meta?.errorName).toBe('NotAnchorer')
    expect(wire.meta?.errorArgs).toEqual([
      `0x${'11'.repeat(32)}`,
      '0x000000000000000000000000000000000000dEaD',
    ])
    expect(wire.shortMessage).toContain('Anchor.anchor reverted: NotAnchorer(')
  })

  test('maps transport failures to ETH_RPC_UNAVAILABLE without the URL or its credentials', () => {
    const error = new HttpRequestError({
      url: 'https://user:pa55word@rpc.example/v3/apikey123',
      details: 'fetch failed',
    })
    const wire = toWireError(mapViemError(error, context))
    expect(wire.code).toBe('ETH_RPC_UNAVAILABLE')
    const text = JSON.stringify(wire)
    expect(text).not.toContain('pa55word')
    expect(text).not.toContain('apikey123')
  })

  test('maps a receipt timeout to ETH_RECEIPT_TIMEOUT with the transaction hash', () => {
    const hash = `0x${'ab'.repeat(32)}` as const
    const wire = toWireError(
      mapViemError(new WaitForTransactionReceiptTimeoutError({ hash }), {
        ...context,
        txHash: hash,
        timeoutMs: 5000,
      }),
    )
    expect(wire.code).toBe('ETH_RECEIPT_TIMEOUT')
    expect(wire.meta).toMatchObject({ txHash: hash, timeoutMs: 5000 })
  })
})
