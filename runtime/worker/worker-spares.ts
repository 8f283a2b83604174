/**
 * Warm spare workers: a few actor workers that already answered their
 * handshake (and loaded zod, which every protocol uses), so spawning,
 * replacing a dead worker and preparing a hot swap do not pay for booting a
 * JavaScript VM. Spares are made one at a time (Bun crashes when many
 * workers start at once), only after the first worker was asked for, and
 * ended on dispose. A spare that died while idle is skipped.
 *
 * Spares also pre-load the modules of the actors deployed so far
 * ({@link WorkerSpares.preload}): a restart or replacement in a spare then
 * only restores state, without importing and compiling the actor module
 * while its callers wait.
 */
import type { ResolvedActorSource } from '../actor/actor-source.ts'
import { ActorWorker, type ActorWorkerOptions } from './actor-worker.ts'

const sourceKey = (source: ResolvedActorSource) => `${source.module}#${source.export ?? ''}`

export class WorkerSpares {
  readonly #options: ActorWorkerOptions
  readonly #count: number
  readonly #ready: ActorWorker[] = []
  readonly #sources = new Map<string, ResolvedActorSource>()
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

  /**
   * Imports `source` into every idle spare now and into every spare made from
   * now on (once per module). A spare that fails to load it is still usable:
   * `start` imports the module itself and reports the failure there.
   */
  preload(source: ResolvedActorSource): void {
    const key = sourceKey(source)
    if (this.#sources.has(key) || this.#disposed) return
    this.#sources.set(key, source)
    for (const spare of this.#ready) void this.#load(spare, [source])
  }

  /** Resolves once the spares being made (and their pre-loads) are ready. */
  async settled(): Promise<void> {
    await this.#making
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
          const spare = await ActorWorker.create(this.#options)
          // Modules deployed while this spare was loading are loaded too before it is handed out.
          for (let loaded = 0; loaded < this.#sources.size; ) {
            const next = [...this.#sources.values()].slice(loaded)
            loaded += next.length
            await this.#load(spare, next)
          }
          this.#ready.push(spare)
        }
      } catch {
        // No spare this time; take() creates workers directly.
      } finally {
        this.#making = undefined
      }
      if (this.#disposed) await Promise.all(this.#ready.splice(0).map((spare) => spare.terminate()))
    })()
  }

  async #load(spare: ActorWorker, sources: readonly ResolvedActorSource[]): Promise<void> {
    for (const source of sources) {
      // A failure (bad module, dead spare) is reported again by `start`, where it is handled.
      await spare.request({ t: 'load', source }).catch(() => undefined)
    }
  }
}
