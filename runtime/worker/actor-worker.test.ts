import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { systemClock } from '../clock/clock.ts'
import type { WireError } from '../errors/base-error.ts'
import { ActorWorker } from './actor-worker.ts'
import type { FromWorker, StartMessage } from './worker-protocol.ts'

// Real workers on a shared 2-core machine: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(30_000)

const fixture = new URL('../testing/counter-actor-fixture.ts', import.meta.url).href

function startMessage(exportName: string): StartMessage {
  return {
    t: 'start',
    actor: 'counter',
    source: { module: fixture, export: exportName },
    args: { start: 5 },
    restore: undefined,
    snapshotEvery: 1,
    simulateSerialization: true,
  }
}

async function createWorker() {
  const messages: FromWorker[] = []
  const exited = Promise.withResolvers<WireError>()
  const worker = await ActorWorker.create(
    { clock: systemClock, timeoutMs: 15_000, smol: false },
    { onMessage: (message) => messages.push(message), onExit: (error) => exited.resolve(error) },
  )
  return { worker, messages, exited: exited.promise }
}

describe('ActorWorker', () => {
  test('answers the handshake, starts an actor from its module URL and returns batch results in order', async () => {
    const { worker, messages } = await createWorker()
    try {
      expect(await worker.request(startMessage('counterActor'))).toEqual({
        t: 'started',
        name: 'counter',
        version: 1,
      })
      worker.post({
        t: 'batch',
        types: ['counter.add', 'counter.refuse', 'counter.get'],
        payloads: [{ by: 2 }, {}, {}],
        replies: [1, 1, 1],
      })
      const { promise, resolve } = Promise.withResolvers<void>()
      const poll = setInterval(() => messages.length > 0 && resolve(), 1)
      await promise
      clearInterval(poll)
      expect(messages[0]).toMatchObject({
        t: 'results',
        values: [{ count: 7 }, undefined, { count: 7 }],
        errors: [[1, { _tag: 'VigilError', code: 'COUNTER_REFUSED', kind: 'application' }]],
        snapshot: { version: 1, value: { count: 7 } },
      })
    } finally {
      await worker.terminate()
    }
  })

  test('answers start-failed with ACTOR_MODULE_INVALID for an export that is not an actor', async () => {
    const { worker } = await createWorker()
    try {
      const answer = await worker.request(startMessage('counterProtocol'))
      expect(answer).toMatchObject({
        t: 'start-failed',
        error: { code: 'ACTOR_MODULE_INVALID' },
      })
    } finally {
      await worker.terminate()
    }
  })

  test('reports a worker that exits by itself once, with its exit code', async () => {
    const { worker, exited } = await createWorker()
    await worker.request(startMessage('counterActor'))
    worker.post({ t: 'batch', types: ['counter.exit'], payloads: [{}], replies: [0] })
    const error = await exited
    await worker.terminate()
    expect(worker.closed).toBe(true)
    expect([error]).toMatchObject([
      { code: 'WORKER_EXITED', shortMessage: 'Actor worker exited unexpectedly: exit code 7' },
    ])
  })
})
