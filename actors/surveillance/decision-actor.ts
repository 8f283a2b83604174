/**
 * The decision actor (fog): the I-SAFE-inspired fuzzy classifier per track
 * with hysteresis (loitering alerts), and intrusion alerts when a track's
 * feet enter a restricted zone of its camera (once per track and zone until
 * it leaves). New alerts are recorded through the integrity service, kept
 * for `decision.alerts`, and numbered for `decision.events`, which the
 * gateway streams as server-sent events to callers allowed to read
 * `/surveillance/alerts`. It also measures decode → fog latency.
 */

import { type ActorContext, defineActor } from '../../runtime/index.ts'
import { type AlertHysteresis, createAlertHysteresis } from './alert-hysteresis.ts'
import { defaultFuzzyConfig, type FuzzyConfig, parseFuzzyConfig } from './fuzzy-config.ts'
import { inferSuspicion } from './fuzzy-engine.ts'
import { lowerMedian } from './lower-median.ts'
import {
  type DecisionArgs,
  decisionArgs,
  decisionProtocol,
  type IntegrityRecord,
} from './protocol.ts'

type Alert = {
  seq: number
  kind: 'loitering' | 'intrusion'
  zone: string | null
  cameraId: string
  trackId: number
  t: number
  suspicion: number
  atMs: number
}
type State = {
  config: FuzzyConfig
  integrityActor: string | undefined
  hysteresis: Map<string, AlertHysteresis>
  /** Keys of alerts in force: `camera:track` (loitering) or `camera:track:zone` (intrusion). */
  raised: Set<string>
  alerts: Alert[]
  seq: number
  decisions: number
  latencies: number[]
}
type Sample = {
  cameraId: string
  trackId: number
  t: number
  decodedAtMs: number
  restrictedZones: string[]
}

const KEEP_ALERTS = 1000

function raise(
  state: State,
  ctx: ActorContext,
  p: Sample,
  kind: Alert['kind'],
  zone: string | null,
  suspicion: number,
): void {
  state.seq += 1
  const entry: Alert = {
    seq: state.seq,
    kind,
    zone,
    cameraId: p.cameraId,
    trackId: p.trackId,
    t: p.t,
    suspicion,
    atMs: Date.now(),
  }
  state.alerts.push(entry)
  if (state.alerts.length > KEEP_ALERTS) state.alerts.shift()
  ctx.log('decision.alert', entry)
  if (state.integrityActor) {
    const key = `${p.cameraId}:${p.trackId}:${kind}${zone ? `:${zone}` : ''}:${p.t}`
    const record: IntegrityRecord = { kind: 'surveillance.alert', key, data: entry }
    ctx.tell(state.integrityActor, 'integrity.record', record)
  }
}

function intrusions(state: State, ctx: ActorContext, p: Sample): boolean {
  const prefix = `${p.cameraId}:${p.trackId}:`
  for (const key of state.raised)
    if (key.startsWith(prefix) && !p.restrictedZones.includes(key.slice(prefix.length)))
      state.raised.delete(key)
  for (const zone of p.restrictedZones) {
    const key = `${prefix}${zone}`
    if (state.raised.has(key)) continue
    state.raised.add(key)
    raise(state, ctx, p, 'intrusion', zone, 1)
  }
  return p.restrictedZones.length > 0
}

/** `surveil-decision`: one per fog host. */
export const decisionActor = defineActor<State, typeof decisionProtocol, DecisionArgs>({
  name: 'surveil-decision',
  version: 1,
  protocol: decisionProtocol,
  init: (raw) => {
    const args = decisionArgs.parse(raw)
    const config = args.config === undefined ? defaultFuzzyConfig : parseFuzzyConfig(args.config)
    return {
      config,
      integrityActor: args.integrityActor,
      hysteresis: new Map(),
      raised: new Set(),
      alerts: [],
      seq: 0,
      decisions: 0,
      latencies: [],
    }
  },
  receive: {
    'decision.evaluate': (p, state, ctx) => {
      state.decisions += 1
      state.latencies.push(Date.now() - p.decodedAtMs)
      if (state.latencies.length > 1000) state.latencies.shift()
      const result = inferSuspicion(state.config, p.features)
      let h = state.hysteresis.get(p.cameraId)
      if (!h) {
        h = createAlertHysteresis(state.config.alert)
        state.hysteresis.set(p.cameraId, h)
      }
      const loitering = h.observe(p.trackId, result.suspicion)
      const key = `${p.cameraId}:${p.trackId}`
      if (loitering && !state.raised.has(key))
        raise(state, ctx, p, 'loitering', null, result.suspicion)
      if (loitering) state.raised.add(key)
      else state.raised.delete(key)
      const intruding = intrusions(state, ctx, p)
      const label = Object.entries(result.strengths).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'normal'
      return { suspicion: result.suspicion, label, alert: loitering || intruding }
    },
    'decision.alerts': (_p, state) => ({
      alerts: state.alerts.slice(-100),
      decisions: state.decisions,
      frameToFeatureP50Ms: lowerMedian(state.latencies) ?? null,
    }),
    'decision.events': (p, state) => {
      // A cursor past the last seq comes from before a restart: start over.
      const after = p.after > state.seq ? 0 : p.after
      const events = state.alerts.filter((a) => a.seq > after).slice(0, 100)
      return { events, cursor: events.at(-1)?.seq ?? state.seq }
    },
  },
})
