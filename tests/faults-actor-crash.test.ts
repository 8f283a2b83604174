/**
 * Faults: actor crash under load through a host's HTTP gateway. The worker
 * of a stateful ledger actor is terminated repeatedly while requests flow;
 * every acknowledged (2xx) request's effect must be in the state the actor
 * resumed from, failures must be typed, and nothing may run twice. See
 * docs/reliability.md ("Actor crash").
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { join } from 'node:path'
import type { Host } from '../runtime/index.ts'
import {
  bitmapHas,
  createMemoryTransport,
  inProcessHosts,
  waitFor,
} from '../runtime/testing/index.ts'

setDefaultTimeout(60_000)

const LEDGER = join(import.meta.dir, '..', 'runtime', 'testing', 'ledger-actor-fixture.ts')
const hosts = inProcessHosts()
afterEach(() => hosts.stop())

async function ledgerHost(): Promise<Host> {
  const files = await hosts.files('vigil-crash-', [{ id: 'fog-1', role: 'fog' }])
  const host = await hosts.start(files, {
    id: 'fog-1',
    role: 'fog',
    config: {
      actors: [{ name: 'ledger', module: LEDGER, export: 'ledgerActor', args: { capacity: 8192 } }],
      kernel: { restartIntensity: 1000, backoffMinMs: 0 },
    },
    transport: createMemoryTransport(),
  })
  await waitFor(() => host.system.has('ledger'))
  return host
}

describe('actor crash under load', () => {
  test('loses no acknowledged request when the worker is killed repeatedly under gateway load', async () => {
    const host = await ledgerHost()
    const url = `${host.info.http}/v1/actors/ledger/ledger.apply`
    const acked: number[] = []
    const codes = new Map<string, number>()
    let mismatched = 0
    let next = 0
    let kills = 0
    const loops = Array.from({ length: 16 }, async () => {
      while (next < 4000) {
        const id = next++
        const response = await fetch(url, { method: 'POST', body: JSON.stringify({ id }) })
        const body = (await response.json()) as { id?: number; code?: string }
        if (response.status === 200) {
          if (body.id === id) acked.push(id)
          else mismatched++
        } else codes.set(body.code ?? '?', (codes.get(body.code ?? '?') ?? 0) + 1)
        if (id % 500 === 250 && host.system.killWorker('ledger')) kills++
      }
    })
    await Promise.all(loops)
    await waitFor(() => host.system.stats('ledger').status === 'running')
    const read = (await host.router.ask('ledger', 'ledger.read', {})) as {
      duplicates: number
      bits: string
    }
    const bits = new Uint8Array(Buffer.from(read.bits, 'base64'))
    expect(kills).toBeGreaterThanOrEqual(6)
    expect(host.system.stats('ledger').restarts).toBe(kills)
    expect(acked.filter((id) => !bitmapHas(bits, id))).toEqual([])
    expect(read.duplicates + mismatched).toBe(0)
    expect([...codes.keys()].every((code) => code === 'ACTOR_CRASHED')).toBe(true)
    expect(acked.length + [...codes.values()].reduce((a, b) => a + b, 0)).toBe(4000)
  })
})
