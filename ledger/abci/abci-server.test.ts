import { afterEach, describe, expect, test } from 'bun:test'
import { ExecTxResult, Request, Response } from 'cosmjs-types/tendermint/abci/types'
import type { AbciApplication } from './abci-application.ts'
import { encodeFrame, FrameDecoder } from './abci-framing.ts'
import { type AbciServer, createAbciServer } from './abci-server.ts'

/** An app whose CheckTx yields fewer event-loop turns with each call (to provoke reordering). */
function fakeApp(overrides: Partial<AbciApplication> = {}): AbciApplication {
  let calls = 0
  return {
    info: () => ({ data: 'fake', lastBlockHeight: 7n }),
    initChain: () => ({}),
    checkTx: async (request) => {
      const turns = Math.max(0, 3 - calls++)
      for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve))
      return { code: request.tx[0] ?? 0 }
    },
    prepareProposal: (request) => ({ txs: request.txs }),
    processProposal: () => ({}),
    finalizeBlock: (request) => ({
      txResults: request.txs.map(() => ExecTxResult.fromPartial({ code: 0 })),
      appHash: new Uint8Array(32),
    }),
    commit: () => ({}),
    query: () => ({ code: 0 }),
    ...overrides,
  }
}

let server: AbciServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Opens a raw connection like CometBFT's socket client, sends frames, collects decoded responses. */
async function exchange(
  address: string,
  requests: Request[],
  expected: number,
): Promise<Response[]> {
  const url = new URL(address)
  const decoder = new FrameDecoder()
  const responses: Response[] = []
  const { promise, resolve } = Promise.withResolvers<void>()
  const socket = await Bun.connect({
    hostname: url.hostname,
    port: Number(url.port),
    socket: {
      data(_socket, chunk) {
        for (const frame of decoder.push(new Uint8Array(chunk)))
          responses.push(Response.decode(frame))
        if (responses.length >= expected) resolve()
      },
      close() {
        resolve()
      },
    },
  })
  // All frames in one write: the server must split them and still answer in order.
  socket.write(Buffer.concat(requests.map((r) => encodeFrame(Request.encode(r).finish()))))
  await promise
  socket.end()
  return responses
}

describe('createAbciServer', () => {
  test('answers pipelined requests in order and Flush only after every earlier response', async () => {
    server = await createAbciServer({ app: fakeApp(), address: 'tcp://127.0.0.1:0' })
    const responses = await exchange(
      server.address,
      [
        Request.fromPartial({ checkTx: { tx: new Uint8Array([1]) } }),
        Request.fromPartial({ checkTx: { tx: new Uint8Array([2]) } }),
        Request.fromPartial({ checkTx: { tx: new Uint8Array([3]) } }),
        Request.fromPartial({ flush: {} }),
        Request.fromPartial({ info: {} }),
        Request.fromPartial({ flush: {} }),
      ],
      6,
    )
    expect(
      responses.map((r) => Object.keys(r).find((k) => r[k as keyof Response] !== undefined)),
    ).toEqual(['checkTx', 'checkTx', 'checkTx', 'flush', 'info', 'flush'])
    expect(responses.slice(0, 3).map((r) => r.checkTx?.code)).toEqual([1, 2, 3])
    expect(responses[4]?.info?.lastBlockHeight).toBe(7n)
  })

  test('never answers ProcessProposal with status 0, which would panic the node', async () => {
    server = await createAbciServer({
      app: fakeApp({ processProposal: () => ({}) }),
      address: 'tcp://127.0.0.1:0',
    })
    const [response] = await exchange(
      server.address,
      [Request.fromPartial({ processProposal: { txs: [] } })],
      1,
    )
    expect(response?.processProposal?.status).toBe(1)
  })

  test('answers a FinalizeBlock whose tx results do not match the txs with an exception, not a bad block', async () => {
    server = await createAbciServer({
      app: fakeApp({ finalizeBlock: () => ({ txResults: [] }) }),
      address: 'tcp://127.0.0.1:0',
    })
    const [response] = await exchange(
      server.address,
      [Request.fromPartial({ finalizeBlock: { txs: [new Uint8Array([1])], height: 1n } })],
      1,
    )
    expect(response?.exception?.error).toContain('0 tx results for 1 txs')
  })

  test('serves several connections at once, each in its own order', async () => {
    server = await createAbciServer({ app: fakeApp(), address: 'tcp://127.0.0.1:0' })
    const address = server.address
    const [a, b] = await Promise.all([
      exchange(address, [Request.fromPartial({ info: {} }), Request.fromPartial({ flush: {} })], 2),
      exchange(
        address,
        [Request.fromPartial({ echo: { message: 'hi' } }), Request.fromPartial({ flush: {} })],
        2,
      ),
    ])
    expect(a?.[0]?.info?.data).toBe('fake')
    expect(b?.[0]?.echo?.message).toBe('hi')
  })
})
