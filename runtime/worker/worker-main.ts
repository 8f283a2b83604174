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
import { systemClock } from '../clock/clock.ts'
import { roundTripMsgpack } from '../codec/message-codec.ts'
import { BaseError, isWireError, toWireError, type WireError } from '../errors/base-error.ts'
import {
  type FromWorker,
  OutboundKind,
  type StartMessage,
  type ToWorker,
  type WorkerEnvelope,
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
const queue: WorkerEnvelope[] = []
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

function send(
  kind: OutboundKind,
  id: number,
  to: string,
  type: string,
  payload: unknown,
  timeoutMs: number,
  caller: Caller | undefined,
): void {
  outbound.kinds.push(kind)
  outbound.ids.push(id)
  outbound.tos.push(to)
  outbound.types.push(type)
  outbound.payloads.push(payload)
  outbound.timeouts.push(timeoutMs)
  outbound.callers.push(caller)
  if (!outboundScheduled) {
    outboundScheduled = true
    // Batch everything an actor sends in one turn into one postMessage.
    queueMicrotask(flushOutbound)
  }
}

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
    send(OutboundKind.ask, id, actor, type, value, options?.timeoutMs ?? 0, options?.caller)
    return promise as Promise<never>
  },
  tell(actor, type, payload, options) {
    const value = simulate ? roundTripMsgpack(payload, `payload of '${type}'`) : payload
    send(OutboundKind.tell, 0, actor, type, value, 0, options?.caller)
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
    queue.length = 0
    queueHead = 0
    port.postMessage({ t: 'started', name: loaded.name, version: loaded.version })
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

function postResults(outcome: Outcome, crash: unknown): void {
  let snapshot: { version: number; value: unknown } | undefined
  if (crash === undefined && snapshotEvery > 0 && sinceSnapshot >= snapshotEvery && definition) {
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
  }
  try {
    port.postMessage(snapshot ? { ...message, snapshot } : message)
  } catch (error) {
    // A snapshot that cannot be cloned must not lose the results.
    port.postMessage(message)
    context.log('snapshot.unclonable', { error: String(error) })
  }
}

function answer(outcome: Outcome, envelope: WorkerEnvelope, value: unknown): void {
  if (!envelope.reply) {
    outcome.values.push(undefined)
    return
  }
  if (simulate) {
    try {
      outcome.values.push(roundTripMsgpack(value, `reply to '${envelope.type}'`))
    } catch (error) {
      outcome.errors.push([outcome.values.length, toWireError(error)])
      outcome.values.push(undefined)
    }
    return
  }
  outcome.values.push(value)
}

function answerError(outcome: Outcome, error: unknown): void {
  outcome.errors.push([outcome.values.length, toWireError(error)])
  outcome.values.push(undefined)
}

async function drain(): Promise<void> {
  running = true
  let outcome = emptyOutcome()
  try {
    while (queueHead < queue.length && !crashed) {
      const envelope = queue[queueHead] as WorkerEnvelope
      queue[queueHead] = undefined as unknown as WorkerEnvelope
      queueHead++
      const current = definition as ActorDefinition
      const handler = (current.receive as Record<string, ActorDefinition['receive'][string]>)[
        envelope.type
      ]
      const startedAt = performance.now()
      if (handler === undefined) {
        // The parent validated the type against the protocol it loaded; a swapped-in version may lack it.
        answerError(
          outcome,
          new ProtocolViolationError(actorName, envelope.type, {
            unknownType: Object.keys(current.receive),
          }),
        )
        outcome.durationsUs.push(0)
        continue
      }
      currentCaller = envelope.caller
      try {
        let value = handler(envelope.payload as never, state as never, context)
        if (value !== null && typeof (value as { then?: unknown })?.then === 'function') {
          // Post what is done before waiting, so callers of earlier messages are not held up.
          if (outcome.values.length > 0) {
            postResults(outcome, undefined)
            outcome = emptyOutcome()
          }
          value = await value
        }
        answer(outcome, envelope, value)
      } catch (error) {
        if (isAnswerError(error)) {
          answerError(outcome, error)
        } else {
          outcome.durationsUs.push(Math.round((performance.now() - startedAt) * 1000))
          crashed = true
          postResults(outcome, error)
          outcome = emptyOutcome()
          queue.length = 0
          queueHead = 0
          break
        }
      } finally {
        currentCaller = undefined
      }
      sinceSnapshot++
      outcome.durationsUs.push(Math.round((performance.now() - startedAt) * 1000))
    }
    if (outcome.values.length > 0) postResults(outcome, undefined)
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
