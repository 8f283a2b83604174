/**
 * The actor kernel of a host: edge hosts use smol workers, the messages its
 * actors send on their own behalf carry the host's principal
 * (`host:<hostId>`), and kernel events go to the host's log.
 */
import { type Caller, hostCaller } from '../actor/caller.ts'
import type { Clock } from '../clock/clock.ts'
import type { ActorSystem } from '../kernel/actor-system.ts'
import { createActorSystem } from '../kernel/create-actor-system.ts'
import type { Log } from '../log/create-logger.ts'
import type { HostConfig } from './host-config.ts'

/** The kernel of a host: its actors' own messages carry the host's principal; events go to the log. */
export function createHostSystem(config: HostConfig, clock: Clock, log: Log): ActorSystem {
  const system = createActorSystem({
    clock,
    config: { ...config.kernel, workerSmol: config.kernel.workerSmol || config.role === 'edge' },
    actorCaller: (actor): Caller => hostCaller(config.id, actor),
  })
  system.subscribe((event) => {
    if (event.type === 'actor.log') {
      log('actor.log', { actor: event.actor, event: event.event, ...event.data })
      return
    }
    const { type, at: _at, ...data } = event as { type: string; at: number }
    log(type, data as Record<string, unknown>)
  })
  return system
}
