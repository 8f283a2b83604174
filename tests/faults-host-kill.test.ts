/**
 * Faults, end to end: a three-host domain (fog-1, edge-1, edge-2) as real
 * processes on loopback; the edge host that runs a stateful ledger actor is
 * killed with SIGKILL while requests flow through fog-1's gateway. The actor
 * must resume on edge-2 from its replicated snapshot, with every
 * acknowledged (2xx) request's effect in its state. See docs/reliability.md.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { rm } from 'node:fs/promises'
import type { Domain } from '../runtime/index.ts'
import { bitmapHas, startLedgerDomain, waitFor } from '../runtime/testing/index.ts'

setDefaultTimeout(60_000)

const CAPACITY = 100_000
const dirs: string[] = []
const domains: Domain[] = []

afterEach(async () => {
  await Promise.all(domains.splice(0).map((domain) => domain.stop()))
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** The three-host ledger domain, stopped and removed after the test; which host got the actor. */
async function ledgerDomain() {
  const setup = await startLedgerDomain(CAPACITY)
  domains.push(setup.domain)
  dirs.push(setup.dir)
  // Record 0 is applied before the test's own: the hand-off test counts it.
  await waitFor(async () => (await apply(setup.gateway, 0)).status === 200)
  const placed = setup.logs.find(
    (entry) => entry.event === 'host.actor_placed' && entry.actor === 'ledger',
  )
  return { ...setup, firstHost: placed?.host }
}

async function apply(gateway: string, id: number) {
  const response = await fetch(`${gateway}/v1/actors/ledger/ledger.apply`, {
    method: 'POST',
    body: JSON.stringify({ id }),
  })
  const body = (await response.json()) as { id?: number; code?: string }
  return { status: response.status, body }
}

async function readLedger(gateway: string) {
  const response = await fetch(`${gateway}/v1/actors/ledger/ledger.read`, {
    method: 'POST',
    body: '{}',
  })
  const read = (await response.json()) as { applied: number; duplicates: number; bits: string }
  return { ...read, bitmap: new Uint8Array(Buffer.from(read.bits, 'base64')) }
}

describe('host faults', () => {
  test('loses no acknowledged request when the edge host running a stateful actor is killed under load', async () => {
    const { domain, gateway, logs, firstHost } = await ledgerDomain()
    expect(firstHost).toBe('edge-1')
    const acked: number[] = [0]
    const failures = new Map<string, number>()
    let next = 1
    let killedAt = 0
    const loops = Array.from({ length: 8 }, async () => {
      while (next < 3000) {
        const id = next++
        const { status, body } = await apply(gateway, id)
        if (status === 200 && body.id === id) acked.push(id)
        else
          failures.set(
            body.code ?? String(status),
            (failures.get(body.code ?? String(status)) ?? 0) + 1,
          )
        if (id === 800) {
          killedAt = Date.now()
          await domain.kill('edge-1')
        }
      }
    })
    await Promise.all(loops)
    const read = await readLedger(gateway)
    const replaced = logs.find((e) => e.event === 'host.actor_placed' && e.host === 'edge-2')
    expect(replaced).toBeDefined()
    expect(acked.filter((id) => !bitmapHas(read.bitmap, id))).toEqual([])
    expect(read.duplicates).toBe(0)
    // Every replica was signed by the owner of the moment: no honest host refused one.
    expect(logs.filter((entry) => entry.event === 'host.snapshot_refused')).toEqual([])
    // Requests after the kill were served by edge-2, resumed from the replicated snapshot.
    expect(acked.filter((id) => id > 900).length).toBeGreaterThan(1000)
    expect(Number(replaced?.restoredSeq)).toBeGreaterThan(0)
    expect(Date.parse(String(replaced?.ts)) - killedAt).toBeLessThan(2000)
    // Only requests in flight to edge-1 at the kill may fail, each with a typed code.
    expect([...failures.keys()].every((code) => /^[A-Z_]+$/.test(code))).toBe(true)
    expect([...failures.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(16)
  })

  test('resumes a stateful actor from its last snapshot on the new host, not from init', async () => {
    const { domain, gateway } = await ledgerDomain()
    for (let id = 1; id <= 40; id++) expect((await apply(gateway, id)).status).toBe(200)
    await domain.kill('edge-1')
    await waitFor(async () => (await apply(gateway, 41)).status === 200)
    const read = await readLedger(gateway)
    expect(read.applied).toBe(42)
    expect(
      Array.from({ length: 42 }, (_, id) => id).every((id) => bitmapHas(read.bitmap, id)),
    ).toBe(true)
  })
})
