/**
 * The `/metrics` body: per-actor counters and per-route latency in the
 * Prometheus text exposition format (version 0.0.4).
 */
import type { ActorCounters } from './gateway-backend.ts'
import { escapeLabel, type RouteMetrics } from './route-metrics.ts'

const FAMILIES: readonly [string, string, 'counter' | 'gauge', keyof ActorCounters][] = [
  ['vigil_actor_received_total', 'Messages received by the actor.', 'counter', 'received'],
  ['vigil_actor_processed_total', 'Messages the actor processed.', 'counter', 'processed'],
  ['vigil_actor_failed_total', 'Messages whose handling failed.', 'counter', 'failed'],
  ['vigil_actor_restarts_total', 'Restarts of the actor.', 'counter', 'restarts'],
  ['vigil_actor_mailbox_depth', 'Messages waiting in the mailbox.', 'gauge', 'mailboxDepth'],
]

/** Renders the counters and route metrics as Prometheus text. */
export function metricsText(
  counters: Readonly<Record<string, ActorCounters>>,
  routes: RouteMetrics,
): string {
  const lines: string[] = []
  for (const [name, help, type, field] of FAMILIES) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    for (const [actor, values] of Object.entries(counters)) {
      lines.push(`${name}{actor="${escapeLabel(actor)}"} ${values[field]}`)
    }
  }
  lines.push(...routes.render())
  return `${lines.join('\n')}\n`
}
