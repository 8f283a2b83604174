import { describe, expect, test } from 'bun:test'
import { Request } from 'cosmjs-types/tendermint/abci/types'
import { decodeRequest } from './decode-request.ts'

const txs = [new Uint8Array([1, 2, 3]), new Uint8Array(300).fill(9), new Uint8Array(0)]
const time = { seconds: 1_700_000_000n, nanos: 5 }

function roundTrip(request: Request): Request {
  return decodeRequest(Request.encode(request).finish())
}

describe('decodeRequest', () => {
  test('reads FinalizeBlock txs, height and hash like the generated decoder', () => {
    const request = Request.fromPartial({
      finalizeBlock: {
        txs,
        height: 1234567n,
        hash: new Uint8Array(32).fill(7),
        time,
        decidedLastCommit: { round: 2, votes: [] },
        proposerAddress: new Uint8Array(20).fill(1),
      },
    })
    const fast = roundTrip(request).finalizeBlock
    const slow = Request.decode(Request.encode(request).finish()).finalizeBlock
    expect(fast?.txs).toEqual(slow?.txs as Uint8Array[])
    expect(fast?.height).toBe(1234567n)
    expect(fast?.hash).toEqual(slow?.hash as Uint8Array)
  })

  test('reads PrepareProposal max_tx_bytes, txs and height', () => {
    const fast = roundTrip(
      Request.fromPartial({ prepareProposal: { maxTxBytes: 4_194_304n, txs, height: 9n, time } }),
    ).prepareProposal
    expect({ max: fast?.maxTxBytes, txs: fast?.txs, height: fast?.height }).toEqual({
      max: 4_194_304n,
      txs,
      height: 9n,
    })
  })

  test('reads ProcessProposal txs and CheckTx tx and type', () => {
    expect(
      roundTrip(Request.fromPartial({ processProposal: { txs, height: 3n } })).processProposal?.txs,
    ).toEqual(txs)
    expect(
      roundTrip(Request.fromPartial({ checkTx: { tx: txs[1] as Uint8Array, type: 1 } })).checkTx,
    ).toEqual({
      tx: txs[1] as Uint8Array,
      type: 1,
    })
  })

  test('hands every other request to the generated decoder', () => {
    const info = Request.fromPartial({
      info: { version: '0.38.25', blockVersion: 11n, p2pVersion: 8n, abciVersion: '2.0.0' },
    })
    expect(roundTrip(info)).toEqual(Request.decode(Request.encode(info).finish()))
    expect(roundTrip(Request.fromPartial({ flush: {} })).flush).toEqual({})
  })
})
