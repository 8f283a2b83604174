import { afterAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import {
  BaseError,
  createActorSystem,
  createGateway,
  type GatewayBackend,
  type Guard,
  serveGateway,
} from '../../runtime/index.ts'
import { readEvents, waitFor } from '../../runtime/testing/index.ts'
import { decisionProtocol, featuresProtocol } from './protocol.ts'
import { serverRoom as restricted } from './testing/index.ts'

const here = import.meta.dir
const system = createActorSystem({ config: { spareWorkers: 0 } })
const backend: GatewayBackend = {
  protocols: () => ({ 'surveil-decision': decisionProtocol, 'surveil-features': featuresProtocol }),
  ask: (actor, type, payload, options) => system.ask(actor, type, payload, options),
  actorCounters: () => ({}),
  ready: () => true,
}
// Reading alerts needs the right the protocol declares; the guard grants it to 'operator' only.
const guard: Guard = {
  authenticate: (request) => {
    const who = request.headers.get('authorization')?.replace('Bearer ', '')
    return who ? { id: who } : undefined
  },
  authorize: (caller, target) => {
    if (caller.id !== 'operator' && target.access !== 'public')
      throw new BaseError('ACCESS_DENIED', `${caller.id} may not ${JSON.stringify(target.access)}`)
  },
  statusByCode: { ACCESS_DENIED: 403 },
}
const served = serveGateway(createGateway({ backend, guard, eventPollMs: 20 }).app, {
  hostname: '127.0.0.1',
  port: 0,
})
afterAll(async () => {
  served.stop()
  await system.shutdown({ deadlineMs: 5000 })
})

const track = (id: number, x: number, y: number) => ({ id, x, y, w: 20, h: 60, score: 1 })

/** The first server-sent event's data. */
async function firstEvent(response: Response): Promise<Record<string, unknown>> {
  const [event] = await readEvents(response, 1)
  if (!event) throw new Error('stream ended before an event')
  return event.data as Record<string, unknown>
}

describe('zone intrusion alerts out of the gateway as server-sent events', () => {
  test('a track whose feet enter a restricted zone is alerted once to an allowed subscriber; one outside is not', async () => {
    const spawn = (name: string, file: string, exportName: string, args: unknown) =>
      system.spawn(name, { module: join(here, file), export: exportName }, { args })
    await spawn('surveil-decision', 'decision-actor.ts', 'decisionActor', {})
    await spawn('surveil-features', 'features-actor.ts', 'featuresActor', {
      zones: [restricted],
      everySeconds: 0.5,
    })
    const stream = await fetch(`${served.url}/v1/events/surveil-decision/decision.events`, {
      headers: { authorization: 'Bearer operator' },
    })
    expect(stream.status).toBe(200)
    const denied = await fetch(`${served.url}/v1/events/surveil-decision/decision.events`, {
      headers: { authorization: 'Bearer visitor' },
    })
    expect(denied.status).toBe(403)
    await denied.body?.cancel()
    // Track 1 walks along the top (feet at y = 80, outside); track 2's feet step into the room.
    for (let i = 0; i < 6; i++)
      await system.ask('surveil-features', 'features.observe', {
        cameraId: 'cam-z',
        t: i * 0.5,
        decodedAtMs: Date.now(),
        tracks: [track(1, 10 + i * 30, 20), track(2, 150 + i * 20, 100)],
      })
    const event = await firstEvent(stream)
    expect(event).toMatchObject({
      kind: 'intrusion',
      zone: 'server-room',
      cameraId: 'cam-z',
      trackId: 2,
    })
    const all = await waitFor(async () => {
      const r = (await system.ask('surveil-decision', 'decision.alerts', {})) as {
        alerts: { trackId: number; kind: string }[]
        decisions: number
      }
      return r.decisions >= 10 ? r : undefined
    })
    expect(all.alerts.filter((a) => a.kind === 'intrusion')).toHaveLength(1)
    expect(all.alerts.some((a) => a.trackId === 1)).toBe(false)
  })
})
