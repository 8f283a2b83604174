/**
 * The kernel demo behind `vigil demo`: spawns two example actors
 * (demo-actors.ts) in workers, shows request/reply between them, a crash with
 * a supervised restart, a hot swap, a flood of one-way messages, and the
 * per-actor counters; then keeps running (printing counters) until Ctrl-C,
 * or exits with `once`.
 */
import {
  createActorSystem,
  type KernelConfig,
  type SystemEvent,
  waitForStopSignal,
} from '../runtime/index.ts'

export type KernelDemoOptions = {
  config: KernelConfig
  out: (text: string) => void
  /** Exit after the demo instead of running until SIGINT/SIGTERM. */
  once: boolean
  /** Seconds between counter prints while running. */
  intervalSeconds: number
}

const demoModule = new URL('./demo-actors.ts', import.meta.url).href

function describeEvent(event: SystemEvent): string {
  const { type, at: _at, ...rest } = event
  return `event ${type} ${JSON.stringify(rest, (key, value) => (key === 'error' ? value?.code : value))}`
}

/** Runs the demo; resolves with the exit code. */
export async function runKernelDemo(options: KernelDemoOptions): Promise<number> {
  const { out } = options
  const system = createActorSystem({ config: options.config })
  system.subscribe((event) => out(describeEvent(event)))

  await system.spawn('counter', { module: demoModule, export: 'demoCounterActor' })
  await system.spawn(
    'greeter',
    { module: demoModule, export: 'demoGreeterActor' },
    { args: { counter: 'counter' } },
  )

  out('\n# request/reply (greeter asks counter, both in their own workers)')
  for (const name of ['ada', 'grace']) {
    const { greeting } = await system.ask<{ greeting: string }>('greeter', 'greeter.greet', {
      name,
    })
    out(greeting)
  }

  out('\n# a message that does not match the protocol is refused; the actor keeps running')
  await system
    .ask('greeter', 'greeter.greet', { name: '' })
    .catch((error: Error & { code?: string }) =>
      out(`refused: ${error.code}: ${error.message.split('\n')[0]}`),
    )

  out('\n# crash and supervised restart (state comes back from the last snapshot)')
  await system
    .ask('counter', 'counter.crash', {})
    .catch((error: Error & { code?: string }) => out(`crash answered: ${error.code}`))
  const afterCrash = await system.ask<{ greeting: string }>('greeter', 'greeter.greet', {
    name: 'linus',
  })
  out(afterCrash.greeting)

  out('\n# hot swap counter v1 → v2 (count migrated)')
  const swap = await system.swap('counter', { module: demoModule, export: 'demoCounterActorV2' })
  out(
    `swapped v${swap.fromVersion} → v${swap.toVersion}, dispatch paused ${swap.pauseMs.toFixed(2)} ms`,
  )
  out(
    (await system.ask<{ greeting: string }>('greeter', 'greeter.greet', { name: 'barbara' }))
      .greeting,
  )

  out('\n# 10,000 one-way messages (a request/reply every 500 keeps within the mailbox bound)')
  const started = performance.now()
  for (let i = 0; i < 10_000; i++) {
    system.tell('counter', 'counter.visit', { name: `v${i}` })
    if ((i + 1) % 500 === 0) await system.ask('counter', 'counter.visit', { name: `barrier${i}` })
  }
  out(`delivered in ${(performance.now() - started).toFixed(1)} ms`)

  const printCounters = () => {
    for (const actor of system.listActors()) {
      const stats = system.stats(actor.name)
      out(
        `counters ${actor.name} v${stats.version} ${stats.status}: received ${stats.received}, processed ${stats.processed}, failed ${stats.failed}, restarts ${stats.restarts}, mailbox ${stats.mailboxDepth}/${stats.mailboxCapacity}, handler p50 ${stats.latency.p50Us} µs p99 ${stats.latency.p99Us} µs`,
      )
    }
    out(`dead letters: ${system.deadLetters().count}`)
  }
  out('')
  printCounters()

  if (!options.once) {
    out('\nvigil kernel demo running; Ctrl-C to stop')
    const timer = setInterval(printCounters, options.intervalSeconds * 1000)
    await waitForStopSignal()
    clearInterval(timer)
  }
  const result = await system.shutdown()
  out(`shut down: drained ${result.drained}, undelivered ${result.undelivered}`)
  return 0
}
