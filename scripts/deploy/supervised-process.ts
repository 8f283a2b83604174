/**
 * One child process kept running: started (after an optional readiness
 * precondition), restarted with a doubling back-off when it exits on its own,
 * stopped with SIGTERM (SIGKILL after a grace period) when asked. Used by
 * the machine supervisor for the host, the CometBFT node and its ABCI app.
 */
import type { Subprocess } from 'bun'

export type SupervisedProcessOptions = {
  readonly name: string
  readonly cmd: readonly string[]
  readonly cwd?: string | undefined
  readonly env?: Record<string, string | undefined> | undefined
  /** Where stdout and stderr go: a file descriptor, or 'inherit'. */
  readonly output: number | 'inherit'
  /** Keep stdin a pipe (the ABCI app exits when it closes). */
  readonly stdinPipe?: boolean | undefined
  /** Awaited before every start (e.g. the app's port accepts connections). */
  readonly before?: (() => Promise<void>) | undefined
  readonly log: (event: string, data: Record<string, unknown>) => void
  /** First restart delay, ms (doubles up to maxBackoffMs). Default 200. */
  readonly backoffMs?: number | undefined
  readonly maxBackoffMs?: number | undefined
  /** SIGTERM → SIGKILL grace, ms. Default 5,000. */
  readonly graceMs?: number | undefined
}

export class SupervisedProcess {
  readonly #options: SupervisedProcessOptions
  #proc: Subprocess | undefined
  #stopping = false
  #restarts = 0
  #backoff: number
  #timer: ReturnType<typeof setTimeout> | undefined
  #exits = Promise.withResolvers<void>()

  constructor(options: SupervisedProcessOptions) {
    this.#options = options
    this.#backoff = options.backoffMs ?? 200
  }

  get restarts(): number {
    return this.#restarts
  }

  get pid(): number | undefined {
    return this.#proc && this.#proc.exitCode === null ? this.#proc.pid : undefined
  }

  /** Starts the process (after `before`); later exits restart it until stop(). */
  async start(): Promise<void> {
    if (this.#stopping) return
    await this.#options.before?.()
    if (this.#stopping) return
    const { cmd, cwd, env, output, stdinPipe } = this.#options
    const startedAt = Date.now()
    const proc = Bun.spawn([...cmd], {
      ...(cwd ? { cwd } : {}),
      env: env ?? process.env,
      stdin: stdinPipe ? 'pipe' : 'ignore',
      stdout: output,
      stderr: output,
    })
    this.#proc = proc
    this.#options.log('machine.process_started', { process: this.#options.name, pid: proc.pid })
    void proc.exited.then((code) => this.#onExit(proc, code, Date.now() - startedAt))
  }

  /** Stops the process and every pending restart; resolves once it has exited. */
  async stop(): Promise<void> {
    this.#stopping = true
    if (this.#timer) clearTimeout(this.#timer)
    const proc = this.#proc
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
    proc.kill('SIGTERM')
    const killer = setTimeout(() => proc.kill('SIGKILL'), this.#options.graceMs ?? 5000)
    await proc.exited
    clearTimeout(killer)
  }

  /** Kills the process as a crash would (tests, fault injection); it is restarted. */
  crash(): void {
    this.#proc?.kill('SIGKILL')
  }

  /** Resolves at the next restart (tests). */
  nextStart(): Promise<void> {
    return this.#exits.promise
  }

  /** Last resort (process exit): SIGKILL without waiting. */
  killNow(): void {
    this.#stopping = true
    this.#proc?.kill('SIGKILL')
  }

  #onExit(proc: Subprocess, code: number, ranMs: number): void {
    if (this.#stopping || proc !== this.#proc) return
    // A process that ran a while earns a fresh back-off.
    if (ranMs > 10_000) this.#backoff = this.#options.backoffMs ?? 200
    const delay = this.#backoff
    this.#backoff = Math.min(this.#backoff * 2, this.#options.maxBackoffMs ?? 5000)
    this.#options.log('machine.process_exited', {
      process: this.#options.name,
      code,
      signal: proc.signalCode,
      restartInMs: delay,
    })
    this.#timer = setTimeout(() => {
      this.#restarts++
      void this.start().then(
        () => {
          const exits = this.#exits
          this.#exits = Promise.withResolvers<void>()
          exits.resolve()
        },
        (error) => {
          this.#options.log('machine.restart_failed', {
            process: this.#options.name,
            message: (error as Error).message,
          })
          // Try again later with a longer back-off.
          if (this.#proc) this.#onExit(this.#proc, -1, 0)
        },
      )
    }, delay)
  }
}
