import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { systemClock } from '../clock/clock.ts'
import type { FromWorker } from './worker-protocol.ts'
import { WorkerSpares } from './worker-spares.ts'

// Real workers on a shared 2-core machine: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(30_000)

const source = {
  module: new URL('../testing/module-clock-actor-fixture.ts', import.meta.url).href,
  export: 'moduleClockActor',
}

describe('WorkerSpares', () => {
  test('hands out a spare that imported the deployed actor module before it was taken', async () => {
    const spares = new WorkerSpares({ clock: systemClock, timeoutMs: 15_000, smol: false }, 1)
    const first = await spares.take()
    try {
      spares.preload(source)
      await spares.settled()
      const takenAt = performance.timeOrigin + performance.now()
      const spare = await spares.take()
      const results = Promise.withResolvers<FromWorker>()
      spare.attach({ onMessage: (message) => results.resolve(message), onExit: () => {} })
      const started = await spare.request({
        t: 'start',
        actor: 'clock',
        source,
        args: undefined,
        restore: undefined,
        snapshotEvery: 0,
        simulateSerialization: false,
      })
      expect(started).toMatchObject({ t: 'started', name: 'module-clock' })
      spare.post({ t: 'batch', types: ['module_clock.evaluated_at'], payloads: [{}], replies: [1] })
      const answer = (await results.promise) as unknown as { values: { evaluatedAt: number }[] }
      expect(answer.values[0]?.evaluatedAt).toBeLessThan(takenAt)
      await spare.terminate()
    } finally {
      await first.terminate()
      await spares.dispose()
    }
  })
})
