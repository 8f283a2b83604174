import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { getPriority } from 'node:os'
import { waitFor } from '../testing/index.ts'
import type { ActorSystem } from './actor-system.ts'
import { createActorSystem } from './create-actor-system.ts'
import type { SystemEvent } from './system-events.ts'

// Real workers on a shared 2-core machine: bun 1.4 ignores bunfig's [test] timeout, so set it here.
setDefaultTimeout(30_000)

const probe = {
  module: new URL('../testing/priority-actor-fixture.ts', import.meta.url).href,
  export: 'priorityActor',
}

let system: ActorSystem | undefined
afterEach(async () => {
  await system?.shutdown({ deadlineMs: 100 })
  system = undefined
})

function start() {
  const events: SystemEvent[] = []
  system = createActorSystem({})
  system.subscribe((event) => events.push(event))
  return { actors: system, events }
}

const niceOf = async (actors: ActorSystem, name: string) =>
  ((await actors.ask(name, 'priority.nice', {})) as { nice: number }).nice

describe('an actor spawned with a priority', () => {
  const base = getPriority(process.pid)

  test("runs in a worker thread ten nice steps below the process's for low, and at its own by default", async () => {
    const { actors } = start()
    await actors.spawn('background', probe, { priority: 'low' })
    await actors.spawn('plain', probe)
    expect(await niceOf(actors, 'background')).toBe(Math.min(19, base + 10))
    expect(await niceOf(actors, 'plain')).toBe(base)
  })

  test('keeps its priority when it restarts in a new worker', async () => {
    const { actors, events } = start()
    await actors.spawn('background', probe, { priority: 'low' })
    void actors.ask('background', 'priority.exit', {}).catch(() => undefined)
    await waitFor(() => events.some((event) => event.type === 'actor.restarted' && event.newWorker))
    await waitFor(() => actors.stats('background').status === 'running')
    expect(await niceOf(actors, 'background')).toBe(Math.min(19, base + 10))
  })

  test.skipIf(!mayRaisePriorities())(
    'runs ten nice steps above the process for high where it may raise priorities',
    async () => {
      const { actors, events } = start()
      await actors.spawn('writer', probe, { priority: 'high' })
      expect(await niceOf(actors, 'writer')).toBe(Math.max(-20, base - 10))
      expect(events.some((event) => event.type === 'actor.priority_refused')).toBe(false)
    },
  )

  test("runs at the process's priority for high without CAP_SYS_NICE, and the kernel says why", async () => {
    const child = Bun.spawn(
      [
        ...(mayRaisePriorities()
          ? ['setpriv', '--inh-caps=-sys_nice', '--bounding-set=-sys_nice']
          : []),
        process.execPath,
        new URL('../testing/priority-child-fixture.ts', import.meta.url).pathname,
      ],
      { stdout: 'pipe', stderr: 'pipe' },
    )
    const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited])
    expect(code).toBe(0)
    const { nice, events } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
      nice: number
      events: SystemEvent[]
    }
    expect(nice).toBe(base)
    const refused = events.find((event) => event.type === 'actor.priority_refused')
    expect(refused).toMatchObject({ actor: 'writer', priority: 'high' })
    expect(refused?.type === 'actor.priority_refused' && refused.reason).toContain('CAP_SYS_NICE')
    expect(events.some((event) => event.type === 'actor.started')).toBe(true)
  })
})

/** Whether this process holds CAP_SYS_NICE (bit 23 of its effective capabilities). */
function mayRaisePriorities(): boolean {
  const line = readFileSync('/proc/self/status', 'utf8').match(/^CapEff:\s*([0-9a-f]+)$/m)
  return line ? (BigInt(`0x${line[1]}`) & (1n << 23n)) !== 0n : false
}
