/**
 * The generic actor worker: every actor instance runs this entry in its own
 * Bun Worker. It answers the ready handshake, imports the actor's module by
 * URL and export name (code is never sent as source), runs init or migrate,
 * then processes batches of envelopes one message at a time, posting results
 * back in order. See worker-protocol.ts for the envelope protocol.
 *
 * Failure rules (what the kernel relies on):
 * - a handler that throws a vigil error (BaseError or its wire form) answers
 *   that error to the caller; the actor keeps its state and keeps running;
 * - any other throw is a crash: results so far are posted with `crash`, the
 *   rest of the batch is dropped (the parent requeues it) and the worker
 *   ignores batches until the parent sends `start` again (restart in place);
 * - an uncaught error outside a handler is `fatal`: the parent replaces the worker.
 */
// Every protocol is written with zod: loading it before the handshake lets a warm spare worker
// start an actor without paying for it.
import 'zod'
import { importActorDefinition } from '../actor/actor-source.ts'
import type { Caller } from '../actor/caller.ts'
import type { ActorContext, ActorDefinition } from '../actor/define-actor.ts'
import { ProtocolViolationError } from '../actor/errors.ts'
import { validateMessage } from '../actor/validate-message.ts'
import { systemClock } from '../clock/clock.ts'
import { roundTripMsgpack } from '../codec/message-codec.ts'
import { BaseError, isWireError, toWireError, type WireError } from '../errors/base-error.ts'
import { LINK_FENCE } from './link-protocol.ts'
import type { QueuedEnvelope } from './link-receiver.ts'
import type { KernelSend } from './link-sender.ts'
import { applyThreadPriority } from './thread-priority.ts'
import { WorkerLinks } from './worker-links.ts'
import {
  type FromWorker,
  OutboundKind,
  type StartMessage,
  type ToWorker,
} from './worker-protocol.ts'

type Port = {
  postMessage(message: FromWorker): void
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null
}
const port = globalThis as unknown as Port

let definition: ActorDefinition | undefined
let state: unknown
let actorName = '(unstarted)'
let simulate = false
let snapshotEvery = 0
let sinceSnapshot = 0
/** True after a crash until the next `start`: incoming batches are dropped (the parent requeued them). */
let crashed = true
let running = false
let controlling = false
const queue: QueuedEnvelope[] = []
let queueHead = 0
const controls: ToWorker[] = []

let nextAskId = 1
const pendingAsks = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>()
let outbound = emptyOutbound()
/** Caller of the message being handled (one message at a time, so one is current). */
let currentCaller: Caller | undefined
let outboundScheduled = false

function emptyOutbound() {
  return {
    t: 'out' as const,
    kinds: [] as OutboundKind[],
    ids: [] as number[],
    tos: [] as string[],
    types: [] as string[],
    payloads: [] as unknown[],
    timeouts: [] as number[],
    callers: [] as (Caller | undefined)[],
  }
}

// Batches everything an actor sends in one turn into one postMessage.
const send: KernelSend = (kind, id, to, type, payload, timeoutMs, caller) => {
  outbound.kinds.push(kind)
  outbound.ids.push(id)
  outbound.tos.push(to)
  outbound.types.push(type)
  outbound.payloads.push(payload)
  outbound.timeouts.push(timeoutMs)
  outbound.callers.push(caller)
  if (!outboundScheduled) {
    outboundScheduled = true
    queueMicrotask(flushOutbound)
  }
}

const links = new WorkerLinks({
  kernel: { send, pending: pendingAsks },
  enqueue(envelopes) {
    for (const envelope of envelopes) queue.push(envelope)
    if (!running && !controlling && controls.length === 0 && !crashed) void drain()
  },
  hold: () => controlling || controls.length > 0,
  post: (message) => port.postMessage(message),
})

function flushOutbound(): void {
  outboundScheduled = false
  if (outbound.kinds.length === 0) return
  const message = outbound
  outbound = emptyOutbound()
  port.postMessage(message)
}

const context: ActorContext = {
  get self() {
    return actorName
  },
  get caller() {
    return currentCaller
  },
  clock: systemClock,
  log(event, data) {
    send(OutboundKind.log, 0, '', event, data, 0, undefined)
  },
  ask(actor, type, payload, options) {
    const id = nextAskId++
    const { promise, resolve, reject } = Promise.withResolvers<unknown>()
    pendingAsks.set(id, { resolve, reject })
    const value = simulate ? roundTripMsgpack(payload, `payload of '${type}'`) : payload
    const link = links.to(actor)
    if (link) link.send(id, type, value, options?.timeoutMs ?? 0, options?.caller)
    else send(OutboundKind.ask, id, actor, type, value, options?.timeoutMs ?? 0, options?.caller)
    return promise as Promise<never>
  },
  tell(actor, type, payload, options) {
    const value = simulate ? roundTripMsgpack(payload, `payload of '${type}'`) : payload
    const link = links.to(actor)
    if (link) link.send(0, type, value, 0, options?.caller)
    else send(OutboundKind.tell, 0, actor, type, value, 0, options?.caller)
  },
}

