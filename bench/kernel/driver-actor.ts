/**
 * Benchmark actor: drives another actor from inside its own worker, so
 * throughput is measured actor-to-actor (worker → kernel → worker and back).
 */
import { z } from 'zod'
import { defineActor } from '../../runtime/actor/define-actor.ts'

export const driverActor = defineActor({
  name: 'driver',
  version: 1,
  protocol: {
    'driver.asks': {
      access: 'public',
      payload: z.object({ target: z.string(), n: z.number().int(), window: z.number().int() }),
      reply: z.object({ elapsedMs: z.number() }),
      description: 'n request/replies to target with at most `window` outstanding',
    },
    'driver.tells': {
      access: 'public',
      payload: z.object({ target: z.string(), n: z.number().int(), chunk: z.number().int() }),
      reply: z.object({ elapsedMs: z.number() }),
      description: 'n one-way messages to target, with a request/reply barrier every `chunk`',
    },
  },
  init: () => ({}),
  receive: {
    'driver.asks': async ({ target, n, window }, _state, context) => {
      const started = performance.now()
      await new Promise<void>((resolve, reject) => {
        let sent = 0
        let done = 0
        const pump = () => {
          while (sent < n && sent - done < window) {
            sent++
            context.ask(target, 'echo.ping', { seq: sent }, { timeoutMs: 60_000 }).then(() => {
              done++
              if (done === n) resolve()
              else pump()
            }, reject)
          }
        }
        pump()
      })
      return { elapsedMs: performance.now() - started }
    },
    'driver.tells': async ({ target, n, chunk }, _state, context) => {
      const started = performance.now()
      for (let seq = 0; seq < n; seq++) {
        context.tell(target, 'echo.ping', { seq })
        if ((seq + 1) % chunk === 0) await context.ask(target, 'echo.count', {})
      }
      await context.ask(target, 'echo.count', {})
      return { elapsedMs: performance.now() - started }
    },
  },
})
