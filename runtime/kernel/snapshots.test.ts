import { afterEach, describe, expect, test } from 'bun:test'
import {
  ActorCrashedError,
  ActorStartFailedError,
  SnapshotNotPersistedError,
} from '../actor/errors.ts'
import { bitmapHas, counterSpawn, rejectionOf, waitFor } from '../testing/index.ts'
import type { ActorSnapshot } from './actor-snapshot.ts'
import type { ActorSystem, ActorSystemOptions } from './actor-system.ts'
import { createActorSystem } from './create-actor-system.ts'

const ledger = {
  module: new URL('../testing/ledger-actor-fixture.ts', import.meta.url).href,
  export: 'ledgerActor',
}
const counter = counterSpawn

const systems: ActorSystem[] = []
afterEach(async () => {
  await Promise.all(systems.splice(0).map((system) => system.shutdown()))
})

function start(options: ActorSystemOptions = {}): ActorSystem {
  const system = createActorSystem(options)
  systems.push(system)
  return system
}

type Read = { applied: number; duplicates: number; bits: string }

async function readLedger(system: ActorSystem, actor = 'ledger') {
  const read = (await system.ask(actor, 'ledger.read', {})) as Read
  return { ...read, bitmap: new Uint8Array(Buffer.from(read.bits, 'base64')) }
}

describe('actor snapshots', () => {
  test('answers a message only after the snapshot hook has persisted its effect', async () => {
    const persisted: ActorSnapshot[] = []
    const releases: (() => void)[] = []
    const system = start({
      onSnapshot: (snapshot) =>
        new Promise<void>((resolve) => {
          persisted.push(snapshot)
          releases.push(resolve)
        }),
    })
    await system.spawn('ledger', ledger, { args: { capacity: 64 } })
    let answered = false
    const reply = system.ask('ledger', 'ledger.apply', { id: 3 }).then((value) => {
      answered = true
      return value
    })
    await waitFor(() => persisted.length === 1)
    // A later batch's snapshot comes after the first batch's results reached the kernel.
    const later = system.ask('ledger', 'ledger.apply', { id: 4 })
    await waitFor(() => persisted.length === 2)
    expect(answered).toBe(false)
    expect(persisted[0]).toMatchObject({
      actor: 'ledger',
      kind: 'fault-ledger',
      version: 1,
      seq: 1,
    })
    for (const release of releases) release()
    await later
    expect(await reply).toEqual({ id: 3 })
  })

  test('fails the answers with SNAPSHOT_NOT_PERSISTED when the hook rejects', async () => {
    const system = start({ onSnapshot: () => Promise.reject(new Error('no replica')) })
    await system.spawn('ledger', ledger, { args: { capacity: 64 } })
    const error = await rejectionOf(system.ask('ledger', 'ledger.apply', { id: 1 }))
    expect(SnapshotNotPersistedError.is(error)).toBe(true)
    expect((error as SnapshotNotPersistedError).meta).toMatchObject({ maybeApplied: true })
  })

  test('exports a snapshot that another system resumes from instead of init', async () => {
    const first = start({ config: { simulateSerialization: true } })
    await first.spawn('ledger', ledger, { args: { capacity: 64 } })
    for (const id of [1, 5, 9]) await first.ask('ledger', 'ledger.apply', { id })
    const exported = await first.exportSnapshot('ledger')
    expect(exported).toMatchObject({ actor: 'ledger', kind: 'fault-ledger', version: 1 })
    expect(first.lastSnapshot('ledger')).toEqual(exported)
    const second = start()
    await second.spawn('ledger', ledger, { args: { capacity: 64 }, restore: exported })
    const read = await readLedger(second)
    expect(read.applied).toBe(3)
    expect([1, 5, 9].every((id) => bitmapHas(read.bitmap, id))).toBe(true)
    await second.ask('ledger', 'ledger.apply', { id: 2 })
    // The lineage continues from the imported seq.
    expect(second.lastSnapshot('ledger')?.seq).toBeGreaterThan(exported.seq)
  })

  test('refuses to restore a snapshot of another kind', async () => {
    const system = start()
    const snapshot: ActorSnapshot = { actor: 'c', kind: 'counter', version: 1, seq: 4, state: {} }
    const error = await rejectionOf(
      system.spawn('ledger', ledger, { args: { capacity: 8 }, restore: snapshot }),
    )
    expect(ActorStartFailedError.is(error)).toBe(true)
    expect(system.has('ledger')).toBe(false)
  })

  test('fails the answers of a batch whose thrown crash rolls their effects back', async () => {
    const system = start({ config: { backoffMinMs: 0 } })
    await system.spawn('counter', counter)
    await system.ask('counter', 'counter.add', { by: 1 })
    // One batch: the adds before the crash are rolled back by the restart, so they fail too.
    const adds = [1, 2, 3].map(() => rejectionOf(system.ask('counter', 'counter.add', { by: 10 })))
    const crash = rejectionOf(system.ask('counter', 'counter.crash', {}))
    const outcomes = [...(await Promise.all(adds)), await crash]
    await waitFor(
      () => system.stats('counter').status === 'running' && system.stats('counter').restarts === 1,
    )
    const count = ((await system.ask('counter', 'counter.get', {})) as { count: number }).count
    const answered = outcomes.filter((outcome) => outcome === undefined).length
    expect(outcomes.at(-1)).toBeInstanceOf(ActorCrashedError)
    // The last two adds travel in the crash's batch (the first went out alone, the actor was idle).
    expect(outcomes.slice(1, 3).every((outcome) => outcome instanceof ActorCrashedError)).toBe(true)
    expect(count).toBe(1 + answered * 10)
  })

  test('keeps the effect of every answered message when its worker is killed under load', async () => {
    const system = start({ config: { simulateSerialization: false, mailboxCapacity: 4096 } })
    system.supervise('faults', { intensity: 1000, backoff: { minMs: 0 } })
    await system.spawn('ledger', ledger, { args: { capacity: 4096 }, supervisor: 'faults' })
    const acked: number[] = []
    const failed = new Map<string, number>()
    let kills = 0
    const sends: Promise<void>[] = []
    for (let id = 0; id < 3000; id++) {
      sends.push(
        system.ask('ledger', 'ledger.apply', { id }).then(
          () => {
            acked.push(id)
            if (acked.length % 400 === 0 && system.killWorker('ledger')) kills++
          },
          (error: { code?: string }) => {
            failed.set(error.code ?? '?', (failed.get(error.code ?? '?') ?? 0) + 1)
          },
        ),
      )
      if (id % 64 === 63) await sends.at(-1)
    }
    await Promise.all(sends)
    await waitFor(() => system.stats('ledger').status === 'running')
    const read = await readLedger(system)
    expect(kills).toBeGreaterThanOrEqual(5)
    expect(system.stats('ledger').restarts).toBe(kills)
    expect(acked.filter((id) => !bitmapHas(read.bitmap, id))).toEqual([])
    expect(read.duplicates).toBe(0)
    expect([...failed.keys()].every((code) => code === 'ACTOR_CRASHED')).toBe(true)
    expect(acked.length + [...failed.values()].reduce((a, b) => a + b, 0)).toBe(3000)
  })
})
