/**
 * An actor for priority tests: answers its worker thread's nice value (read from
 * /proc, not from the runtime), and ends its worker on request so a restart
 * runs in a new one.
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { defineActor } from '../actor/define-actor.ts'

/** The calling thread's nice value: field 19 of /proc/thread-self/stat (after the command). */
function threadNice(): number {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[16])
}

export const priorityActor = defineActor({
  name: 'priority-probe',
  version: 1,
  stateless: true,
  protocol: {
    'priority.nice': {
      access: 'public',
      payload: z.object({}),
      reply: z.object({ nice: z.number() }),
      description: "Answers its worker thread's nice value.",
    },
    'priority.exit': {
      access: 'public',
      payload: z.object({}),
      reply: z.null(),
      description: 'Ends its worker (the supervisor restarts it in a new one).',
    },
  },
  init: () => ({}),
  receive: {
    'priority.nice': () => ({ nice: threadNice() }),
    'priority.exit': () => {
      process.exit(3)
    },
  },
})
