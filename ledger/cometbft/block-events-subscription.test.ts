import { describe, expect, test } from 'bun:test'
import type { ServerWebSocket } from 'bun'
import { TX_OUTCOME_EVENT } from '../abci/tx-codes.ts'
import { subscribeBlockEvents } from './block-events-subscription.ts'

/** A CometBFT-like /websocket endpoint on port 0 that answers `subscribe` with `answer`. */
function fakeNode(answer: object) {
  const connected = Promise.withResolvers<ServerWebSocket<unknown>>()
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request, server) {
      if (new URL(request.url).pathname === '/websocket' && server.upgrade(request)) return
      return new Response('not found', { status: 404 })
    },
    websocket: {
      message(socket, message) {
        const { id } = JSON.parse(String(message)) as { id: string }
        socket.send(JSON.stringify({ jsonrpc: '2.0', id, ...answer }))
        connected.resolve(socket)
      },
    },
  })
  return {
    server,
    rpcUrl: `http://127.0.0.1:${server.port}/`,
    connected: connected.promise,
    [Symbol.asyncDispose]: () => server.stop(true),
  }
}

function blockEvents(height: number, outcomes: [hash: string, code: number][]) {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: 'vigil-confirm',
    result: {
      data: {
        type: 'tendermint/event/NewBlockEvents',
        value: {
          height: String(height),
          events: [
            { type: 'vigil_batch', attributes: [{ key: 'batch_id', value: 'ignored' }] },
            ...outcomes.map(([hash, code]) => ({
              type: TX_OUTCOME_EVENT,
              attributes: [
                { key: 'hash', value: hash },
                { key: 'code', value: String(code) },
              ],
            })),
          ],
        },
      },
    },
  })
}

describe('subscribeBlockEvents', () => {
  test('reports each transaction outcome of a block once the node accepted the subscription', async () => {
    await using node = fakeNode({ result: {} })
    const outcomes: [number, string, number][] = []
    const reported = Promise.withResolvers<void>()
    const subscription = subscribeBlockEvents(node.rpcUrl, {
      onOutcome(height, hash, code) {
        outcomes.push([height, hash, code])
        if (outcomes.length === 2) reported.resolve()
      },
      onDropped() {},
    })
    await subscription.subscribed
    ;(await node.connected).send(
      blockEvents(12, [
        ['AA', 0],
        ['BB', 6],
      ]),
    )
    await reported.promise
    expect(outcomes).toEqual([
      [12, 'AA', 0],
      [12, 'BB', 6],
    ])
    subscription.close()
  })

  test('reports a drop when the node refuses the subscription', async () => {
    await using node = fakeNode({ error: { code: -32603, message: 'max subscriptions reached' } })
    const dropped = Promise.withResolvers<void>()
    const subscription = subscribeBlockEvents(node.rpcUrl, {
      onOutcome() {},
      onDropped: () => dropped.resolve(),
    })
    await subscription.subscribed
    await dropped.promise
    subscription.close()
  })

  test('reports a drop when the node goes away', async () => {
    const node = fakeNode({ result: {} })
    const dropped = Promise.withResolvers<void>()
    const subscription = subscribeBlockEvents(node.rpcUrl, {
      onOutcome() {},
      onDropped: () => dropped.resolve(),
    })
    await subscription.subscribed
    await node.server.stop(true)
    await dropped.promise
    subscription.close()
  })
})
