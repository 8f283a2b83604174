/**
 * Warm spare workers: a few actor workers that already answered their
 * handshake (and loaded zod, which every protocol uses), so spawning,
 * replacing a dead worker and preparing a hot swap do not pay for booting a
 * JavaScript VM. Spares are made one at a time (Bun crashes when many
 * workers start at once), only after the first worker was asked for, and
 * ended on dispose. A spare that died while idle is skipped.
 */
import { ActorWorker, type ActorWorkerOptions } from './actor-worker.ts'

export class WorkerSpares {
  readonly #options: ActorWorkerOptions
  readonly #count: number
  readonly #ready: ActorWorker[] = []
  #making: Promise<void> | undefined
  #disposed = false

  constructor(options: ActorWorkerOptions, count: number) {
    this.#options = options
    this.#count = count
  }

  /** A ready worker: a spare when one is waiting, else a new one; then refills in the background. */
  async take(): Promise<ActorWorker> {
    let worker: ActorWorker | undefined
    while (!worker && this.#ready.length > 0) {
      const spare = this.#ready.shift() as ActorWorker
      if (!spare.closed) worker = spare
    }
    worker ??= await ActorWorker.create(this.#options)
    this.#refill()
    return worker
  }

  /** Ends every idle spare and stops making new ones. */
  async dispose(): Promise<void> {
    this.#disposed = true
    await this.#making
    await Promise.all(this.#ready.splice(0).map((spare) => spare.terminate()))
  }

  #refill(): void {
    if (this.#making || this.#disposed || this.#ready.length >= this.#count) return
    this.#making = (async () => {
      try {
        while (!this.#disposed && this.#ready.length < this.#count) {
          this.#ready.push(await ActorWorker.create(this.#options))
        }
      } catch {
        // No spare this time; take() creates workers directly.
      } finally {
        this.#making = undefined
      }
      if (this.#disposed) await Promise.all(this.#ready.splice(0).map((spare) => spare.terminate()))
    })()
  }
}