/** A handler error that answers the caller instead of crashing the actor. */
function isAnswerError(error: unknown): boolean {
  return error instanceof BaseError || isWireError(error)
}

async function start(message: StartMessage): Promise<void> {
  actorName = message.actor
  simulate = message.simulateSerialization
  snapshotEvery = message.snapshotEvery
  try {
    const priority = message.priority && applyThreadPriority(message.priority)
    const loaded = await importActorDefinition(message.source)
    const restore = message.restore
    let initial: unknown
    if (restore === undefined) {
      initial = await loaded.init(message.args as never, context)
    } else if (loaded.migrate) {
      initial = await loaded.migrate(restore.fromVersion, restore.snapshot, context)
    } else {
      // Without a migrate hook a snapshot is taken to be the state itself.
      initial = restore.snapshot
    }
    definition = loaded
    state = initial
    sinceSnapshot = 0
    crashed = false
    links.closeAll([])
    queue.length = 0
    queueHead = 0
    port.postMessage({ t: 'started', name: loaded.name, version: loaded.version, priority })
  } catch (error) {
    crashed = true
    port.postMessage({ t: 'start-failed', error: toWireError(error) })
  }
}

function takeSnapshot(): unknown {
  const current = definition as ActorDefinition
  return current.snapshot ? current.snapshot(state) : state
}

/** Results of the envelopes handled since the last post, in dispatch order. */
type Outcome = { values: unknown[]; errors: [number, WireError][]; durationsUs: number[] }

const emptyOutcome = (): Outcome => ({ values: [], errors: [], durationsUs: [] })

const snapshotDue = () =>
  snapshotEvery > 0 && sinceSnapshot >= snapshotEvery && definition !== undefined && !crashed

function postResults(outcome: Outcome, crash: unknown, crashedLink?: string): void {
  let snapshot: { version: number; value: unknown } | undefined
  if (crash === undefined && snapshotDue() && definition) {
    try {
      snapshot = { version: definition.version, value: takeSnapshot() }
      sinceSnapshot = 0
    } catch {
      // A failing snapshot hook keeps the previous snapshot; the next batch tries again.
      snapshot = undefined
    }
  }
  const message = {
    t: 'results' as const,
    values: outcome.values,
    errors: outcome.errors,
    durationsUs: outcome.durationsUs,
    crash: crash === undefined ? undefined : toWireError(crash),
    crashedLink,
  }
  try {
    port.postMessage(snapshot ? { ...message, snapshot } : message)
  } catch (error) {
    // A snapshot that cannot be cloned must not lose the results.
    port.postMessage(message)
    context.log('snapshot.unclonable', { error: String(error) })
  }
}

/** The reply as the caller will receive it (through msgpack with simulateSerialization). */
function encodeReply(envelope: QueuedEnvelope, value: unknown): unknown {
  if (!envelope.reply) return undefined
  return simulate ? roundTripMsgpack(value, `reply to '${envelope.type}'`) : value
}

/** Records the outcome of one handled envelope, for the kernel or for the link it came on. */
function settle(
  outcome: Outcome,
  envelope: QueuedEnvelope,
  value: unknown,
  failed: boolean,
  startedAt: number,
): void {
  const durationUs = Math.round((performance.now() - startedAt) * 1000)
  sinceSnapshot++
  let reply: unknown
  let error: unknown = failed ? value : undefined
  if (!failed) {
    try {
      reply = encodeReply(envelope, value)
    } catch (encodeError) {
      error = encodeError
    }
  }
  const link = envelope.link
  if (link) {
    if (error === undefined) link.answer(reply)
    else link.answerError(toWireError(error))
    links.record(error !== undefined, durationUs)
    return
  }
  if (error !== undefined) outcome.errors.push([outcome.values.length, toWireError(error)])
  outcome.values.push(error === undefined ? reply : undefined)
  outcome.durationsUs.push(durationUs)
}

/** Runs the handler of one envelope (link payloads are validated here; the kernel did its own). */
function invoke(envelope: QueuedEnvelope): unknown {
  const current = definition as ActorDefinition
  const payload = envelope.link
    ? validateMessage(actorName, current.protocol, envelope.type, envelope.payload)
    : envelope.payload
  const handler = (current.receive as Record<string, ActorDefinition['receive'][string]>)[
    envelope.type
  ]
  if (handler === undefined) {
    // The parent validated the type against the protocol it loaded; a swapped-in version may lack it.
    throw new ProtocolViolationError(actorName, envelope.type, {
      unknownType: Object.keys(current.receive),
    })
  }
  currentCaller = envelope.caller
  return handler(payload as never, state as never, context)
}

