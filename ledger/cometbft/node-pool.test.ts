import { describe, expect, test } from 'bun:test'
import { rejectionOf } from '../../runtime/testing/index.ts'
import { LedgerUnavailableError } from '../errors.ts'
import { createNodePool } from './node-pool.ts'

const URLS = ['http://node-a:26657', 'http://node-b:26657', 'http://node-c:26657'] as const

/** A call that fails with `error` on the nodes in `down` and answers the URL elsewhere. */
function callWith(down: readonly string[], error = new Error('connect ECONNREFUSED')) {
  const asked: string[] = []
  const call = async (_client: unknown, url: string) => {
    asked.push(url)
    if (down.some((name) => url.includes(name))) throw error
    return url
  }
  return { asked, call }
}

describe('createNodePool', () => {
  test('asks the first node while it answers', async () => {
    const nodes = createNodePool(URLS)
    const { asked, call } = callWith([])
    expect(await nodes.withNode(call)).toBe(URLS[0])
    expect(asked).toEqual([URLS[0]])
    nodes.disconnect()
  })

  test('fails over on network errors, stays on the node that answered and tells its listeners', async () => {
    const nodes = createNodePool(URLS)
    let changes = 0
    nodes.onActiveChanged(() => changes++)
    expect(await nodes.withNode(callWith(['node-a', 'node-b']).call)).toBe(URLS[2])
    expect([nodes.activeIndex, nodes.activeUrl, changes]).toEqual([2, URLS[2], 1])
    const { asked, call } = callWith([])
    await nodes.withNode(call)
    expect(asked).toEqual([URLS[2]])
    nodes.disconnect()
  })

  test('passes on an error that is the node’s answer without asking another node', async () => {
    const nodes = createNodePool(URLS)
    const { asked, call } = callWith(['node-a'], new Error('tx not found'))
    expect(((await rejectionOf(nodes.withNode(call))) as Error).message).toBe('tx not found')
    expect(asked).toEqual([URLS[0]])
    nodes.disconnect()
  })

  test('moves to the node that answered with an error after a failover: it is up', async () => {
    const nodes = createNodePool(URLS)
    let changes = 0
    nodes.onActiveChanged(() => changes++)
    const answersNotFound = async (_client: unknown, url: string) => {
      if (url.includes('node-a')) throw new Error('connect ECONNREFUSED')
      throw new Error('tx not found')
    }
    expect(((await rejectionOf(nodes.withNode(answersNotFound))) as Error).message).toBe(
      'tx not found',
    )
    expect([nodes.activeIndex, changes]).toEqual([1, 1])
    nodes.disconnect()
  })

  test('asks every node once per call while concurrent calls move the active node', async () => {
    const nodes = createNodePool(URLS)
    const asked: string[] = []
    const { promise: bAnswered, resolve } = Promise.withResolvers<void>()
    // Call 1 finds node-a down, then waits on node-b while call 2 fails over to node-c.
    const first = nodes.withNode(async (_client, url) => {
      asked.push(url)
      if (url.includes('node-a')) throw new Error('connect ECONNREFUSED')
      if (url.includes('node-b')) {
        await bAnswered
        throw new Error('socket closed')
      }
      return url
    })
    await nodes.withNode(callWith(['node-a', 'node-b']).call)
    resolve()
    expect(await first).toBe(URLS[2])
    expect(asked).toEqual([URLS[0], URLS[1], URLS[2]])
    nodes.disconnect()
  })

  test('fails with LEDGER_UNAVAILABLE when no node answers', async () => {
    const nodes = createNodePool(URLS)
    const error = await rejectionOf(nodes.withNode(callWith(['node']).call))
    expect(LedgerUnavailableError.is(error)).toBe(true)
    nodes.disconnect()
  })

  test('refuses an empty endpoint list', () => {
    expect(() => createNodePool([])).toThrow(LedgerUnavailableError)
  })
})
