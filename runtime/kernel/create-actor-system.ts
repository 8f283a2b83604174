/**
 * The actor system: the kernel's composition root and public API.
 *
 * ```ts
 * const system = createActorSystem({ clock, config: { mailboxCapacity: 256 } })
 * await system.spawn('counter', { module: './counter-actor.ts', export: 'counterActor' }, { args: { start: 0 } })
 * await system.ask('counter', 'counter.add', { by: 2 }, { timeoutMs: 1000 })   // → reply
 * system.tell('counter', 'counter.add', { by: 1 })        // throws MailboxFullError at once when full
 * await system.swap('counter', './counter-actor-v2.ts')  // OTP-style hot swap; rolls back on failure
 * const snapshot = await system.exportSnapshot('counter') // plain data; spawn(…, { restore }) imports it
 * system.killWorker('counter')                            // fault injection: the worker dies, the supervisor restarts
 * system.stats('counter'); system.listActors(); system.deadLetters()
 * const off = system.subscribe((event) => …)             // lifecycle & supervision events as data
 * await system.shutdown({ deadlineMs: 5000 })             // drains mailboxes, runs terminate hooks
 * ```
 *
 * Each actor runs in its own Bun Worker that imports the actor's module by
 * URL + export name. Messages are validated against the actor's declared
 * protocol where they enter (ask/tell, and what actors send each other), and
 * with `simulateSerialization` pass through msgpack even inside one host.
 * Actors hang in a supervision tree (`supervise()` adds supervisors; the
 * default is `root`, one_for_one). Names not spawned here can be delegated
 * to a `remote` router (the multi-host layer plugs in there). An actor crash
 * never takes the host down: it becomes an event and a supervised restart.
 */
import { ActorAlreadyExistsError } from '../actor/errors.ts'
import { systemClock } from '../clock/clock.ts'
import { parseConfig } from '../config/load-config.ts'
import { ActorOutbox } from './actor-outbox.ts'
import { ActorRegistry } from './actor-registry.ts'
import { SnapshotHookSlot } from './actor-snapshot.ts'
import type { ActorSystem, ActorSystemOptions } from './actor-system.ts'
import { AskDeadlines } from './ask-deadlines.ts'
import { DeadLetters } from './dead-letters.ts'
import { hotSwap } from './hot-swap.ts'
import { kernelConfigSchema } from './kernel-config.ts'
import { type AskOptions, MessageDelivery, type TellOptions } from './message-delivery.ts'
import { SystemEvents } from './system-events.ts'

/** Creates an actor system; see the module comment for the API tour. */
export function createActorSystem(options: ActorSystemOptions = {}): ActorSystem {
  const config = parseConfig(kernelConfigSchema, options.config ?? {}, 'kernel config')
  const clock = options.clock ?? systemClock
  const events = new SystemEvents()
  const hooks = new SnapshotHookSlot(options.onSnapshot)
  const deadLetters = new DeadLetters(config.deadLetterCapacity)
  const actors: ActorRegistry = new ActorRegistry({
    ...{ config, clock, events, deadLetters },
    route: (from, out, worker) => outbox.route(from, out, worker),
    persist: (snapshot) => hooks.persist(snapshot),
    holdsAnswers: (actor) => hooks.holdsAnswers(actor),
    links: () => outbox.links,
  })
  const delivery = new MessageDelivery({
    cells: actors.cells,
    config,
    clock,
    deadlines: new AskDeadlines(clock),
    deadLetters,
    isShuttingDown: () => actors.shuttingDown,
    remote: options.remote,
  })
  const outbox = new ActorOutbox({
    delivery,
    clock,
    deadLetters,
    emit: (event) => events.emit(event),
    actorCaller: options.actorCaller,
    links: {
      cells: actors.cells,
      after: config.directLinkAfter,
      askTimeoutMs: config.askTimeoutMs,
    },
  })
  const ask = <Reply>(actor: string, type: string, payload: unknown, askOptions?: AskOptions) =>
    delivery.ask<Reply>(actor, type, payload, askOptions)
  const tell = (actor: string, type: string, payload: unknown, tellOptions?: TellOptions) =>
    delivery.tell(actor, type, payload, tellOptions)

  return {
    config,
    clock,
    async spawn(name, source, spawnOptions) {
      await actors.spawn(name, source, spawnOptions)
      return {
        name,
        ask: (type, payload, askOptions) => ask(name, type, payload, askOptions),
        tell: (type, payload, tellOptions) => tell(name, type, payload, tellOptions),
      }
    },
    supervise(name, supervisorOptions = {}) {
      if (actors.cells.has(name)) throw new ActorAlreadyExistsError(name)
      actors.tree.addSupervisor(name, supervisorOptions, {
        intensity: config.restartIntensity,
        periodMs: config.restartPeriodMs,
      })
    },
    ask,
    tell,
    swap: async (actor, source) => hotSwap(actors.cellOf(actor), source),
    stop: (actor, stopOptions) => actors.stop(actor, stopOptions),
    shutdown: (stopOptions) => actors.shutdown(stopOptions),
    has: (actor) => actors.cells.has(actor),
    serving: (actor) => actors.cells.get(actor)?.status === 'running',
    stats: (actor) => actors.cellOf(actor).stats(),
    listActors: () => actors.list(),
    listSupervisors: () => actors.tree.list(),
    describe: (actor) => actors.describe(actor),
    deadLetters: () => ({ count: deadLetters.count, recent: deadLetters.list() }),
    subscribe: (listener) => events.subscribe(listener),
    setRemoteRouter(router) {
      delivery.remote = router
    },
    setSnapshotHook: (hook, scope) => hooks.set(hook, scope),
    exportSnapshot: (actor) => actors.cellOf(actor).exportSnapshot(),
    lastSnapshot: (actor) => actors.cellOf(actor).lastSnapshot(),
    killWorker: (actor) => actors.cellOf(actor).killWorker(),
  }
}
