/**
 * Runs the surveillance placement spec (surveillance-placement.ts) on one
 * local host: every actor in its own worker, plus a loopback gateway that
 * streams the alerts as server-sent events
 * (`GET /v1/events/surveil-decision/decision.events`). Used by
 * `vigil surveil run`; stops when the camera has ended (a finite input) or
 * `stop` resolves.
 */
import {
  createActorSystem,
  createGateway,
  type DomainActorSpec,
  type GatewayBackend,
  type Protocol,
  serveGateway,
} from '../../../runtime/index.ts'
import { SURVEILLANCE_DECISION_ACTOR, surveillanceActorNames } from '../surveillance-placement.ts'

export type RunPipelineOptions = {
  specs: readonly DomainActorSpec[]
  cameraId: string
  /** Gateway port on 127.0.0.1 (0: any free one). */
  port: number
  onStarted(url: string): void
  onAlert(alert: Record<string, unknown>): void
  stop: Promise<unknown>
}

type CameraStats = { frames: number; dropped: number; restarts: number; ended: boolean }

/** Spawns the specs (the decision first, then each camera's chain from the features up). */
export async function runPipeline(options: RunPipelineOptions) {
  const system = createActorSystem({ config: { spareWorkers: 0 } })
  const protocols: Record<string, Protocol> = {}
  const ordered = [...options.specs].reverse()
  for (const spec of ordered) {
    await system.spawn(spec.name, { module: spec.module, export: spec.export }, { args: spec.args })
    protocols[spec.name] = system.describe(spec.name).protocol
  }
  const backend: GatewayBackend = {
    protocols: () => protocols,
    ask: (actor, type, payload, o) => system.ask(actor, type, payload, o),
    actorCounters: () => ({}),
    ready: () => true,
  }
  const served = serveGateway(createGateway({ backend }).app, {
    hostname: '127.0.0.1',
    port: options.port,
  })
  options.onStarted(served.url)
  const camera = surveillanceActorNames(options.cameraId).camera
  let stopped = false
  void options.stop.then(() => {
    stopped = true
  })
  let cursor = 0
  let stats: CameraStats = { frames: 0, dropped: 0, restarts: 0, ended: false }
  try {
    while (!stopped && !stats.ended) {
      const feed = (await system.ask(SURVEILLANCE_DECISION_ACTOR, 'decision.events', {
        after: cursor,
      })) as { events: Record<string, unknown>[]; cursor: number }
      for (const alert of feed.events) options.onAlert(alert)
      cursor = feed.cursor
      stats = (await system.ask(camera, 'camera.stats', {})) as CameraStats
      if (!stats.ended) await Promise.race([options.stop, Bun.sleep(250)])
    }
    return stats
  } finally {
    served.stop()
    await system.shutdown({ deadlineMs: 5000 })
  }
}
