/**
 * The decision actor (fog): the I-SAFE-inspired fuzzy classifier per track
 * with hysteresis; new alerts are recorded through the integrity service
 * and kept for `decision.alerts`. It also measures decode → fog latency.
 */

import { defineActor } from '../../runtime/index.ts'
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

type Alert = { cameraId: string; trackId: number; t: number; suspicion: number; atMs: number }
type State = {
  config: FuzzyConfig
  integrityActor: string | undefined
  hysteresis: Map<string, AlertHysteresis>
  raised: Set<string>
  alerts: Alert[]
  decisions: number
  latencies: number[]
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
      const alert = h.observe(p.trackId, result.suspicion)
      const key = `${p.cameraId}:${p.trackId}`
      if (alert && !state.raised.has(key)) {
        const entry = {
          cameraId: p.cameraId,
          trackId: p.trackId,
          t: p.t,
          suspicion: result.suspicion,
          atMs: Date.now(),
        }
        state.alerts.push(entry)
        ctx.log('decision.alert', entry)
        if (state.integrityActor) {
          const record: IntegrityRecord = {
            kind: 'surveillance.alert',
            key: `${key}:${p.t}`,
            data: entry,
          }
          ctx.tell(state.integrityActor, 'integrity.record', record)
        }
      }
      if (alert) state.raised.add(key)
      else state.raised.delete(key)
      const label = Object.entries(result.strengths).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'normal'
      return { suspicion: result.suspicion, label, alert }
    },
    'decision.alerts': (_p, state) => ({
      alerts: state.alerts.slice(-100),
      decisions: state.decisions,
      frameToFeatureP50Ms: lowerMedian(state.latencies) ?? null,
    }),
  },
})
