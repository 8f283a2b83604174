/**
 * Run as its own process (by the priority tests, without CAP_SYS_NICE): spawns
 * the priority probe with `high` and prints, as one JSON line, the events the
 * kernel emitted and the nice value the probe's worker thread runs at.
 */
import { createActorSystem } from '../kernel/create-actor-system.ts'
import type { SystemEvent } from '../kernel/system-events.ts'

const events: SystemEvent[] = []
const system = createActorSystem({})
system.subscribe((event) => events.push(event))
await system.spawn(
  'writer',
  { module: new URL('./priority-actor-fixture.ts', import.meta.url).href, export: 'priorityActor' },
  { priority: 'high' },
)
const { nice } = (await system.ask('writer', 'priority.nice', {})) as { nice: number }
await system.shutdown({ deadlineMs: 100 })
console.log(JSON.stringify({ nice, events }))
