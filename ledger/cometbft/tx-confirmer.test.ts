import { describe, expect, test } from 'bun:test'
import { TestClock } from '../../runtime/index.ts'
import { waitFor } from '../../runtime/testing/index.ts'
import { txHashOf } from '../abci/ledger-tx.ts'
import { TX_CODES } from '../abci/tx-codes.ts'
import { createNodePool } from './node-pool.ts'
import { TxConfirmer, type TxResult } from './tx-confirmer.ts'

/**
 * A stand-in CometBFT RPC endpoint on loopback: it books every broadcast_tx_sync, answers with
 * `broadcastError` when set, and answers /tx lookups from `committed` (else "not found").
 */
type FakeNode = {
  broadcasts: string[]
  broadcastError: string
  committed: { height: number; code: number } | null
  readonly server: ReturnType<typeof Bun.serve>
  readonly url: string
}

function fakeNode(): FakeNode {
  const state = {
    broadcasts: [] as string[],
    broadcastError: '',
    committed: null as { height: number; code: number } | null,
  }
  function broadcastAnswer(url: URL): Response {
    const tx = (url.searchParams.get('tx') ?? '').slice(2)
    state.broadcasts.push(tx)
    if (state.broadcastError)
      return Response.json({ jsonrpc: '2.0', id: -1, error: { message: state.broadcastError } })
    const hash = txHashOf(Buffer.from(tx, 'hex'))
    return Response.json({ jsonrpc: '2.0', id: -1, result: { code: 0, hash, data: '', log: '' } })
  }
  function txAnswer(id: number, hashBase64: string): Record<string, unknown> {
    const hash = Buffer.from(hashBase64, 'base64').toString('hex').toUpperCase()
    if (!state.committed)
      return { jsonrpc: '2.0', id, error: { code: -32603, message: `tx (${hash}) not found` } }
    const { height, code } = state.committed
    const tx_result = { code, log: code ? 'nonce already used' : '', events: [] }
    return {
      jsonrpc: '2.0',
      id,
      result: { hash, height: String(height), index: 0, tx: 'AA==', tx_result },
    }
  }
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (request: Request): Promise<Response> => {
      const url = new URL(request.url)
      if (url.pathname === '/broadcast_tx_sync') return broadcastAnswer(url)
      const call = (await request.json()) as { id: number; params: { hash: string } }
      return Response.json(txAnswer(call.id, call.params.hash))
    },
  })
  return Object.assign(state, { server, url: `http://127.0.0.1:${server.port}` })
}

function confirmerOn(
  urls: string[],
  clock: TestClock,
  committedHeight?: (txHash: string) => Promise<number | null>,
) {
  const nodes = createNodePool(urls)
  const confirmer = new TxConfirmer({
    nodes,
    clock,
    confirmTimeoutMs: 60_000,
    pollAfterMs: 100,
    pollOnly: true,
    rebroadcastMs: 30_000,
    committedHeight,
  })
  return { nodes, confirmer }
}

/**
 * Advances `clock` poll by poll until `condition` holds (the network answers in real time), for
 * at most 5 s of clock time: well before the 30 s periodic resend.
 */
async function pollUntil(clock: TestClock, condition: () => boolean, message: string) {
  const limit = clock.now() + 5_000
  await waitFor(
    () => {
      if (clock.now() < limit) clock.advance(100)
      return condition()
    },
    { message, timeoutMs: 5_000 },
  )
}

const tx = new Uint8Array([7, 7, 7, 1, 2, 3])

describe('TxConfirmer under node faults', () => {
  test('sends an unconfirmed transaction again, same bytes, to the node it failed over to when its node went away', async () => {
    const [a, b] = [fakeNode(), fakeNode()]
    const clock = new TestClock()
    const { nodes, confirmer } = confirmerOn([a.url, b.url], clock)
    let result: TxResult | undefined
    void confirmer.send(tx).then((r) => {
      result = r
    })
    await waitFor(() => a.broadcasts.length === 1, { message: 'the first broadcast' })
    a.server.stop(true)
    await pollUntil(clock, () => b.broadcasts.length > 0, 'the broadcast to the other node')
    expect(b.broadcasts).toEqual(a.broadcasts)
    expect(result).toBeUndefined()
    b.committed = { height: 9, code: 0 }
    await pollUntil(clock, () => result !== undefined, 'the confirmation')
    expect(result).toMatchObject({ height: 9, code: 0, stage: 'block', txHash: txHashOf(tx) })
    confirmer.close(new Error('done'))
    nodes.disconnect()
    b.server.stop(true)
  })

  test('keeps waiting when a node answers that it has these bytes already, instead of refusing them', async () => {
    const a = fakeNode()
    a.broadcastError = 'tx already exists in cache'
    const clock = new TestClock()
    const { nodes, confirmer } = confirmerOn([a.url], clock)
    let result: TxResult | undefined
    void confirmer.send(tx).then((r) => {
      result = r
    })
    await waitFor(() => a.broadcasts.length === 1, { message: 'the broadcast' })
    a.committed = { height: 4, code: 0 }
    await pollUntil(clock, () => result !== undefined, 'the confirmation')
    expect(result).toMatchObject({ height: 4, code: 0 })
    confirmer.close(new Error('done'))
    nodes.disconnect()
    a.server.stop(true)
  })

  test('settles a block-level DUPLICATE of a committed transaction at the height the ledger holds it, and passes on one it does not hold', async () => {
    const a = fakeNode()
    a.committed = { height: 12, code: TX_CODES.DUPLICATE }
    const clock = new TestClock()
    const held = new Set([txHashOf(tx)])
    const { nodes, confirmer } = confirmerOn([a.url], clock, async (hash) =>
      held.has(hash) ? 10 : null,
    )
    const results: TxResult[] = []
    void confirmer.send(tx).then((r) => results.push(r))
    void confirmer.send(new Uint8Array([9, 9])).then((r) => results.push(r))
    await pollUntil(clock, () => results.length === 2, 'both confirmations')
    const byHash = new Map(results.map((r) => [r.txHash, r]))
    expect(byHash.get(txHashOf(tx))).toMatchObject({ height: 10, code: 0 })
    expect(byHash.get(txHashOf(new Uint8Array([9, 9])))).toMatchObject({
      height: 12,
      code: TX_CODES.DUPLICATE,
    })
    confirmer.close(new Error('done'))
    nodes.disconnect()
    a.server.stop(true)
  })
})
