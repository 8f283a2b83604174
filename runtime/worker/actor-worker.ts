/**
 * Parent-side handle of one actor worker. Owns the Bun Worker's lifecycle:
 * waits for the `hello` handshake before anything is sent (Bun crashes when a
 * still-loading worker is terminated), pairs control requests with their
 * answers (the worker answers controls in order), forwards data-plane
 * messages (`results`, `out`, `fatal`) to the owner, and reports an
 * unexpected exit once. `terminate()` waits for the `close` event.
 */
import type { Clock } from '../clock/clock.ts'
import { type BaseError, toWireError, type WireError } from '../errors/base-error.ts'
import { defineError } from '../errors/define-error.ts'
import type { FromWorker, ToWorker } from './worker-protocol.ts'

const workerEntry = new URL('./worker-main.ts', import.meta.url).href

type ControlAnswer = Extract<
  FromWorker,
  { t: 'started' | 'start-failed' | 'loaded' | 'snapshot' | 'stopped' | 'links-closed' }
>
type DataMessage = Extract<FromWorker, { t: 'results' | 'out' | 'fatal' | 'link-stats' }>

export type ActorWorkerOptions = {
  clock: Clock
  /** Give up on the handshake (and on each control answer) after this long, milliseconds. */
  timeoutMs: number
  smol: boolean
}

/** Who receives a worker's data-plane messages and its unexpected exit. */
export type ActorWorkerHandlers = {
  /** Data-plane messages. */
  onMessage: (message: DataMessage) => void
  /** The worker exited or failed without being asked to. */
  onExit: (error: WireError) => void
}

/** The worker did not answer the handshake or a control request in time. */
export class WorkerTimeoutError extends defineError('WORKER_TIMEOUT') {
  constructor(what: string, timeoutMs: number) {
    super(`Actor worker did not answer ${what} within ${timeoutMs} ms`, {
      kind: 'runtime',
      meta: { what, timeoutMs },
    })
  }
}

/** The worker exited or crashed outside any handler. */
export class WorkerExitedError extends defineError('WORKER_EXITED') {
  constructor(how: string) {
    super(`Actor worker exited unexpectedly: ${how}`, { kind: 'runtime' })
  }
}

type Waiter = {
  resolve(answer: ControlAnswer): void
  reject(error: unknown): void
}

export class ActorWorker {
  readonly #worker: Worker
  readonly #options: ActorWorkerOptions
  /** Set by {@link ActorWorker.attach}; a spare worker has none yet. */
  #handlers: ActorWorkerHandlers | undefined
  readonly #waiters: Waiter[] = []
  #closed = false
  #terminating = false
  /** The close event arrived: the thread is gone. */
  #gone = false
  readonly #closedPromise: Promise<void>

  private constructor(worker: Worker, options: ActorWorkerOptions, closed: Promise<void>) {
    this.#worker = worker
    this.#options = options
    this.#closedPromise = closed
  }

  /** Starts a worker and resolves once it has answered the ready handshake (attach handlers next). */
  static async create(
    options: ActorWorkerOptions,
    handlers?: ActorWorkerHandlers,
  ): Promise<ActorWorker> {
    const worker = new Worker(workerEntry, { smol: options.smol })
    const hello = Promise.withResolvers<void>()
    const closed = Promise.withResolvers<void>()
    let handle: ActorWorker | undefined
    let greeted = false
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
      const message = event.data
      if (!greeted) {
        if (message.t === 'hello') {
          greeted = true
          hello.resolve()
        }
        return
      }
      if (handle) handle.#receive(message)
    })
    worker.addEventListener('error', (event) => {
      const error = new WorkerExitedError(describeErrorEvent(event as ErrorEvent))
      if (!greeted) hello.reject(error)
      else if (handle) handle.#exited(error)
    })
    worker.addEventListener('close', (event) => {
      const code = (event as CloseEvent).code
      const error = new WorkerExitedError(`exit code ${code}`)
      if (!greeted) hello.reject(error)
      if (handle) {
        handle.#gone = true
        handle.#exited(error)
      }
      closed.resolve()
    })
    const timer = options.clock.setTimeout(
      () => hello.reject(new WorkerTimeoutError('the ready handshake', options.timeoutMs)),
      options.timeoutMs,
    )
    try {
      await hello.promise
    } catch (error) {
      // Never terminate a worker before its handshake unless it already closed; unref lets the
      // process exit if the worker is stuck loading.
      if (greeted) worker.terminate()
      else worker.unref()
      throw error
    } finally {
      options.clock.clearTimeout(timer)
    }
    handle = new ActorWorker(worker, options, closed.promise)
    handle.#handlers = handlers
    return handle
  }

  /** Routes data-plane messages and the exit report to their owner (once, for a spare). */
  attach(handlers: ActorWorkerHandlers): void {
    this.#handlers = handlers
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Sends a message (plain data; `transfer` moves ports, as for direct links). */
  post(message: ToWorker, transfer?: MessagePort[]): void {
    if (this.#closed) return
    if (transfer) this.#worker.postMessage(message, transfer)
    else this.#worker.postMessage(message)
  }

  /** Sends a control message and waits for its answer (controls are answered in order). */
  request(message: ToWorker, timeoutMs = this.#options.timeoutMs): Promise<ControlAnswer> {
    if (this.#closed) return Promise.reject(new WorkerExitedError('already closed'))
    const { promise, resolve, reject } = Promise.withResolvers<ControlAnswer>()
    const timer = this.#options.clock.setTimeout(() => {
      const index = this.#waiters.indexOf(waiter)
      if (index >= 0) this.#waiters.splice(index, 1)
      reject(new WorkerTimeoutError(`'${message.t}'`, timeoutMs))
    }, timeoutMs)
    const waiter: Waiter = {
      resolve: (answer) => {
        this.#options.clock.clearTimeout(timer)
        resolve(answer)
      },
      reject: (error) => {
        this.#options.clock.clearTimeout(timer)
        reject(error)
      },
    }
    this.#waiters.push(waiter)
    this.#worker.postMessage(message)
    return promise
  }

  /**
   * Fault injection: ends the thread without being asked to stop, so its
   * owner gets `onExit` as for any worker death.
   */
  kill(): void {
    if (!this.#gone && !this.#terminating && !this.#closed) this.#worker.terminate()
  }

  /** Stops the worker and waits for it to close; safe to call twice. */
  async terminate(): Promise<void> {
    if (!this.#gone && !this.#terminating) {
      this.#terminating = true
      this.#worker.terminate()
    }
    await this.#closedPromise
  }

  #receive(message: FromWorker): void {
    switch (message.t) {
      case 'started':
      case 'start-failed':
      case 'loaded':
      case 'snapshot':
      case 'stopped':
      case 'links-closed':
        this.#waiters.shift()?.resolve(message)
        return
      case 'hello':
        return
      default:
        this.#handlers?.onMessage(message)
    }
  }

  #exited(error: BaseError): void {
    if (this.#closed) return
    this.#closed = true
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error)
    if (!this.#terminating) this.#handlers?.onExit(toWireError(error))
  }
}

/** The thrown value's name and message; not Bun's formatted text, which quotes source lines. */
function describeErrorEvent(event: ErrorEvent): string {
  const thrown: unknown = event.error
  if (thrown instanceof Error) return `uncaught ${thrown.name}: ${thrown.message}`
  const first = (event.message || 'error event')
    .split('\n')
    .find((line) => line.startsWith('error:'))
  return first ? `uncaught ${first}` : 'uncaught error'
}