/** A thrown non-vigil error: post what is done, close every link, drop the rest of the queue. */
function crash(outcome: Outcome, envelope: QueuedEnvelope, error: unknown, startedAt: number) {
  const durationUs = Math.round((performance.now() - startedAt) * 1000)
  crashed = true
  const link = envelope.link
  if (link) links.record(true, durationUs)
  else outcome.durationsUs.push(durationUs)
  const redeliver = definition?.protocol[envelope.type]?.idempotent === true
  links.closeAll([], link ? { link, redeliver, error: toWireError(error) } : undefined)
  queue.length = 0
  queueHead = 0
  postResults(outcome, error, link ? envelope.type : undefined)
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && typeof (value as { then?: unknown })?.then === 'function'

async function drain(): Promise<void> {
  running = true
  let outcome = emptyOutcome()
  try {
    while (queueHead < queue.length && !crashed) {
      const envelope = queue[queueHead] as QueuedEnvelope
      queue[queueHead] = undefined as unknown as QueuedEnvelope
      queueHead++
      if (envelope.type === LINK_FENCE && envelope.link === undefined) {
        // From now on the sender's link messages may run: everything it sent before is done.
        links.activate(envelope.payload as number)
        outcome.values.push(undefined)
        outcome.durationsUs.push(0)
        continue
      }
      const startedAt = performance.now()
      let value: unknown
      try {
        value = invoke(envelope)
        if (isThenable(value)) {
          // Post what is done before waiting, so callers of earlier messages are not held up.
          if (outcome.values.length > 0) {
            postResults(outcome, undefined)
            outcome = emptyOutcome()
          }
          links.flush()
          value = await value
        }
      } catch (error) {
        currentCaller = undefined
        if (isAnswerError(error)) {
          settle(outcome, envelope, error, true, startedAt)
          continue
        }
        crash(outcome, envelope, error, startedAt)
        outcome = emptyOutcome()
        break
      }
      currentCaller = undefined
      settle(outcome, envelope, value, false, startedAt)
    }
    // Messages from direct links change state too: a due snapshot travels in an empty results.
    if (outcome.values.length > 0 || snapshotDue()) postResults(outcome, undefined)
    links.flush()
  } finally {
    if (queueHead >= queue.length) {
      queue.length = 0
      queueHead = 0
    }
    running = false
  }
  await runControls()
}

/** Control messages wait until the message being handled is done (one message at a time). */
async function runControls(): Promise<void> {
  if (controlling) return
  controlling = true
  try {
    await runControlQueue()
  } finally {
    controlling = false
  }
  if (controls.length === 0) links.release()
  if (!running && queueHead < queue.length && !crashed) void drain()
}

async function runControlQueue(): Promise<void> {
  while (!running && controls.length > 0) {
    const message = controls.shift() as ToWorker
    switch (message.t) {
      case 'start':
        await start(message)
        break
      case 'load':
        try {
          const loaded = await importActorDefinition(message.source)
          port.postMessage({ t: 'loaded', name: loaded.name, version: loaded.version })
        } catch (error) {
          port.postMessage({ t: 'start-failed', error: toWireError(error) })
        }
        break
      case 'snapshot':
        try {
          port.postMessage({
            t: 'snapshot',
            version: definition?.version ?? 0,
            value: definition ? takeSnapshot() : undefined,
          })
        } catch (error) {
          port.postMessage({
            t: 'snapshot',
            version: definition?.version ?? 0,
            value: undefined,
            error: toWireError(error),
          })
        }
        break
      case 'close-links': {
        const rest = links.closeAll(queue.slice(queueHead))
        queue.length = 0
        queueHead = 0
        for (const envelope of rest) queue.push(envelope)
        port.postMessage({ t: 'links-closed' })
        break
      }
      case 'stop':
        try {
          if (definition && !crashed) await definition.terminate?.(state, context)
        } finally {
          flushOutbound()
          port.postMessage({ t: 'stopped' })
        }
        break
      default:
        break
    }
  }
}

port.onmessage = (event) => {
  const message = event.data
  switch (message.t) {
    case 'batch': {
      if (crashed) return
      const { types, payloads, replies, callers } = message
      for (let i = 0; i < types.length; i++) {
        queue.push({
          type: types[i] as string,
          payload: payloads[i],
          reply: replies[i] === 1,
          caller: callers?.[i],
        })
      }
      if (!running && !controlling && controls.length === 0) void drain()
      return
    }
    case 'ctx-replies': {
      const { ids, values, failed } = message
      for (let i = 0; i < ids.length; i++) {
        const pending = pendingAsks.get(ids[i] as number)
        if (!pending) continue
        pendingAsks.delete(ids[i] as number)
        pending.resolve(values[i])
      }
      for (const [id, error] of failed) {
        const pending = pendingAsks.get(id)
        if (!pending) continue
        pendingAsks.delete(id)
        pending.reject(isWireError(error) ? BaseError.fromWire(error) : error)
      }
      return
    }
    case 'link':
    case 'link-accept':
    case 'link-lost':
    case 'drop-link':
      links.control(message)
      return
    default:
      controls.push(message)
      if (!running) void runControls()
  }
}

function reportFatal(error: unknown): void {
  port.postMessage({ t: 'fatal', error: toWireError(error) })
}
process.on('uncaughtException', reportFatal)
process.on('unhandledRejection', reportFatal)

port.postMessage({ t: 'hello' })
